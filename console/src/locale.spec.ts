import { flushPromises, mount } from '@vue/test-utils'
import dayjs from 'dayjs'
import ElementPlus, { ElDatePicker } from 'element-plus'
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import { elementLocale } from './locale'

describe('console locale', () => {
  it('sets dayjs to zh-cn, whose week starts on Monday', () => {
    expect(dayjs.locale()).toBe('zh-cn')
    expect(dayjs('2026-03-04').startOf('week').format('YYYY-MM-DD ddd')).toBe('2026-03-02 周一')
  })

  it('makes the date picker start its weeks on Monday, in Chinese', async () => {
    const wrapper = mount(
      { render: () => h(ElDatePicker, { modelValue: '2026-03-04', valueFormat: 'YYYY-MM-DD', teleported: false }) },
      { global: { plugins: [[ElementPlus, { locale: elementLocale }]] }, attachTo: document.body },
    )
    await wrapper.get('input').trigger('focus')
    await wrapper.get('input').trigger('click')
    await flushPromises()
    const heads = [...document.querySelectorAll('.el-date-table th')].map((th) => th.textContent?.trim())
    expect(heads).toEqual(['一', '二', '三', '四', '五', '六', '日'])
    wrapper.unmount()
  })
})


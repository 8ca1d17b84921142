import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, resolveComponent } from 'vue'
import { usePagedList, type Paging } from '@/composables/usePagedList'
import PagedTable from './PagedTable.vue'

interface Row { id: number; name: string }

function mountTable(fetch: (paging: Paging) => Promise<{ items: Row[]; total: number }>, props: Record<string, unknown> = {}) {
  const Page = defineComponent({
    setup() {
      const list = usePagedList(fetch, { pageSize: 10 })
      return () =>
        h(PagedTable, { list, 'data-testid': 'the-table', 'empty-text': '没有记录', ...props }, () => [
          h(resolveComponent('el-table-column'), { label: '姓名', prop: 'name' }),
        ])
    },
  })
  return mount(Page, { attachTo: document.body, global: { plugins: [[ElementPlus, { locale: zhCn }]] } })
}

const people = (page: number): Row[] => [1, 2].map((i) => ({ id: page * 10 + i, name: `患者${page}-${i}` }))

describe('PagedTable', () => {
  it('shows the rows of the list, the total, and passes its attributes to the table', async () => {
    const fetch = vi.fn(async (paging: Paging) => ({ items: people(paging.page), total: 25 }))
    const wrapper = mountTable(fetch)
    await flushPromises()
    const table = wrapper.get('[data-testid="the-table"]')
    expect(table.classes()).toContain('el-table')
    expect(table.text()).toContain('患者1-1')
    expect(wrapper.get('.el-pagination').text()).toContain('共 25 条')
    expect(wrapper.find('.el-pagination__sizes').exists()).toBe(false) // no page sizes offered
    wrapper.unmount()
  })

  it('fetches the page clicked in the pager', async () => {
    const fetch = vi.fn(async (paging: Paging) => ({ items: people(paging.page), total: 25 }))
    const wrapper = mountTable(fetch)
    await flushPromises()
    await wrapper.get('.el-pager li:nth-child(2)').trigger('click')
    await flushPromises()
    expect(fetch).toHaveBeenLastCalledWith({ page: 2, page_size: 10 })
    expect(wrapper.get('[data-testid="the-table"]').text()).toContain('患者2-1')
    wrapper.unmount()
  })

  it('offers page sizes and 前往 when asked, and shows the empty text', async () => {
    const wrapper = mountTable(async () => ({ items: [], total: 0 }), { pageSizes: [10, 50], jumper: true, pagerTestid: 'the-pager' })
    await flushPromises()
    expect(wrapper.find('.el-pagination__sizes').exists()).toBe(true)
    expect(wrapper.find('.el-pagination__jump').exists()).toBe(true)
    expect(wrapper.find('[data-testid="the-pager"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="the-table"]').text()).toContain('没有记录')
    wrapper.unmount()
  })
})

import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import ChangePasswordDialog from './ChangePasswordDialog.vue'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(status === 204 ? null : JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

async function open() {
  const wrapper = mount(ChangePasswordDialog, {
    props: { modelValue: false, 'onUpdate:modelValue': (v: boolean) => wrapper.setProps({ modelValue: v }) },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return wrapper
}

function input(testId: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${testId}"] input, input[data-testid="${testId}"]`)
  if (!el) throw new Error(`no input ${testId}`)
  return el
}

async function fill(current: string, next: string, confirm: string) {
  for (const [id, value] of [['change-password-current', current], ['change-password-new', next], ['change-password-confirm', confirm]]) {
    const el = input(id)
    el.value = value
    el.dispatchEvent(new Event('input'))
  }
  await nextTick()
}

async function save() {
  document.querySelector<HTMLButtonElement>('[data-testid="change-password-save"]')!.click()
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('修改密码 dialog', () => {
  it('sends both passwords, says so and closes (the session stays)', async () => {
    const success = vi.spyOn(ElMessage, 'success')
    const mock = stubFetch(204, null)
    const wrapper = await open()
    await fill('Old-pass-1', 'New-pass-2026', 'New-pass-2026')
    await save()
    expect(mock).toHaveBeenCalledTimes(1)
    expect(JSON.parse(String(mock.mock.calls[0][1]?.body))).toEqual({ current_password: 'Old-pass-1', new_password: 'New-pass-2026' })
    expect(success).toHaveBeenCalledWith(expect.stringContaining('密码已修改'))
    expect(wrapper.props('modelValue')).toBe(false)
    wrapper.unmount()
  })

  it('checks the policy before asking the server', async () => {
    const mock = stubFetch(204, null)
    const wrapper = await open()
    await fill('Old-pass-1', 'abcdefgh', 'abcdefgh')
    await save()
    expect(mock).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('至少三种')
    expect(wrapper.props('modelValue')).toBe(true)
    wrapper.unmount()
  })

  it('shows a wrong current password in the dialog and stays open', async () => {
    stubFetch(400, { error: { code: 'WRONG_CURRENT_PASSWORD', message: '当前密码不正确', details: {} } })
    const wrapper = await open()
    await fill('Wrong-1', 'New-pass-2026', 'New-pass-2026')
    await save()
    const error = document.querySelector('[data-testid="change-password-error"]')
    expect(error?.textContent).toContain('当前密码不正确')
    expect(wrapper.props('modelValue')).toBe(true)
    wrapper.unmount()
  })
})

describe('修改密码 dialog when the password must be changed first', () => {
  async function openRequired(onChanged: () => void) {
    const wrapper = mount(ChangePasswordDialog, {
      props: { modelValue: false, required: true, onChanged, 'onUpdate:modelValue': (v: boolean) => wrapper.setProps({ modelValue: v }) },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    return wrapper
  }

  it('says why, offers no way to dismiss it, and reports the change', async () => {
    stubFetch(204, null)
    const changed = vi.fn()
    const wrapper = await openRequired(changed)
    expect(document.querySelector('[data-testid="change-password-required"]')?.textContent).toContain('请先修改')
    expect([...document.querySelectorAll('button')].some((b) => b.textContent?.trim() === '取消')).toBe(false)
    expect(document.querySelector('.el-dialog__headerbtn')).toBeNull()
    await fill('Given-pass-1', 'Mine-pass-2026', 'Mine-pass-2026')
    await save()
    expect(changed).toHaveBeenCalledTimes(1)
    expect(wrapper.props('modelValue')).toBe(false)
  })

  it('stays open when the change is refused', async () => {
    stubFetch(422, { error: { code: 'WEAK_PASSWORD', message: '密码过于常见' } })
    const changed = vi.fn()
    const wrapper = await openRequired(changed)
    await fill('Given-pass-1', 'Admin@123', 'Admin@123')
    await save()
    expect(changed).not.toHaveBeenCalled()
    expect(wrapper.props('modelValue')).toBe(true)
  })
})

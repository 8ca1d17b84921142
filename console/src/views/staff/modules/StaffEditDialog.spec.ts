import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { installHttpHooks } from '@/api/client'
import type { StaffAccount } from '@/api/staff'
import StaffEditDialog from './StaffEditDialog.vue'

const nurse: StaffAccount = { username: 'li.nurse', name: '李护士', roles: ['staff'], active: true, locked_until: null, failed_logins: 0,
  must_change_password: false, last_login_at: null, created_at: null }
const boss: StaffAccount = { username: 'boss', name: '王主任', roles: ['admin'], active: true, locked_until: null, failed_logins: 0,
  must_change_password: false, last_login_at: null, created_at: null }

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

async function open(account: StaffAccount, me = 'boss') {
  const wrapper = mount(StaffEditDialog, {
    props: { modelValue: false, account, me, 'onUpdate:modelValue': (v: boolean) => wrapper.setProps({ modelValue: v }) },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return wrapper
}

const byTestId = <T extends HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)
const roleBox = (role: string) => byTestId(`staff-edit-role-${role}`)!.querySelector<HTMLInputElement>('input')!

async function settle() {
  await flushPromises()
  await new Promise((r) => setTimeout(r, 0))
  await flushPromises()
}

async function type(id: string, value: string) {
  const el = document.querySelector<HTMLInputElement>(`[data-testid="${id}"] input, input[data-testid="${id}"]`)!
  el.value = value
  el.dispatchEvent(new Event('input'))
  await nextTick()
}

async function toggle(role: string) {
  roleBox(role).click()
  await settle()
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('编辑账号 dialog', () => {
  it('shows the account and saves only the changed name and roles', async () => {
    const success = vi.spyOn(ElMessage, 'success')
    const saved = { ...nurse, name: '李娜', roles: ['staff', 'auditor'] }
    const mock = stubFetch(200, saved)
    const wrapper = await open(nurse)
    expect(document.body.textContent).toContain('编辑账号：li.nurse')
    const name = document.querySelector<HTMLInputElement>('[data-testid="staff-edit-name"] input, input[data-testid="staff-edit-name"]')!
    expect(name.value).toBe('李护士')
    expect(roleBox('staff').checked).toBe(true)
    await type('staff-edit-name', '李娜')
    await toggle('auditor')
    byTestId('staff-edit-save')!.click()
    await settle()
    const [url, init] = mock.mock.calls[0]
    expect(String(url)).toBe('/api/console/staff/li.nurse')
    expect(init?.method).toBe('PUT')
    expect(JSON.parse(String(init?.body))).toEqual({ name: '李娜', roles: ['staff', 'auditor'] })
    expect(success).toHaveBeenCalledWith('已保存 li.nurse：姓名改为 李娜，角色改为 体检中心工作人员、审计员')
    expect(wrapper.emitted('saved')?.[0]).toEqual([saved])
    expect(wrapper.props('modelValue')).toBe(false)
    wrapper.unmount()
  })

  it('refuses an empty name or no role without asking the server', async () => {
    const mock = stubFetch(200, nurse)
    const wrapper = await open(nurse)
    await toggle('staff')
    byTestId('staff-edit-save')!.click()
    await settle()
    expect(mock).not.toHaveBeenCalled()
    expect(byTestId('staff-edit-error')?.textContent).toContain('请至少选择一个角色')
    await toggle('staff')
    await type('staff-edit-name', '  ')
    byTestId('staff-edit-save')!.click()
    await settle()
    expect(mock).not.toHaveBeenCalled()
    expect(byTestId('staff-edit-error')?.textContent).toContain('请输入姓名')
    expect(wrapper.props('modelValue')).toBe(true)
    wrapper.unmount()
  })

  it('closes without a request when nothing changed', async () => {
    const mock = stubFetch(200, nurse)
    const wrapper = await open(nurse)
    byTestId('staff-edit-save')!.click()
    await settle()
    expect(mock).not.toHaveBeenCalled()
    expect(wrapper.props('modelValue')).toBe(false)
    wrapper.unmount()
  })

  it('keeps one\'s own admin role: the box is locked and says why', async () => {
    const wrapper = await open(boss, 'boss')
    expect(roleBox('admin').checked).toBe(true)
    expect(roleBox('admin').disabled).toBe(true)
    expect(byTestId('staff-edit-own-admin')?.textContent).toContain('不能取消自己的管理员角色')
    expect(roleBox('staff').disabled).toBe(false)
    wrapper.unmount()
    const other = await open(boss, 'deputy')
    expect(roleBox('admin').disabled).toBe(false)
    expect(byTestId('staff-edit-own-admin')).toBeNull()
    other.unmount()
  })

  it('shows the server\'s refusal in Chinese inside the dialog, not as a toast', async () => {
    const toast = vi.fn()
    installHttpHooks({ getToken: () => null, onUnauthorized: () => undefined, notifyError: toast })
    const mock = stubFetch(409, { error: { code: 'LAST_ADMIN', message: '至少需要保留一个启用的管理员账号', details: {} } })
    const wrapper = await open(boss, 'deputy')
    await toggle('admin')
    await toggle('staff')
    byTestId('staff-edit-save')!.click()
    await settle()
    expect(JSON.parse(String(mock.mock.calls[0][1]?.body))).toEqual({ roles: ['staff'] })
    expect(byTestId('staff-edit-error')?.textContent).toContain('至少需要保留一个启用的管理员账号')
    expect(byTestId('staff-edit-error')?.textContent).toContain('另一个账号')
    expect(toast).not.toHaveBeenCalled()
    expect(wrapper.emitted('saved')).toBeUndefined()
    expect(wrapper.props('modelValue')).toBe(true)
    wrapper.unmount()
  })

  it("shows the server's field error (422 details.fields) on the field itself", async () => {
    stubFetch(422, { error: { code: 'VALIDATION_ERROR', message: '提交的信息有误，请检查后重试', details: { fields: { name: '太长' } } } })
    const wrapper = await open(nurse)
    await type('staff-edit-name', '李护士长')
    byTestId('staff-edit-save')!.click()
    await settle()
    const item = byTestId('staff-edit-name')!.closest('.el-form-item')!
    expect(item.classList.contains('is-error')).toBe(true)
    await new Promise((r) => setTimeout(r, 150)) // Element Plus shows a field's message after a 100 ms debounce
    await flushPromises()
    expect(item.querySelector('.el-form-item__error')?.textContent?.trim()).toBe('太长')
    wrapper.unmount()
  })
})

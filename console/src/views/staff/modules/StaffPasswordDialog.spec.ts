import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import type { StaffAccount } from '@/api/staff'
import { checkPassword } from '@/utils/password'
import StaffPasswordDialog from './StaffPasswordDialog.vue'

const account: StaffAccount = { username: 'li.nurse', name: '李护士', roles: ['staff'], active: true, locked_until: null, failed_logins: 0,
  must_change_password: false, last_login_at: null, created_at: null }

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

async function open() {
  const wrapper = mount(StaffPasswordDialog, {
    props: { modelValue: false, account, 'onUpdate:modelValue': (v: boolean) => wrapper.setProps({ modelValue: v }) },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return wrapper
}

const byTestId = <T extends HTMLElement>(id: string) => document.querySelector<T>(`[data-testid="${id}"]`)

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

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('重置密码 dialog', () => {
  it('asks first, saves a typed password and closes', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const success = vi.spyOn(ElMessage, 'success')
    const mock = stubFetch(200, account)
    const wrapper = await open()
    await type('staff-password-new', 'New-pass-2026')
    await type('staff-password-confirm', 'New-pass-2026')
    byTestId('staff-password-save')!.click()
    await settle()
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('li.nurse（李护士）'), '重置密码', expect.anything())
    const [url, init] = mock.mock.calls[0]
    expect(String(url)).toBe('/api/console/staff/li.nurse')
    expect(JSON.parse(String(init?.body))).toEqual({ password: 'New-pass-2026' })
    expect(success).toHaveBeenCalledWith(expect.stringContaining('已重置 li.nurse 的密码'))
    expect(wrapper.emitted('reset')?.[0]).toEqual([account])
    expect(wrapper.props('modelValue')).toBe(false)
    wrapper.unmount()
  })

  it('refuses a weak typed password without asking the server', async () => {
    const confirm = vi.spyOn(ElMessageBox, 'confirm')
    const mock = stubFetch(200, account)
    const wrapper = await open()
    await type('staff-password-new', 'password')
    await type('staff-password-confirm', 'password')
    byTestId('staff-password-save')!.click()
    await settle()
    expect(confirm).not.toHaveBeenCalled()
    expect(mock).not.toHaveBeenCalled()
    expect(document.body.textContent).toContain('至少三种')
    wrapper.unmount()
  })

  it('does nothing when the confirmation is cancelled', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockRejectedValue('cancel')
    const mock = stubFetch(200, account)
    const wrapper = await open()
    await type('staff-password-new', 'New-pass-2026')
    await type('staff-password-confirm', 'New-pass-2026')
    byTestId('staff-password-save')!.click()
    await settle()
    expect(mock).not.toHaveBeenCalled()
    expect(wrapper.props('modelValue')).toBe(true)
    wrapper.unmount()
  })

  it('shows a generated password once, after the server took it, with a copy button', async () => {
    vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
    const writeText = vi.fn(async () => undefined)
    vi.stubGlobal('navigator', { clipboard: { writeText } })
    const mock = stubFetch(200, account)
    const wrapper = await open()
    const generate = document.querySelectorAll<HTMLInputElement>('[data-testid="staff-password-mode"] input')[1]
    generate.click()
    await settle()
    expect(byTestId('staff-password-generated')).toBeNull() // not shown before it is saved
    byTestId('staff-password-save')!.click()
    await settle()
    const sent = JSON.parse(String(mock.mock.calls[0][1]?.body)).password as string
    expect(checkPassword(sent).ok).toBe(true)
    expect(byTestId('staff-password-generated')?.textContent).toBe(sent)
    byTestId('staff-password-copy')!.click()
    await settle()
    expect(writeText).toHaveBeenCalledWith(sent)
    byTestId('staff-password-close')!.click()
    await settle()
    expect(wrapper.props('modelValue')).toBe(false)
    await wrapper.setProps({ modelValue: true })
    await settle()
    expect(byTestId('staff-password-generated')).toBeNull() // reopened: the password is gone
    wrapper.unmount()
  })
})

import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as authApi from '@/api/auth'
import { ApiError } from '@/api/client'
import { useAuthStore } from '@/stores/auth'
import LoginPage from '@/views/login/index.vue'
import { mountPage } from './helpers'

vi.mock('@/api/auth', () => ({ login: vi.fn(), logout: vi.fn() }))

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

async function submit(w: VueWrapper, username: string, password: string): Promise<void> {
  await w.get('input[data-testid="login-username"]').setValue(username)
  await w.get('input[data-testid="login-password"]').setValue(password)
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('登录 page', () => {
  it("shows the server's delay after repeated failures (no lockout) and forgets the typed password", async () => {
    vi.mocked(authApi.login).mockRejectedValue(
      new ApiError(429, { code: 'RATE_LIMITED', message: '登录失败次数过多，请稍后再试', details: { retry_after: 8 } }),
    )
    wrapper = await mountPage(LoginPage, { roles: [], path: '/login' })
    useAuthStore().clear()
    await submit(wrapper, 'li', 'Wrong-pass1')
    expect(authApi.login).toHaveBeenCalledWith({ username: 'li', password: 'Wrong-pass1' })
    const alert = wrapper.get('[data-testid="login-error"]').text()
    expect(alert).toContain('登录失败次数过多，请稍后再试（请 8 秒后再试）')
    expect(alert).not.toContain('锁定')
    expect((wrapper.get('input[data-testid="login-password"]').element as HTMLInputElement).value).toBe('')
  })

  it('keeps the session and opens the first page of the role after login', async () => {
    vi.mocked(authApi.login).mockResolvedValue({ token: 'tok', expires_in: 1800, staff: { username: 'fin', name: '财务', roles: ['finance'] } })
    wrapper = await mountPage(LoginPage, { roles: [], path: '/login' })
    useAuthStore().clear()
    await submit(wrapper, 'fin', 'Good-pass1')
    const auth = useAuthStore()
    expect(auth.token).toBe('tok')
    expect(auth.roles).toEqual(['finance'])
    expect(JSON.parse(sessionStorage.getItem('checkup-console-session')!).token).toBe('tok')
    await vi.waitFor(() => expect(wrapper!.vm.$route.path).toBe('/dashboard'))
  })
})

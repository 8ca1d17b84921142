import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from './auth'

function answer(mustChange: boolean) {
  return new Response(JSON.stringify({
    token: 't-1', expires_in: 28800, idle_timeout: 1800,
    staff: { username: 'wang', name: '王护士', roles: ['staff'] }, must_change_password: mustChange,
  }), { status: 200 })
}

describe('auth store: a password set by an administrator is changed first', () => {
  beforeEach(() => {
    sessionStorage.clear()
    setActivePinia(createPinia())
  })
  afterEach(() => vi.unstubAllGlobals())

  it('remembers must_change_password from the login answer across a reload, until the change', async () => {
    vi.stubGlobal('fetch', vi.fn<typeof fetch>(async () => answer(true)))
    const auth = useAuthStore()
    await auth.login('wang', 'Given-pass-1')
    expect(auth.mustChangePassword).toBe(true)

    setActivePinia(createPinia()) // a reload of the page reads the session back
    const reloaded = useAuthStore()
    expect(reloaded.mustChangePassword).toBe(true)
    reloaded.passwordChanged()
    expect(reloaded.mustChangePassword).toBe(false)
    expect(reloaded.token).toBe('t-1')

    setActivePinia(createPinia())
    expect(useAuthStore().mustChangePassword).toBe(false)
  })

  it('is off for an ordinary login', async () => {
    vi.stubGlobal('fetch', vi.fn<typeof fetch>(async () => answer(false)))
    const auth = useAuthStore()
    await auth.login('wang', 'Mine-pass-2026')
    expect(auth.mustChangePassword).toBe(false)
  })
})

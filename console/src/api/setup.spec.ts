import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { http } from './client'
import { setupHttp } from './setup'

const Blank = defineComponent({ render: () => null })

describe('interceptors wired to the auth store and the router', () => {
  beforeEach(() => {
    sessionStorage.clear()
    setActivePinia(createPinia())
  })
  afterEach(() => vi.unstubAllGlobals())

  it('takes the token from the auth store and sends an expired session back to login', async () => {
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/login', name: 'login', component: Blank },
        { path: '/bookings', name: 'bookings', component: Blank },
      ],
    })
    await router.push('/bookings?from=2025-03-01')
    const notify = vi.fn()
    setupHttp(router, notify)
    const auth = useAuthStore()
    auth.setSession({ token: 'store-token', staff: { username: 'li', name: '李护士', roles: ['staff'] } })

    const fetchMock = vi.fn<typeof fetch>(async () =>
      new Response(JSON.stringify({ error: { code: 'SESSION_EXPIRED', message: '登录已超时，请重新登录' } }), { status: 401 }),
    )
    vi.stubGlobal('fetch', fetchMock)

    await expect(http.get('/api/console/quota')).rejects.toMatchObject({ code: 'SESSION_EXPIRED' })
    const headers = fetchMock.mock.calls[0][1]?.headers as Record<string, string>
    expect(headers.Authorization).toBe('Bearer store-token')
    expect(notify).toHaveBeenCalledWith('登录已超时，请重新登录')
    expect(auth.token).toBeNull()
    expect(sessionStorage.length).toBe(0)
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(router.currentRoute.value.query.redirect).toBe('/bookings?from=2025-03-01')
  })
})

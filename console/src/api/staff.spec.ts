import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStaff, listStaff, resetStaffPassword, unlockStaff, updateStaff } from './staff'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(status === 204 ? null : JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

const call = (mock: ReturnType<typeof stubFetch>) => {
  const [url, init] = mock.mock.calls[0]
  return { url: String(url), method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined }
}

const account = { username: 'li.nurse', name: '李护士', roles: ['staff'], active: true, locked_until: null, failed_logins: 0 }

afterEach(() => vi.unstubAllGlobals())

describe('staff accounts API', () => {
  it('lists and creates', async () => {
    let mock = stubFetch(200, { items: [account], total: 1 })
    expect((await listStaff({ page: 1, page_size: 20 })).total).toBe(1)
    expect(call(mock)).toEqual({ url: '/api/console/staff?page=1&page_size=20', method: 'GET', body: undefined })

    mock = stubFetch(201, account)
    await createStaff({ username: 'li.nurse', name: '李护士', password: 'Abcdefg1!', roles: ['staff'] })
    expect(call(mock)).toMatchObject({ url: '/api/console/staff', method: 'POST' })
  })

  it('resets a password with PUT {password} on the escaped username', async () => {
    const mock = stubFetch(200, account)
    await expect(resetStaffPassword('li nurse/1', 'New-pass-2026')).resolves.toEqual(account)
    expect(call(mock)).toEqual({ url: '/api/console/staff/li%20nurse%2F1', method: 'PUT', body: { password: 'New-pass-2026' } })
  })

  it('unlocks with PUT {unlock: true}', async () => {
    const mock = stubFetch(200, { ...account, locked_until: null })
    const saved = await unlockStaff('li.nurse')
    expect(saved.locked_until).toBeNull()
    expect(call(mock)).toEqual({ url: '/api/console/staff/li.nurse', method: 'PUT', body: { unlock: true } })
  })

  it('passes other changes through unchanged', async () => {
    const mock = stubFetch(200, { ...account, active: false })
    await updateStaff('li.nurse', { active: false })
    expect(call(mock).body).toEqual({ active: false })
  })

  it('rejects with the server error', async () => {
    stubFetch(422, { error: { code: 'WEAK_PASSWORD', message: '密码至少8位', details: { field: 'password' } } })
    await expect(resetStaffPassword('li.nurse', 'short')).rejects.toMatchObject({ status: 422, code: 'WEAK_PASSWORD' })
  })
})

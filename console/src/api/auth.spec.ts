import { afterEach, describe, expect, it, vi } from 'vitest'
import { changePassword } from './auth'
import { installHttpHooks } from './client'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(status === 204 ? null : JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => {
  vi.unstubAllGlobals()
  installHttpHooks({ getToken: () => null, onUnauthorized: () => undefined, notifyError: () => undefined })
})

describe('change own password API', () => {
  it('posts both passwords with the token and resolves on 204', async () => {
    installHttpHooks({ getToken: () => 'tok', onUnauthorized: () => undefined, notifyError: () => undefined })
    const mock = stubFetch(204, null)
    await expect(changePassword({ current_password: 'Old-pass-1', new_password: 'New-pass-2' })).resolves.toBeUndefined()
    const [url, init] = mock.mock.calls[0]
    expect(String(url)).toBe('/api/console/me/password')
    expect(init?.method).toBe('POST')
    expect(JSON.parse(String(init?.body))).toEqual({ current_password: 'Old-pass-1', new_password: 'New-pass-2' })
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok')
  })

  it('is silent: the dialog shows a wrong current password itself, and the session is not ended', async () => {
    const notifyError = vi.fn()
    const onUnauthorized = vi.fn()
    installHttpHooks({ getToken: () => 'tok', onUnauthorized, notifyError })
    stubFetch(400, { error: { code: 'WRONG_CURRENT_PASSWORD', message: '当前密码不正确', details: { field: 'current_password' } } })
    await expect(changePassword({ current_password: 'x', new_password: 'New-pass-2' })).rejects.toMatchObject({
      status: 400,
      code: 'WRONG_CURRENT_PASSWORD',
    })
    expect(notifyError).not.toHaveBeenCalled()
    expect(onUnauthorized).not.toHaveBeenCalled()
  })
})

import { describe, expect, it, vi } from 'vitest'
import { ApiError, buildUrl, createHttpClient, type HttpHooks } from './client'

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

function setup(token: string | null, response: Response | (() => Promise<Response>)) {
  const hooks: HttpHooks = {
    getToken: () => token,
    onUnauthorized: vi.fn(),
    notifyError: vi.fn(),
  }
  const fetchImpl = vi.fn<typeof fetch>(() => (typeof response === 'function' ? response() : Promise.resolve(response)))
  return { hooks, fetchImpl, http: createHttpClient(hooks, fetchImpl) }
}

function sentHeaders(fetchImpl: ReturnType<typeof setup>['fetchImpl']): Record<string, string> {
  return fetchImpl.mock.calls[0][1]?.headers as Record<string, string>
}

describe('request client', () => {
  it('sends the bearer token and unwraps the JSON answer', async () => {
    const { http, fetchImpl } = setup('tok-123', jsonResponse(200, { days: [{ date: '2025-03-07' }] }))
    const answer = await http.get<{ days: { date: string }[] }>('/api/console/quota', { from: '2025-03-01', to: '2025-03-31' })
    expect(answer.days[0].date).toBe('2025-03-07')
    expect(fetchImpl.mock.calls[0][0]).toBe('/api/console/quota?from=2025-03-01&to=2025-03-31')
    expect(sentHeaders(fetchImpl).Authorization).toBe('Bearer tok-123')
  })

  it('sends no Authorization header without a token, and JSON bodies as JSON', async () => {
    const { http, fetchImpl } = setup(null, jsonResponse(200, { token: 't' }))
    await http.post('/api/console/login', { username: 'admin', password: 'x' })
    const init = fetchImpl.mock.calls[0][1]
    expect(sentHeaders(fetchImpl).Authorization).toBeUndefined()
    expect(sentHeaders(fetchImpl)['Content-Type']).toBe('application/json')
    expect(init?.method).toBe('POST')
    expect(JSON.parse(init?.body as string)).toEqual({ username: 'admin', password: 'x' })
  })

  it('shows the API error message in Chinese and throws an ApiError with code and details', async () => {
    const body = { error: { code: 'CAPACITY_BELOW_BOOKED', message: '号源数不能少于已预约人数', details: { booked: 12 } } }
    const { http, hooks } = setup('tok', jsonResponse(409, body))
    const error = await http.put('/api/console/quota/2025-03-07', { capacity: 5, open: true }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('CAPACITY_BELOW_BOOKED')
    expect((error as ApiError).status).toBe(409)
    expect((error as ApiError).details).toEqual({ booked: 12 })
    expect(hooks.notifyError).toHaveBeenCalledWith('号源数不能少于已预约人数')
    expect(hooks.onUnauthorized).not.toHaveBeenCalled()
  })

  it('does not toast when the caller asks for silence', async () => {
    const body = { error: { code: 'RATE_LIMITED', message: '登录失败次数过多，请稍后再试', details: { retry_after: 8 } } }
    const { http, hooks } = setup(null, jsonResponse(429, body))
    await expect(http.post('/api/console/login', {}, { silent: true })).rejects.toMatchObject({ code: 'RATE_LIMITED' })
    expect(hooks.notifyError).not.toHaveBeenCalled()
  })

  it('ends the session on a 401 for a request that carried a token (idle timeout)', async () => {
    const body = { error: { code: 'SESSION_EXPIRED', message: '长时间未操作，请重新登录' } }
    const { http, hooks } = setup('old-token', jsonResponse(401, body))
    await expect(http.get('/api/console/quota')).rejects.toMatchObject({ code: 'SESSION_EXPIRED', status: 401 })
    expect(hooks.onUnauthorized).toHaveBeenCalledTimes(1)
    expect(hooks.notifyError).toHaveBeenCalledWith('长时间未操作，请重新登录')
  })

  it('does not treat a failed login (401 without token) as an expired session', async () => {
    const body = { error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } }
    const { http, hooks } = setup(null, jsonResponse(401, body))
    await expect(http.post('/api/console/login', {}, { silent: true })).rejects.toBeInstanceOf(ApiError)
    expect(hooks.onUnauthorized).not.toHaveBeenCalled()
  })

  it('falls back to a generic Chinese message when the error is not the JSON shape', async () => {
    const { http, hooks } = setup('tok', new Response('<html>Bad Gateway</html>', { status: 502 }))
    await expect(http.get('/api/console/payments')).rejects.toMatchObject({ code: 'HTTP_502' })
    expect(hooks.notifyError).toHaveBeenCalledWith('服务器繁忙，请稍后重试')
  })

  it('reports a network failure in Chinese', async () => {
    const { http, hooks } = setup('tok', () => Promise.reject(new TypeError('Failed to fetch')))
    await expect(http.get('/api/console/packages')).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 0 })
    expect(hooks.notifyError).toHaveBeenCalledWith('网络连接失败，请检查网络后重试')
  })

  it('answers undefined for 204 No Content', async () => {
    const { http } = setup('tok', new Response(null, { status: 204 }))
    await expect(http.post('/api/console/logout')).resolves.toBeUndefined()
  })

  it('downloads a file with the RFC 5987 file name and the token', async () => {
    const file = new Response(new Blob(['PK\u0003\u0004']), {
      status: 200,
      headers: {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent('预约患者_2025-03-07.xlsx')}`,
      },
    })
    const { http, fetchImpl } = setup('tok', file)
    const download = await http.download('/api/console/reports/booked-patients', { format: 'xlsx' }, 'fallback.xlsx')
    expect(download.filename).toBe('预约患者_2025-03-07.xlsx')
    expect(await download.blob.text()).toBe('PK\u0003\u0004')
    expect(sentHeaders(fetchImpl).Authorization).toBe('Bearer tok')
  })
})

describe('buildUrl', () => {
  it('skips empty values and repeats arrays', () => {
    expect(buildUrl('/x', { a: '', b: undefined, c: null, q: '张三', ids: [1, 2] })).toBe('/x?q=%E5%BC%A0%E4%B8%89&ids=1&ids=2')
    expect(buildUrl('/x')).toBe('/x')
  })
})

import { currentToken, TOKEN_STORAGE_KEY } from '../../miniprogram/services/auth'
import { ApiError } from '../../miniprogram/services/errors'
import { listPatients } from '../../miniprogram/services/patients'
import { http, request } from '../../miniprogram/services/request'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx } from '../helpers/fake-wx'

describe('request wrapper', () => {
  let server: FakeServer
  let fake: FakeWx

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  const authHeaders = () => server.log.map((r) => r.headers.Authorization)

  it('logs in with wx.login first and sends the token as a Bearer header', async () => {
    server.addPatient('openid-patient-code', { name: '张三' })
    const patients = await listPatients()
    expect(patients.map((p) => p.name)).toEqual(['张三'])
    expect(server.log.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/auth/wechat', 'GET /api/me/patients'])
    expect(server.log[0].body).toEqual({ code: 'patient-code' })
    expect(server.log[1].headers.Authorization).toMatch(/^Bearer tok-\d+$/)
    expect(fake.storage.get(TOKEN_STORAGE_KEY)).toMatchObject({ token: server.log[1].headers.Authorization.slice(7) })
  })

  it('reuses a stored, fresh token without logging in again', async () => {
    await listPatients()
    await listPatients()
    expect(fake.loginCount).toBe(1)
    expect(server.log.filter((r) => r.path === '/api/auth/wechat')).toHaveLength(1)
  })

  it('logs in again when the stored token is about to expire', async () => {
    server.tokenLifetime = 30 // shorter than the renewal margin
    await listPatients()
    expect(currentToken()).toBeNull()
    await listPatients()
    expect(fake.loginCount).toBe(2)
  })

  it('on 401 logs in again once and retries the same request', async () => {
    await listPatients()
    server.expireTokens()
    const before = authHeaders().length
    const patients = await listPatients()
    expect(patients).toEqual([])
    const calls = server.log.slice(before).map((r) => `${r.method} ${r.path}`)
    expect(calls).toEqual(['GET /api/me/patients', 'POST /api/auth/wechat', 'GET /api/me/patients'])
    const [first, , retried] = server.log.slice(before)
    expect(retried.headers.Authorization).not.toBe(first.headers.Authorization)
    expect(fake.toasts).toEqual([])
  })

  it('gives up after one retry when the server keeps answering 401', async () => {
    const handle = server.handle.bind(server)
    server.handle = (req) =>
      req.path === '/api/me/patients'
        ? (server.log.push(req), { status: 401, body: { error: { code: 'TOKEN_EXPIRED', message: '登录已过期，请重新登录' } } })
        : handle(req)
    await expect(listPatients()).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' })
    expect(server.log.filter((r) => r.path === '/api/me/patients')).toHaveLength(2)
    expect(fake.loginCount).toBe(2)
    expect(fake.toasts).toEqual([{ title: '登录已过期，请重新登录', icon: 'none' }])
  })

  it('turns the error body into a typed ApiError and shows its Chinese message', async () => {
    const error: unknown = await http.post('/api/me/bookings', { bill_no: 'NOPE', date: '2030-01-01' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', message: '缴费项目不存在' })
    expect(fake.lastToast()).toBe('缴费项目不存在')
  })

  it('keeps the details of the error', async () => {
    const error = await http
      .post<unknown>('/api/me/patients', { name: '张三', id_number: 'bad', phone: '13812345678' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).details).toEqual({ field: 'id_number' })
  })

  it('does not toast when asked not to', async () => {
    await expect(request('/api/me/payments/none', { toast: false })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(fake.toasts).toEqual([])
  })

  it('explains a network failure in Chinese', async () => {
    fake.networkDown = true
    await expect(listPatients()).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' })
    expect(fake.lastToast()).toBe('网络连接失败，请检查网络后重试')
  })

  it('shares one login between concurrent requests', async () => {
    await Promise.all([listPatients(), listPatients(), http.get('/api/me/bookings')])
    expect(fake.loginCount).toBe(1)
  })

  it('answers undefined for 204 and sends no token to public endpoints', async () => {
    const owner = 'openid-patient-code'
    const p = server.addPatient(owner, { name: '张三' })
    await expect(http.del(`/api/me/patients/${p.id}`)).resolves.toBeUndefined()
    expect(server.patients).toHaveLength(0)
    await http.get('/api/packages', undefined, { auth: false })
    expect(server.log[server.log.length - 1].headers.Authorization).toBeUndefined()
  })

  it('maps an answer without the error shape to a readable message', async () => {
    server.handle = (req) => (server.log.push(req), { status: 502, body: '<html>Bad Gateway</html>' })
    await expect(http.get('/api/packages', undefined, { auth: false })).rejects.toMatchObject({
      status: 502,
      code: 'SERVER_ERROR',
      message: '服务暂时不可用，请稍后再试',
    })
  })
})

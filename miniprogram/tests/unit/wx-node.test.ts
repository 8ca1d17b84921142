/**
 * @jest-environment node
 */
// The Node adapter runs the real services over HTTP; here against a tiny local server, later
// against the real backend.
import * as http from 'http'
import { AddressInfo } from 'net'
import { config } from '../../miniprogram/config'
import { listPatients } from '../../miniprogram/services/patients'
import { listPackages } from '../../miniprogram/services/packages'
import { installNodeWx } from '../e2e/wx-node'

describe('wx-node adapter', () => {
  let server: http.Server
  const seen: { method: string; url: string; auth?: string; body: string }[] = []
  let rejectNextToken = false

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body })
        res.setHeader('content-type', 'application/json')
        if (req.url === '/api/auth/wechat') {
          const { code } = JSON.parse(body)
          res.end(JSON.stringify({ token: `t-${code}-${seen.length}`, expires_in: 7200 }))
        } else if (req.url === '/api/me/patients') {
          if (rejectNextToken) {
            rejectNextToken = false
            res.statusCode = 401
            res.end(JSON.stringify({ error: { code: 'TOKEN_EXPIRED', message: '登录已过期' } }))
            return
          }
          res.end(JSON.stringify({ items: [{ id: 1, name: '张三' }], total: 1 }))
        } else {
          res.statusCode = 409
          res.end(JSON.stringify({ error: { code: 'PACKAGE_UNAVAILABLE', message: '该体检套餐暂不可预约', details: {} } }))
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    config.apiBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('logs in with the chosen code, keeps the token and sends it', async () => {
    const nodeWx = installNodeWx({ loginCode: 'e2e-person-1' })
    const patients = await listPatients()
    expect(patients.map((p) => p.name)).toEqual(['张三'])
    expect(JSON.parse(seen[0].body)).toEqual({ code: 'e2e-person-1' })
    expect(seen[1].auth).toMatch(/^Bearer t-e2e-person-1-/)
    expect(nodeWx.requests.map((r) => r.status)).toEqual([200, 200])

    rejectNextToken = true
    await listPatients()
    expect(seen.slice(-3).map((r) => r.url)).toEqual(['/api/me/patients', '/api/auth/wechat', '/api/me/patients'])
  })

  it('turns an error answer into the server message, shown as a toast', async () => {
    const nodeWx = installNodeWx()
    await expect(listPackages()).rejects.toMatchObject({ status: 409, code: 'PACKAGE_UNAVAILABLE' })
    expect(nodeWx.toasts).toEqual(['该体检套餐暂不可预约'])
  })

  it('reports an unreachable server as a network error', async () => {
    const nodeWx = installNodeWx()
    const saved = config.apiBaseUrl
    config.apiBaseUrl = 'http://127.0.0.1:1'
    try {
      await expect(listPackages()).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' })
      expect(nodeWx.toasts).toEqual(['网络连接失败，请检查网络后重试'])
    } finally {
      config.apiBaseUrl = saved
    }
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { listRefundTasks, rerunRefund } from './refunds'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => vi.unstubAllGlobals())

describe('refund tasks API', () => {
  it('lists the refunds needing a person, or one status', async () => {
    const mock = stubFetch(200, { items: [], total: 0 })
    await listRefundTasks()
    await listRefundTasks('abnormal')
    expect(String(mock.mock.calls[0][0])).toBe('/api/console/refunds')
    expect(String(mock.mock.calls[1][0])).toBe('/api/console/refunds?status=abnormal')
  })

  it('re-runs a refund by its number', async () => {
    const mock = stubFetch(200, { refund_no: 'RF1', status: 'pending' })
    await expect(rerunRefund('RF1')).resolves.toMatchObject({ status: 'pending' })
    const [url, init] = mock.mock.calls[0]
    expect([String(url), init?.method]).toEqual(['/api/console/refunds/RF1/retry', 'POST'])
  })

  it("passes the server's refusal on (409 REFUND_NOT_ALLOWED)", async () => {
    stubFetch(409, { error: { code: 'REFUND_NOT_ALLOWED', message: '只有未成功或需人工处理的退款可以重新执行', details: {} } })
    await expect(rerunRefund('RF2')).rejects.toMatchObject({ status: 409, code: 'REFUND_NOT_ALLOWED' })
  })
})

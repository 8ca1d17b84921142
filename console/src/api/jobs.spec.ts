import { afterEach, describe, expect, it, vi } from 'vitest'
import { listJobs, retryJob } from './jobs'
import { refundHeldPayment } from './payments'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

const call = (mock: ReturnType<typeof stubFetch>) => {
  const [url, init] = mock.mock.calls[0]
  return { url: String(url), method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined }
}

afterEach(() => vi.unstubAllGlobals())

describe('jobs API', () => {
  it('lists jobs of one status with paging', async () => {
    const mock = stubFetch(200, { items: [], total: 0 })
    await expect(listJobs({ status: 'failed', page: 1, page_size: 50 })).resolves.toEqual({ items: [], total: 0 })
    expect(call(mock)).toEqual({ url: '/api/console/jobs?status=failed&page=1&page_size=50', method: 'GET', body: undefined })
  })

  it('re-queues a failed job by id', async () => {
    const mock = stubFetch(200, { id: 12, kind: 'his_writeback', status: 'pending', attempts: 0 })
    expect((await retryJob(12)).status).toBe('pending')
    expect(call(mock)).toEqual({ url: '/api/console/jobs/12/retry', method: 'POST', body: undefined })
  })

  it("passes the server's refusal on (409 JOB_NOT_RETRYABLE)", async () => {
    stubFetch(409, { error: { code: 'JOB_NOT_RETRYABLE', message: '该任务已完成，不能重新执行', details: { status: 'done' } } })
    await expect(retryJob(3)).rejects.toMatchObject({ status: 409, code: 'JOB_NOT_RETRYABLE', message: '该任务已完成，不能重新执行' })
  })
})

describe('held payment refund API', () => {
  it('posts the reason to the payment', async () => {
    const mock = stubFetch(201, { refund_no: 'RF1', status: 'pending', amount_fen: 35800 })
    await expect(refundHeldPayment('P2026ABC', '金额异常')).resolves.toMatchObject({ refund_no: 'RF1', amount_fen: 35800 })
    expect(call(mock)).toEqual({ url: '/api/console/payments/P2026ABC/refund', method: 'POST', body: { reason: '金额异常' } })
  })

  it('rejects with the server message for the dialog to show', async () => {
    stubFetch(409, { error: { code: 'REFUND_EXISTS', message: '该项目已申请退费' } })
    await expect(refundHeldPayment('P1', 'x')).rejects.toMatchObject({ code: 'REFUND_EXISTS', message: '该项目已申请退费' })
  })
})

import { describe, expect, it } from 'vitest'
import type { JobRow } from '@/api/jobs'
import { JOB_COLUMNS, JOB_TABS, attemptsText, canRetry, kindText, payloadSummary, retryConfirmMessage } from './data'

const job = (over: Partial<JobRow> = {}): JobRow => ({
  id: 12,
  kind: 'his_writeback',
  payload: { payment_no: 'P20260301ABC', query_first: true },
  status: 'failed',
  attempts: 12,
  max_attempts: 12,
  last_error: 'Retry: HIS confirm_payment UNKNOWN TIMEOUT',
  run_after: '2026-03-01T10:00:00+08:00',
  created_at: '2026-03-01T09:00:00+08:00',
  updated_at: '2026-03-01T10:00:00+08:00',
  ...over,
})

describe('任务 page data', () => {
  it('names the kinds in Chinese and shows a new kind as sent', () => {
    expect(kindText('his_writeback')).toBe('回写HIS')
    expect(kindText('refund')).toBe('退款')
    expect(kindText('send_message')).toBe('订阅消息')
    expect(kindText('expire_orders')).toBe('expire_orders')
  })

  it('has the tabs failed first, by status', () => {
    expect(JOB_TABS.map((t) => [t.status, t.label])).toEqual([
      ['failed', '失败'],
      ['pending', '等待中'],
      ['running', '运行中'],
      ['done', '已完成'],
    ])
  })

  it('summarises the payload by payment and refund number', () => {
    expect(payloadSummary({ payment_no: 'P1', query_first: true })).toBe('支付单号 P1')
    expect(payloadSummary({ refund_no: 'RF9' })).toBe('退款单号 RF9')
    expect(payloadSummary({ payment_no: 'P1', refund_no: 'RF9' })).toBe('支付单号 P1，退款单号 RF9')
    expect(payloadSummary({ booking_id: 7, template: 'reminder' })).toBe('{"booking_id":7,"template":"reminder"}')
    expect(payloadSummary({})).toBe('—')
    expect(payloadSummary({ text: 'x'.repeat(200) })).toHaveLength(80)
  })

  it('fills the columns from a row', () => {
    const cells = Object.fromEntries(JOB_COLUMNS.map((c) => [c.key, c.value(job())]))
    expect(cells).toEqual({
      id: '12',
      kind: '回写HIS',
      payload: '支付单号 P20260301ABC',
      attempts: '12 / 12',
      last_error: 'Retry: HIS confirm_payment UNKNOWN TIMEOUT',
      created_at: '2026-03-01 09:00:00',
      updated_at: '2026-03-01 10:00:00',
    })
    expect(JOB_COLUMNS.find((c) => c.key === 'last_error')?.value(job({ last_error: '' }))).toBe('—')
    expect(attemptsText({ attempts: 3 })).toBe('3')
  })

  it('offers 重新执行 on failed jobs to finance and admin only', () => {
    for (const status of ['pending', 'running', 'done'] as const) {
      expect(canRetry(job({ status }), ['admin'])).toBe(false)
    }
    expect(canRetry(job(), ['finance'])).toBe(true)
    expect(canRetry(job(), ['admin'])).toBe(true)
    expect(canRetry(job(), ['staff'])).toBe(false)
    expect(canRetry(job(), ['auditor'])).toBe(false)
    expect(canRetry(job(), [])).toBe(false)
  })

  it('explains in the confirmation why running it again is safe', () => {
    const text = retryConfirmMessage(job())
    expect(text).toContain('「回写HIS」任务 #12（支付单号 P20260301ABC）')
    expect(text).toContain('幂等')
    expect(text).toContain('不会重复入账')
    expect(text).toContain('不会重复退款')
    expect(retryConfirmMessage(job({ kind: 'refund', payload: {} }))).toContain('「退款」任务 #12将立即')
  })
})

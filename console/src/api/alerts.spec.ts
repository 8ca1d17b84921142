import { afterEach, describe, expect, it, vi } from 'vitest'
import { alertLine, listAlerts, type FinanceAlert } from './alerts'

afterEach(() => vi.unstubAllGlobals())

describe('finance alerts API', () => {
  it('lists the open alerts', async () => {
    const mock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify({ items: [] }), { status: 200 }))
    vi.stubGlobal('fetch', mock)
    await expect(listAlerts()).resolves.toEqual({ items: [] })
    expect(String(mock.mock.calls[0][0])).toBe('/api/console/alerts')
  })

  it('says what happened, since when, how often and which refund waits, in Chinese', () => {
    const alert: FinanceAlert = {
      kind: 'WECHAT_NOT_ENOUGH',
      text: '商户号余额不足，退款将自动重试。请尽快为微信支付商户号充值（或调整自动提现）',
      times: 3,
      refund_no: 'RF1',
      first_at: '2026-12-03T09:00:00+08:00',
      last_at: '2026-12-03T09:05:00+08:00',
    }
    const line = alertLine(alert, (iso) => iso.slice(0, 16).replace('T', ' '))
    expect(line).toContain('商户号余额不足，退款将自动重试')
    expect(line).toContain('自 2026-12-03 09:00 起，已发生 3 次，最近受影响的退款 RF1')
    expect(alertLine({ ...alert, times: 1, refund_no: '' }, () => 't')).not.toContain('已发生')
  })
})

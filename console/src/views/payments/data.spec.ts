import { describe, expect, it } from 'vitest'
import type { PaymentRow } from '@/api/payments'
import { PAYMENT_STATUS, canRefund, refundBody, stateLabel, withRefund } from './data'

const row = (over: Partial<PaymentRow> = {}): PaymentRow => ({
  payment_no: 'P20260301ABC',
  patient_name: '王小明',
  bill_nos: ['B1'],
  amount_fen: 35800,
  status: 'held',
  held_reason: '微信通知金额 1 分与订单金额 35800 分不一致',
  refund_status: null,
  refund_no: null,
  ...over,
})

describe('缴费记录 refund of held payments', () => {
  it('labels a held payment', () => {
    expect(stateLabel(PAYMENT_STATUS, 'held')).toEqual({ text: '金额不符，已挂起', type: 'danger' })
  })

  it('offers 退款 only on held payments without a refund, to finance and admin', () => {
    expect(canRefund(row(), ['finance'])).toBe(true)
    expect(canRefund(row(), ['admin'])).toBe(true)
    for (const status of ['paid', 'pending', 'closed', 'refunded']) {
      expect(canRefund(row({ status }), ['admin'])).toBe(false)
    }
    expect(canRefund(row({ refund_no: 'RF1', refund_status: 'pending' }), ['finance'])).toBe(false)
    expect(canRefund(row(), ['staff'])).toBe(false)
    expect(canRefund(row(), ['auditor'])).toBe(false)
  })

  it('needs a reason and the amount confirmed', () => {
    expect(refundBody({ reason: '  金额异常 ', confirmed: true })).toEqual({ body: { reason: '金额异常' } })
    expect(refundBody({ reason: '   ', confirmed: true })).toEqual({ error: '请填写退款原因' })
    expect(refundBody({ reason: '金额异常', confirmed: false })).toEqual({ error: '请先核对金额并勾选确认' })
    expect(refundBody({ reason: '字'.repeat(81), confirmed: true })).toHaveProperty('error')
    expect(refundBody({ reason: '字'.repeat(80), confirmed: true })).toHaveProperty('body')
  })

  it('shows the refund on the row at once', () => {
    const after = withRefund(row(), { refund_no: 'RF1', status: 'pending' })
    expect(after).toMatchObject({ refund_no: 'RF1', refund_status: 'pending', status: 'held' })
    expect(canRefund(after, ['finance'])).toBe(false)
  })
})

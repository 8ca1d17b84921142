import { describe, expect, it } from 'vitest'
import type { PaymentRow } from '@/api/payments'
import {
  PAYMENT_STATE_TAG,
  REFUND_TAG,
  WRITEBACK_TAG,
  canRefund,
  refundBody,
  refundLabel,
  stateLabel,
  withRefund,
  writebackLabel,
} from './data'

const row = (over: Partial<PaymentRow> = {}): PaymentRow => ({
  payment_no: 'P20260301ABC',
  patient_name: '王小明',
  bill_nos: ['B1'],
  amount_fen: 35800,
  status: 'held',
  held_reason: '微信通知金额 1 分与订单金额 35800 分不一致',
  refund_status: null,
  refund_no: null,
  transaction_id: '4200000001',
  created_at: '2026-03-01T09:00:00+08:00',
  paid_at: '2026-03-01T09:01:00+08:00',
  writeback_status: 'none',
  writeback_text: '',
  refund_status_text: null,
  status_text: '金额不符，已挂起',
  his_settle_no: null,
  his_error: '',
  refunded_fen: 0,
  state: 'held',
  ...over,
})

describe('缴费记录 refund of held payments', () => {
  it('colours exactly the states the server sends (no guessed ones)', () => {
    // services/payments.patient_status (+ held); domain/money.HisStatus; domain/money.RefundStatus
    expect(Object.keys(PAYMENT_STATE_TAG).sort()).toEqual(['closed', 'held', 'paid', 'paying', 'pending', 'refunded', 'refunding'])
    expect(Object.keys(WRITEBACK_TAG).sort()).toEqual(['failed', 'none', 'pending', 'settled'])
    expect(Object.keys(REFUND_TAG).sort()).toEqual(['abnormal', 'failed', 'his_done', 'pending', 'succeeded', 'wechat_pending'])
  })

  it("shows the server's words, coloured by the state", () => {
    expect(stateLabel(row())).toEqual({ text: '金额不符，已挂起', type: 'danger' })
    expect(stateLabel(row({ state: 'paid', status_text: '已缴费' }))).toEqual({ text: '已缴费', type: 'success' })
    expect(writebackLabel(row({ writeback_status: 'settled', writeback_text: '已回写HIS' }))).toEqual({ text: '已回写HIS', type: 'success' })
    expect(writebackLabel(row())).toEqual({ text: '—', type: 'info' })
    expect(refundLabel(row())).toEqual({ text: '无退款', type: 'info' })
    expect(refundLabel(row({ refund_status: 'abnormal', refund_status_text: '退款处理中，体检中心财务人员正在处理' }))).toEqual({
      text: '退款处理中，体检中心财务人员正在处理',
      type: 'danger',
    })
  })

  it('shows a state the client does not know yet as sent', () => {
    const later = row({ state: 'later_state' as PaymentRow['state'], status_text: '' })
    expect(stateLabel(later)).toEqual({ text: 'later_state', type: 'info' })
  })

  it('offers 退款 only on held payments without a refund, to finance and admin', () => {
    expect(canRefund(row(), ['finance'])).toBe(true)
    expect(canRefund(row(), ['admin'])).toBe(true)
    for (const status of ['paid', 'pending', 'closed'] as const) {
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
    const after = withRefund(row(), { refund_no: 'RF1', status: 'pending', status_text: '退款处理中' })
    expect(after).toMatchObject({ refund_no: 'RF1', refund_status: 'pending', refund_status_text: '退款处理中', status: 'held' })
    expect(canRefund(after, ['finance'])).toBe(false)
  })
})

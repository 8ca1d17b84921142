import type { PaymentRow } from '@/api/payments'
import { formatDateTime, formatYuan } from '@/utils/format'
import { can } from '@/utils/permission'

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export interface StateLabel {
  text: string
  type: TagType
}

/** Unknown states are shown as sent, so a new server state is never hidden. */
export function stateLabel(map: Record<string, StateLabel>, value: string | null | undefined): StateLabel {
  if (!value) return { text: '—', type: 'info' }
  return map[value] ?? { text: value, type: 'info' }
}

/** payment.status on the server: pending, paid, closed, held (the others are kept for older answers). */
export const PAYMENT_STATUS: Record<string, StateLabel> = {
  pending: { text: '待支付', type: 'info' },
  held: { text: '金额不符，已挂起', type: 'danger' },
  created: { text: '待支付', type: 'info' },
  paying: { text: '支付中', type: 'warning' },
  paid: { text: '已支付', type: 'success' },
  closed: { text: '已关闭', type: 'info' },
  failed: { text: '支付失败', type: 'danger' },
  refunding: { text: '退款中', type: 'warning' },
  refunded: { text: '已退款', type: 'info' },
}

/** payment.his_status on the server: none (not paid yet), pending, settled, failed. */
export const WRITEBACK_STATUS: Record<string, StateLabel> = {
  none: { text: '—', type: 'info' },
  settled: { text: '已回写HIS', type: 'success' },
  pending: { text: '待回写', type: 'warning' },
  processing: { text: '回写中', type: 'warning' },
  unknown: { text: '结果未知，查询中', type: 'warning' },
  done: { text: '已回写HIS', type: 'success' },
  succeeded: { text: '已回写HIS', type: 'success' },
  failed: { text: '回写失败', type: 'danger' },
}

export const REFUND_STATUS: Record<string, StateLabel> = {
  none: { text: '无退款', type: 'info' },
  processing: { text: '退款中', type: 'warning' },
  pending: { text: '退款中', type: 'warning' },
  his_done: { text: '退款中', type: 'warning' },
  wechat_pending: { text: '退款中', type: 'warning' },
  success: { text: '已退款', type: 'success' },
  succeeded: { text: '已退款', type: 'success' },
  failed: { text: '退款失败', type: 'danger' },
  abnormal: { text: '退款异常', type: 'danger' },
}

export const STATUS_OPTIONS = [
  { value: '', label: '全部状态' },
  ...['paid', 'pending', 'held', 'closed'].map((value) => ({ value, label: PAYMENT_STATUS[value].text })),
]

export interface TextColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: PaymentRow) => string
}

/** Columns before the state tags (支付状态, HIS回写, 退款) … */
export const PAYMENT_LEAD_COLUMNS: TextColumn[] = [
  { key: 'payment_no', label: '支付单号', width: 190, value: (r) => r.payment_no },
  { key: 'patient_name', label: '患者', width: 90, value: (r) => r.patient_name ?? '—' },
  { key: 'bill_nos', label: '缴费单号', minWidth: 130, value: (r) => r.bill_nos.join('、') },
  { key: 'amount_fen', label: '金额', width: 100, value: (r) => formatYuan(r.amount_fen) },
]

/** … and after them. */
export const PAYMENT_TAIL_COLUMNS: TextColumn[] = [
  { key: 'paid_at', label: '支付时间', width: 170, value: (r) => formatDateTime(r.paid_at ?? r.created_at) },
  { key: 'his_settle_no', label: 'HIS结算号', width: 120, value: (r) => r.his_settle_no ?? '—' },
  { key: 'transaction_id', label: '微信支付单号', minWidth: 200, value: (r) => r.transaction_id ?? '—' },
]

/** 退款 is offered on held payments (金额不符，已挂起) without a refund yet, to finance and admin. */
export function canRefund(row: Pick<PaymentRow, 'status' | 'refund_no'>, roles: readonly string[]): boolean {
  return row.status === 'held' && !row.refund_no && can(roles, 'payments.refund')
}

/** The server keeps at most 80 characters of the reason. */
export const REFUND_REASON_MAX = 80

export interface RefundForm {
  reason: string
  /** the staff member checked the amount and the payment */
  confirmed: boolean
}

export function refundBody(form: RefundForm): { body: { reason: string } } | { error: string } {
  const reason = form.reason.trim()
  if (!reason) return { error: '请填写退款原因' }
  if (reason.length > REFUND_REASON_MAX) return { error: `退款原因最多 ${REFUND_REASON_MAX} 个字` }
  if (!form.confirmed) return { error: '请先核对金额并勾选确认' }
  return { body: { reason } }
}

/** After a refund the row shows it at once (the list is reloaded right after). */
export function withRefund(row: PaymentRow, refund: { refund_no: string; status: string }): PaymentRow {
  return { ...row, refund_no: refund.refund_no, refund_status: refund.status }
}

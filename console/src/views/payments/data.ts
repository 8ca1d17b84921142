import type { PaymentRow } from '@/api/payments'
import type { RefundStatus } from '@/api/refunds'
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

/**
 * What the server sends in a payment row's `state` (services/payments.patient_status, held added): the
 * server sends no status_text for payments, so the console names them. Unknown states are shown as sent.
 */
export type PaymentState = 'pending' | 'paying' | 'paid' | 'refunding' | 'refunded' | 'closed' | 'held'

export const PAYMENT_STATUS: Record<PaymentState, StateLabel> = {
  pending: { text: '待支付', type: 'info' },
  paying: { text: '支付成功，正在确认', type: 'warning' },
  paid: { text: '已支付', type: 'success' },
  refunding: { text: '退款中', type: 'warning' },
  refunded: { text: '已退款', type: 'info' },
  closed: { text: '已关闭', type: 'info' },
  held: { text: '金额不符，已挂起', type: 'danger' },
}

/** `writeback_status` is the payment's HIS write-back (checkup.domain.money.HisStatus): four states. */
export type WritebackStatus = 'none' | 'pending' | 'settled' | 'failed'

export const WRITEBACK_STATUS: Record<WritebackStatus, StateLabel> = {
  none: { text: '—', type: 'info' },
  pending: { text: '待回写', type: 'warning' },
  settled: { text: '已回写HIS', type: 'success' },
  failed: { text: '回写失败', type: 'danger' },
}

/** `refund_status` is the payment's latest refund (checkup.domain.money.RefundStatus), `none` without one. */
export const REFUND_STATUS: Record<RefundStatus | 'none', StateLabel> = {
  none: { text: '无退款', type: 'info' },
  pending: { text: '退款中', type: 'warning' },
  his_done: { text: '退款中', type: 'warning' },
  wechat_pending: { text: '退款中', type: 'warning' },
  succeeded: { text: '已退款', type: 'success' },
  failed: { text: '退款失败', type: 'danger' },
  abnormal: { text: '退款异常', type: 'danger' },
}

export const STATUS_OPTIONS = [
  { value: '', label: '全部状态' },
  ...(['paid', 'pending', 'held', 'closed'] as const).map((value) => ({ value, label: PAYMENT_STATUS[value].text })),
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

import type { PaymentRow } from '@/api/payments'
import type { RefundStatus } from '@/api/refunds'
import { formatDateTime, formatYuan } from '@/utils/format'
import { can } from '@/utils/permission'

export type TagType = 'success' | 'warning' | 'danger' | 'info' | 'primary'

export interface StateLabel {
  text: string
  type: TagType
}

/** A tag: the server's words (status_text and the like) with a colour chosen here by the enum value. */
function label(text: string | null | undefined, type: TagType | undefined): StateLabel {
  return { text: text || '—', type: type ?? 'info' }
}

/** What the server sends in a payment row's `state` (services/payments.patient_status, held added). */
export type PaymentState = PaymentRow['state']

/** Colours of the 支付状态 tags; the words are the row's `status_text` (domain/money.PAYMENT_STAFF_STATE_TEXT). */
export const PAYMENT_STATE_TAG: Record<PaymentState, TagType> = {
  pending: 'info',
  paying: 'warning',
  paid: 'success',
  refunding: 'warning',
  refunded: 'info',
  closed: 'info',
  held: 'danger',
}

/** `writeback_status` is the payment's HIS write-back (checkup.domain.money.HisStatus): four states. */
export type WritebackStatus = PaymentRow['writeback_status']

/** Colours of the HIS回写 tags; the words are the row's `writeback_text` ("" for none: shown as —). */
export const WRITEBACK_TAG: Record<WritebackStatus, TagType> = {
  none: 'info',
  pending: 'warning',
  settled: 'success',
  failed: 'danger',
}

/** Colours of the 退款 tags (the latest refund, checkup.domain.money.RefundStatus); the words are `refund_status_text`. */
export const REFUND_TAG: Record<RefundStatus, TagType> = {
  pending: 'warning',
  his_done: 'warning',
  wechat_pending: 'warning',
  succeeded: 'success',
  failed: 'danger',
  abnormal: 'danger',
}

type PaymentTexts = Pick<PaymentRow, 'state' | 'status_text' | 'writeback_status' | 'writeback_text'>

export function stateLabel(row: Pick<PaymentTexts, 'state' | 'status_text'>): StateLabel {
  return label(row.status_text || row.state, PAYMENT_STATE_TAG[row.state])
}

export function writebackLabel(row: Pick<PaymentTexts, 'writeback_status' | 'writeback_text'>): StateLabel {
  return label(row.writeback_text, WRITEBACK_TAG[row.writeback_status])
}

export function refundLabel(row: Pick<PaymentRow, 'refund_status' | 'refund_status_text'>): StateLabel {
  if (!row.refund_status) return { text: '无退款', type: 'info' }
  return label(row.refund_status_text || row.refund_status, REFUND_TAG[row.refund_status])
}

/**
 * The 状态 filter: the WeChat side of a payment (`status`, the query's values). A query, not a row: the server
 * sends no words for it.
 */
export const STATUS_OPTIONS = [
  { value: '', label: '全部状态' },
  { value: 'paid', label: '已支付' },
  { value: 'pending', label: '待支付' },
  { value: 'held', label: '金额不符，已挂起' },
  { value: 'closed', label: '已关闭' },
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
export function withRefund(
  row: PaymentRow,
  refund: Pick<PaymentRow, 'refund_no'> & { refund_no: string; status: RefundStatus; status_text: string },
): PaymentRow {
  return { ...row, refund_no: refund.refund_no, refund_status: refund.status, refund_status_text: refund.status_text }
}

import { http, type Page } from './client'

/** Field names beyond API.md's "payments with their HIS write-back and refund state" are assumptions. */
export interface PaymentRow {
  payment_no: string
  patient_name?: string | null
  bill_nos: string[]
  amount_fen: number
  /** created / paying / paid / closed / refunding / refunded … */
  status: string
  transaction_id?: string | null
  created_at?: string | null
  paid_at?: string | null
  /** HIS write-back (缴费确认): pending / done / failed / unknown … */
  writeback_status?: string | null
  his_settle_no?: string | null
  /** why HIS refused the write-back, when it did */
  his_error?: string | null
  /** status "held": why (WeChat's amount differed from ours) */
  held_reason?: string | null
  /** none / processing / success / failed … */
  refund_status?: string | null
  refund_no?: string | null
  refunded_fen?: number | null
  /** what the patient sees: paying / paid / refunding / refunded / closed (held: held) */
  state?: string | null
}

/** Over the whole filter: payments WeChat took, gross, refunded, and amount_fen net of refunds. */
export interface PaymentsSummary {
  count: number
  amount_fen: number
  gross_fen?: number
  refunded_fen?: number
}

export interface PaymentsPage extends Page<PaymentRow> {
  /** Paid count and amount over the whole filter, when the server sends it. */
  summary?: PaymentsSummary
}

export interface PaymentsQuery {
  from: string
  to: string
  status?: string
  page?: number
  page_size?: number
}

/** GET /api/console/payments?from=&to=&status= */
export function listPayments(query: PaymentsQuery): Promise<PaymentsPage> {
  return http.get<PaymentsPage>('/api/console/payments', { ...query })
}

export interface StaffRefund {
  refund_no: string
  /** pending / his_done / wechat_pending / succeeded / failed / abnormal */
  status: string
  status_text?: string
  /** what WeChat Pay really took for the order, refunded in full */
  amount_fen: number
}

/**
 * POST /api/console/payments/{payment_no}/refund: refund a held payment in full (finance, admin).
 * Silent: the refund dialog shows the server's refusal next to the form.
 */
export function refundHeldPayment(paymentNo: string, reason: string): Promise<StaffRefund> {
  return http.post<StaffRefund>(`/api/console/payments/${encodeURIComponent(paymentNo)}/refund`, { reason }, { silent: true })
}

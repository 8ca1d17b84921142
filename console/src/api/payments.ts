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
  /** none / processing / success / failed … */
  refund_status?: string | null
  refund_no?: string | null
  refunded_fen?: number | null
}

export interface PaymentsSummary {
  count: number
  amount_fen: number
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

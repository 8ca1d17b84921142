import { http } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

/** A row of the 支付记录 list, as the server sends it (generated from the OpenAPI document). */
export type PaymentRow = Schemas['StaffPaymentOut']

/** Over the whole filter: payments WeChat took, gross, refunded, and amount_fen net of refunds. */
export type PaymentsSummary = Schemas['PaymentsSummaryOut']

export type PaymentsPage = Schemas['StaffPaymentList']

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

/** A staff refund as created: refund_no, status (checkup.domain.money.RefundStatus), amount_fen. */
export type StaffRefund = Schemas['RefundOut']

/**
 * POST /api/console/payments/{payment_no}/refund: refund a held payment in full (finance, admin).
 * Silent: the refund dialog shows the server's refusal next to the form.
 */
export function refundHeldPayment(paymentNo: string, reason: string): Promise<StaffRefund> {
  return http.post<StaffRefund>(`/api/console/payments/${encodeURIComponent(paymentNo)}/refund`, { reason }, { silent: true })
}

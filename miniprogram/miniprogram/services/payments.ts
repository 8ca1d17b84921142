/** Payments: one WeChat Pay order for one or more charges. */

import { PayParams } from './platform'
import { http } from './request'
import type { components } from './schema'

type Schemas = components['schemas']

/** A payment's state as the server sends it (generated from the OpenAPI document). */
export type PaymentStatus = Schemas['PaymentOut']['status']

/**
 * The server's payment states (pending | paying | paid | refunding | refunded | closed) grouped by
 * what the patient is told. `paying` = WeChat took the money, the hospital (HIS) has not confirmed
 * yet: still 支付确认中, never 支付成功. A state not listed here is treated as pending.
 */
export const PAYMENT_STATUS = {
  PENDING: ['pending', 'paying'],
  PAID: ['paid'],
  FAILED: ['closed'],
  REFUNDED: ['refunding', 'refunded'],
} as const satisfies Record<string, readonly PaymentStatus[]>

export type PaymentOutcome = 'paid' | 'failed' | 'refunded' | 'pending'

export type Payment = Schemas['PaymentOut']

/** The new payment (PaymentCreatedOut) and what wx.requestPayment needs (signType narrowed to what WeChat accepts). */
export type CreatedPayment = Payment & { pay_params: PayParams }

export function createPayment(input: { patientId: number; billNos: string[] }): Promise<CreatedPayment> {
  return http.post<CreatedPayment>('/api/me/payments', { patient_id: input.patientId, bill_nos: input.billNos })
}

/** Polled while confirming, so it never toasts: the pay page shows the state itself. */
export function getPayment(paymentNo: string): Promise<Payment> {
  return http.get<Payment>(`/api/me/payments/${encodeURIComponent(paymentNo)}`, undefined, { toast: false })
}

/**
 * Development build with the sandbox on: the sandbox plays the patient paying in WeChat. `wait`
 * makes it answer once WeChat's payment notification reached the server, as a real cashier closes
 * after the money is taken; the page then confirms with the server as usual.
 */
export function sandboxPay(paymentNo: string): Promise<{ transaction_id: string }> {
  return http.post<{ transaction_id: string }>('/sandbox/control/pay', { payment_no: paymentNo, wait: true }, { auth: false })
}

export function paymentOutcome(status: string): PaymentOutcome {
  const s = (status || '').toLowerCase()
  if ((PAYMENT_STATUS.PAID as readonly string[]).includes(s)) return 'paid'
  if ((PAYMENT_STATUS.FAILED as readonly string[]).includes(s)) return 'failed'
  if ((PAYMENT_STATUS.REFUNDED as readonly string[]).includes(s)) return 'refunded'
  return 'pending'
}

/** 退费: only for a paid charge with no active booking. */

import { http } from './request'
import type { components } from './schema'

/** The server's refund states (checkup.domain.money.RefundStatus: pending → his_done → wechat_pending → succeeded, or failed / abnormal). */
export type RefundStatus = components['schemas']['RefundStatus']

/** A refund as created (generated from the OpenAPI document). */
export type Refund = components['schemas']['RefundOut']

export function requestRefund(input: { billNo: string; reason?: string }): Promise<Refund> {
  return http.post<Refund>('/api/me/refunds', { bill_no: input.billNo, reason: input.reason })
}

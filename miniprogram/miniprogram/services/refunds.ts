/** 退费: only for a paid charge with no active booking. */

import { http } from './request'
import type { components } from './schema'

/** The server's refund states (checkup.domain.money.RefundStatus: pending → his_done → wechat_pending → succeeded, or failed / abnormal). */
export type RefundStatus = 'pending' | 'his_done' | 'wechat_pending' | 'succeeded' | 'failed' | 'abnormal'

/** The server's words for them (services/refunds.REFUND_STATUS_TEXT). */
export const REFUND_STATUS_TEXT: Record<RefundStatus, string> = {
  pending: '退款处理中',
  his_done: '退款处理中',
  wechat_pending: '退款处理中',
  abnormal: '退款处理中，体检中心财务人员正在处理',
  succeeded: '已退款',
  failed: '退款未成功，可重新申请',
}

/** A refund as created (generated from the OpenAPI document). */
export type Refund = components['schemas']['RefundOut']

export function requestRefund(input: { billNo: string; reason?: string }): Promise<Refund> {
  return http.post<Refund>('/api/me/refunds', { bill_no: input.billNo, reason: input.reason })
}

/** 退费: only for a paid charge with no active booking. */

import { http } from './request'

/** The server's refund states (pending → his_done → wechat_pending → succeeded, or failed / abnormal). */
export const REFUND_STATUS_TEXT: Record<string, string> = {
  pending: '退款处理中',
  his_done: '退款处理中',
  wechat_pending: '退款处理中',
  processing: '退款处理中',
  refunding: '退款处理中',
  abnormal: '退款处理中，体检中心财务人员正在处理',
  success: '已退款',
  succeeded: '已退款',
  refunded: '已退款',
  failed: '退款未成功，可重新申请',
}

export interface Refund {
  refund_no: string
  status: string
}

export function requestRefund(input: { billNo: string; reason?: string }): Promise<Refund> {
  return http.post<Refund>('/api/me/refunds', { bill_no: input.billNo, reason: input.reason })
}

/** 退费: only for a paid charge with no active booking. */

import { http } from './request'

export const REFUND_STATUS_TEXT: Record<string, string> = {
  pending: '退费处理中',
  processing: '退费处理中',
  refunding: '退费处理中',
  success: '已退费',
  refunded: '已退费',
  failed: '退费失败',
}

export interface Refund {
  refund_no: string
  status: string
}

export function requestRefund(input: { billNo: string; reason?: string }): Promise<Refund> {
  return http.post<Refund>('/api/me/refunds', { bill_no: input.billNo, reason: input.reason })
}

import { http, type Page } from './client'

/** A refund's state (server: checkup.domain.money.RefundStatus). */
export type RefundStatus = 'pending' | 'his_done' | 'wechat_pending' | 'succeeded' | 'failed' | 'abnormal'

/** A refund as the 任务 page lists it: failed (refunded on neither side) and abnormal ones need a person. */
export interface RefundTask {
  refund_no: string
  payment_no: string
  bill_key: string
  amount_fen: number
  status: RefundStatus
  status_text: string
  /** patient / his_failed / staff */
  source: string
  reason: string
  /** why it waits or stopped, in Chinese */
  reason_text: string
  wechat_refund_no: string
  updated_at: string
}

/** GET /api/console/refunds (without status: those needing a person) */
export function listRefundTasks(status?: RefundStatus): Promise<Page<RefundTask>> {
  return http.get<Page<RefundTask>>('/api/console/refunds', status ? { status } : {})
}

/** POST /api/console/refunds/{refund_no}/retry: finance re-runs a stopped refund (409 REFUND_NOT_ALLOWED otherwise). */
export function rerunRefund(refundNo: string): Promise<{ refund_no: string; status: string }> {
  return http.post(`/api/console/refunds/${encodeURIComponent(refundNo)}/retry`)
}

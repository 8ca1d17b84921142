import { http, type Page } from './client'
import type { components } from './schema'

/** A refund's state (server: checkup.domain.money.RefundStatus, generated from the OpenAPI document). */
export type RefundStatus = components['schemas']['RefundStatus']

/**
 * A refund as the 任务 page lists it (generated from the OpenAPI document): failed (refunded on neither side)
 * and abnormal ones need a person; status_text and reason_text are the server's Chinese words.
 */
export type RefundTask = components['schemas']['RefundTaskOut']

/** GET /api/console/refunds (without status: those needing a person) */
export function listRefundTasks(status?: RefundStatus): Promise<Page<RefundTask>> {
  return http.get<Page<RefundTask>>('/api/console/refunds', status ? { status } : {})
}

/** POST /api/console/refunds/{refund_no}/retry: finance re-runs a stopped refund (409 REFUND_NOT_ALLOWED otherwise). */
export function rerunRefund(refundNo: string): Promise<components['schemas']['RefundOut']> {
  return http.post(`/api/console/refunds/${encodeURIComponent(refundNo)}/retry`)
}

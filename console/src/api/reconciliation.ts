import { http } from './client'

export interface ReconciliationDifference {
  /** e.g. wechat_only / his_only / amount_mismatch / local_only */
  kind: string
  /** the server's Chinese name of the kind */
  kind_text?: string
  cause: string
  action: string
  payment_no?: string | null
  bill_no?: string | null
  transaction_id?: string | null
  amount_fen?: number | null
}

export interface Reconciliation {
  date: string
  /** How many payments agree across WeChat, HIS and our records. */
  matched: number
  differences: ReconciliationDifference[]
}

/** GET /api/console/reconciliation?date= */
export function getReconciliation(date: string): Promise<Reconciliation> {
  return http.get<Reconciliation>('/api/console/reconciliation', { date })
}

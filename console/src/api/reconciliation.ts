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
  refund_no?: string | null
  /** bill_row_malformed: the line of WeChat's bill file */
  line_no?: number | null
}

export interface ReconciliationSources {
  /** our rows of WeChat's bill */
  wechat_rows: number
  /** rows of other systems sharing the merchant number (not compared) */
  foreign_rows?: number
  /** held or HIS-refused payments refunded in full: not differences */
  converged?: number
  bad_rows?: number
  his_rows: number
  ours: number
  refunds: number
}

export interface Reconciliation {
  date: string
  /** How many payments agree across WeChat, HIS and our records. */
  matched: number
  differences: ReconciliationDifference[]
  sources?: ReconciliationSources
}

/** GET /api/console/reconciliation?date= */
export function getReconciliation(date: string): Promise<Reconciliation> {
  return http.get<Reconciliation>('/api/console/reconciliation', { date })
}

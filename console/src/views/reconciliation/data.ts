import type { ReconciliationDifference } from '@/api/reconciliation'
import { formatYuan } from '@/utils/format'

/** Names of the kinds when the server gives no kind_text (services/reconciliation.py KIND_TEXT names them). */
export const DIFFERENCE_KINDS: Record<string, string> = {
  wechat_not_his: '微信已收款，医院系统无入账',
  his_not_wechat: '医院系统有入账，微信无收款',
  wechat_not_ours: '微信有收款，本系统无记录',
  ours_not_wechat: '本系统已收款，微信账单无记录',
  held: '通知金额与订单不符，已挂起',
  wechat_only: '微信有、HIS无',
  his_only: 'HIS有、微信无',
  local_only: '仅本系统有',
  amount_mismatch: '金额不一致',
  status_mismatch: '状态不一致',
  missing_writeback: '未回写HIS',
  refund_mismatch: '退款不一致',
  his_refund_not_ours: '医院系统有退费，本系统无对应退款',
  bill_row_malformed: '微信账单行无法读取',
}

export function kindLabel(kind: string): string {
  return DIFFERENCE_KINDS[kind] ?? kind
}

export interface DiffColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: ReconciliationDifference) => string
}

export const DIFFERENCE_COLUMNS: DiffColumn[] = [
  { key: 'kind', label: '差异类型', width: 140, value: (r) => r.kind_text || kindLabel(r.kind) },
  { key: 'payment_no', label: '支付单号', width: 190, value: (r) => r.payment_no ?? '—' },
  { key: 'bill_no', label: '缴费单号', width: 140, value: (r) => r.bill_no ?? '—' },
  { key: 'refund_no', label: '退款单号', width: 190, value: (r) => r.refund_no ?? (r.line_no != null ? `账单第 ${r.line_no} 行` : '—') },
  { key: 'transaction_id', label: '微信支付单号', width: 200, value: (r) => r.transaction_id ?? '—' },
  { key: 'amount_fen', label: '金额', width: 100, value: (r) => (r.amount_fen == null ? '—' : formatYuan(r.amount_fen)) },
  { key: 'cause', label: '原因', minWidth: 180, value: (r) => r.cause },
  { key: 'action', label: '处理', minWidth: 180, value: (r) => r.action },
]

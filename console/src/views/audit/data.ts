import type { AuditLogRow } from '@/api/audit'
import type { JsonValue } from '@/api/client'
import { addDays, formatDateTime } from '@/utils/format'

export function detailText(detail: JsonValue): string {
  if (detail === null || detail === undefined || detail === '') return ''
  return typeof detail === 'string' ? detail : JSON.stringify(detail)
}

export const OUTCOME_LABELS: Record<string, { text: string; type: 'success' | 'danger' | 'info' }> = {
  success: { text: '成功', type: 'success' },
  failure: { text: '失败', type: 'danger' },
  failed: { text: '失败', type: 'danger' },
  denied: { text: '拒绝', type: 'danger' },
}

export interface AuditColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: AuditLogRow) => string
}

export const AUDIT_COLUMNS: AuditColumn[] = [
  { key: 'at', label: '时间', width: 170, value: (r) => formatDateTime(r.at) },
  { key: 'actor', label: '操作人', width: 110, value: (r) => r.actor },
  { key: 'ip', label: '来源地址', width: 130, value: (r) => r.ip },
  { key: 'action', label: '操作', width: 170, value: (r) => r.action },
  { key: 'target', label: '对象', width: 160, value: (r) => r.target },
]

export interface AuditFilter {
  range: string[]
  actor: string
  action: string
}

/** The last 7 days by default. */
export function defaultAuditFilter(today: string): AuditFilter {
  return { range: [addDays(today, -6), today], actor: '', action: '' }
}

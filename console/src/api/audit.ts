import { http, type Download, type JsonValue, type Page } from './client'

export interface AuditLogRow {
  at: string
  actor: string
  ip: string
  action: string
  target: string
  /** success / failure */
  outcome: string
  detail: JsonValue
}

export interface AuditLogQuery {
  from?: string
  to?: string
  actor?: string
  action?: string
  page?: number
  page_size?: number
}

/** GET /api/console/audit-logs, newest first */
export function listAuditLogs(query: AuditLogQuery): Promise<Page<AuditLogRow>> {
  return http.get<Page<AuditLogRow>>('/api/console/audit-logs', { ...query })
}

export interface AuditExportQuery {
  from: string
  to: string
  actor?: string
  action?: string
  outcome?: 'success' | 'failure'
}

/** GET /api/console/audit-logs/export: 安全审计导出 (accounts, role changes, the period's operation log), audited */
export function exportAuditLogs(query: AuditExportQuery): Promise<Download> {
  return http.download('/api/console/audit-logs/export', { ...query }, `安全审计-${query.from}-${query.to}.xlsx`)
}

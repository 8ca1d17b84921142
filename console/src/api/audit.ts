import { http, type Download, type Page } from './client'
import type { components } from './schema'

/** A line of the audit trail as the server sends it (generated from the OpenAPI document). */
export type AuditLogRow = components['schemas']['AuditRowOut']

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

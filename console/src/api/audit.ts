import { http, type JsonValue, type Page } from './client'

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

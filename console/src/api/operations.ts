import { http, type Download } from './client'

/** One line of a figure table: count, server errors (or calls without an answer), times in ms. */
export interface Tally {
  count: number
  errors: number
  total_ms: number
  max_ms: number
  slow: number
  avg_ms: number
  error_percent: number
}

export interface MonthlyDay {
  day: string
  capacity: number
  booked: number
  use_percent: number | null
  open: boolean
  bookings: number
  cancelled: number
  paid: number
  paid_fen: number
  refunds: number
  differences: number
  requests: number
  availability_percent: number | null
}

/** GET /api/console/reports/monthly?format=json (services/ops_report.py). */
export interface MonthlyReport {
  month: string
  generated_at: string
  days_covered: number
  availability: { recorded_days: number; percent: number | null; ready_answers: number; not_ready_answers: number }
  requests: Record<string, Tally>
  upstream: Record<string, Tally>
  bookings: Record<string, number>
  payments: Record<string, number>
  refunds: Record<string, number>
  jobs: Record<string, number>
  reconciliation: { days_reconciled: number; differences: number; resolved: number; open: number; days_not_reconciled: string[] }
  security: Record<string, number>
  capacity: { capacity: number; booked: number; use_percent: number | null; high_use_days: string[] }
  days: MonthlyDay[]
  audit_anchor: { at: string; last_id: number | null; count: number; hash: string } | null
  not_recorded: string[]
  recommendations: string[]
}

export interface ReportMonth {
  month: string
  /** days rolled up so far */
  days: number
}

const MONTHLY = '/api/console/reports/monthly'

export function listReportMonths(): Promise<{ items: ReportMonth[] }> {
  return http.get<{ items: ReportMonth[] }>(`${MONTHLY}/months`)
}

export function getMonthlyReport(month: string): Promise<MonthlyReport> {
  return http.get<MonthlyReport>(MONTHLY, { month, format: 'json' })
}

export function downloadMonthlyReport(month: string, format: 'pdf' | 'xlsx'): Promise<Download> {
  return http.download(MONTHLY, { month, format }, `系统运行报告-${month}.${format}`)
}

/** One part of the 网络安全自查 (services/selfcheck.py). */
export interface SelfcheckSection {
  title: string
  findings: string[]
  notes: string[]
}

export interface SelfcheckReport {
  generated_at: string
  sections: SelfcheckSection[]
  findings: number
}

export function getSelfcheck(): Promise<SelfcheckReport> {
  return http.get<SelfcheckReport>('/api/console/selfcheck')
}

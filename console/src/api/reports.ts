import { http, type Download, type Page } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

/** A row of the 预约患者 report (generated from the OpenAPI document); `phone` is the full number only with
 * phones=full, for the roles the hospital allows (audited). */
export type BookedPatientRow = Schemas['ReportRowOut']

export interface DayCount {
  date: string
  count: number
  amount_fen?: number
}

export type PackageCount = Schemas['PackageCountOut']

/** The report's page; the totals per day and per package cover the whole filter (not only this page). The
 * server sends them (ReportOut); the page still copes without them. */
export interface BookedPatientsReport extends Page<BookedPatientRow> {
  per_day?: DayCount[]
  per_package?: PackageCount[]
  amount_fen?: number
}

export interface BookedPatientsQuery {
  from: string
  to: string
  /** name, phone, the phone's last four digits, or a bill number */
  q?: string
  /** a package code */
  package?: string
  status?: 'booked' | 'confirmed'
  phones?: 'masked' | 'full'
  page?: number
  page_size?: number
}

export type ExportFormat = 'xlsx' | 'pdf'

const REPORT_PATH = '/api/console/reports/booked-patients'

/** GET /api/console/reports/booked-patients?format=json */
export function getBookedPatients(query: BookedPatientsQuery): Promise<BookedPatientsReport> {
  return http.get<BookedPatientsReport>(REPORT_PATH, { ...query, format: 'json' })
}

/** The same URL with format=xlsx|pdf, as a file; every row of the filter (no paging). */
export function exportBookedPatients(query: BookedPatientsQuery, format: ExportFormat): Promise<Download> {
  const { from, to, q, package: pkg, status, phones } = query
  return http.download(REPORT_PATH, { from, to, q, package: pkg, status, phones, format }, `预约患者_${from}_${to}.${format}`)
}

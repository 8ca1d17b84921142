import { http, type Download, type Page } from './client'

export interface BookedPatientRow {
  booking_id: number | string
  date: string
  patient_name: string
  sex: string
  age: string | null // five-year band ("40–44"), never the exact age beside a masked ID number
  phone_masked: string
  id_number_masked: string
  package_name: string
  amount_fen: number
  bill_no: string
  booked_at: string
  /** The full phone number: only with phones=full, for the roles the hospital allows (audited). */
  phone?: string
}

export interface DayCount {
  date: string
  count: number
  amount_fen?: number
}

export interface PackageCount {
  package_code: string | null
  package_name: string
  count: number
  amount_fen: number
}

export interface BookedPatientsReport extends Page<BookedPatientRow> {
  /** Totals per day over the whole filter (not only this page), when the server sends them. */
  per_day?: DayCount[]
  /** Totals per package over the whole filter. */
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

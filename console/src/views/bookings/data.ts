import type { ConfirmedBookingRow } from '@/api/bookings'
import type { BookedPatientRow, BookedPatientsReport, DayCount } from '@/api/reports'
import { addDays, formatDateTime, formatSex, formatYuan } from '@/utils/format'

export interface Column<Row> {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: Row) => string | number
}

export const REPORT_COLUMNS: Column<BookedPatientRow>[] = [
  { key: 'date', label: '体检日期', width: 110, value: (r) => r.date },
  { key: 'patient_name', label: '姓名', width: 90, value: (r) => r.patient_name },
  { key: 'sex', label: '性别', width: 60, value: (r) => formatSex(r.sex) },
  { key: 'age', label: '年龄段', width: 70, value: (r) => r.age ?? '—' },
  { key: 'phone_masked', label: '手机号', width: 120, value: (r) => r.phone_masked },
  { key: 'id_number_masked', label: '身份证号', width: 180, value: (r) => r.id_number_masked },
  { key: 'package_name', label: '体检套餐', minWidth: 140, value: (r) => r.package_name },
  { key: 'amount_fen', label: '金额', width: 100, value: (r) => formatYuan(r.amount_fen) },
  { key: 'bill_no', label: '缴费单号', width: 150, value: (r) => r.bill_no },
  { key: 'booked_at', label: '预约时间', width: 170, value: (r) => formatDateTime(r.booked_at) },
  { key: 'booking_id', label: '预约号', width: 90, value: (r) => r.booking_id },
]

export const CONFIRMED_COLUMNS: Column<ConfirmedBookingRow>[] = [
  ...(REPORT_COLUMNS as Column<ConfirmedBookingRow>[]),
  { key: 'confirmed_at', label: '确认时间', width: 170, value: (r) => formatDateTime(r.confirmed_at) },
  { key: 'confirmed_by', label: '确认人', width: 100, value: (r) => r.confirmed_by ?? '—' },
]

/** Who cancelled a booking, in words: the patient, the hospital's HIS (refund / cancel / re-price at the
 * window), or a member of staff. */
export function cancelledByText(by: string | null | undefined): string {
  if (!by) return '—'
  if (by === 'patient') return '患者'
  if (by === 'his') return '医院HIS'
  if (by.startsWith('staff:')) return `工作人员 ${by.slice('staff:'.length)}`
  return by
}

export const CANCELLED_COLUMNS: Column<ConfirmedBookingRow>[] = [
  ...(REPORT_COLUMNS as Column<ConfirmedBookingRow>[]),
  { key: 'cancelled_at', label: '取消时间', width: 170, value: (r) => formatDateTime(r.cancelled_at) },
  { key: 'cancelled_by', label: '取消方', width: 120, value: (r) => cancelledByText(r.cancelled_by) },
  { key: 'cancel_reason', label: '取消原因', minWidth: 220, value: (r) => r.cancel_reason || '—' },
]

export const PAGE_SIZES = [20, 50, 100]

export interface BookingFilter {
  from: string
  to: string
  q: string
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** The search form: today … today+7 unless the address says otherwise (?from=&to=&q=). */
export function initialFilter(today: string, query: Record<string, unknown> = {}): BookingFilter {
  const from = typeof query.from === 'string' && DAY.test(query.from) ? query.from : today
  const to = typeof query.to === 'string' && DAY.test(query.to) && query.to >= from ? query.to : addDays(from, 7)
  const q = typeof query.q === 'string' ? query.q : ''
  return { from, to, q }
}

/**
 * Totals per day: the server's `per_day` (whole filter) when sent; otherwise counted from the rows,
 * but only when every row of the filter is on this page, so the figure is never a partial count.
 */
export function perDayTotals(report: Pick<BookedPatientsReport, 'items' | 'total' | 'per_day'>): DayCount[] | null {
  if (report.per_day) return report.per_day
  if (report.items.length < report.total) return null
  const counts = new Map<string, number>()
  for (const row of report.items) counts.set(row.date, (counts.get(row.date) ?? 0) + 1)
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([date, count]) => ({ date, count }))
}

/** What is wrong with a staff 改约 / 取消 before it is sent (the server checks the same and more). */
export function staffActionProblem(
  kind: 'reschedule' | 'cancel',
  currentDay: string,
  newDay: string,
  reason: string,
  today: string,
): string | null {
  if (kind === 'cancel') return reason.trim() ? null : '请填写取消原因（会告知患者）'
  if (!/^\d{4}-\d{2}-\d{2}$/.test(newDay)) return '请选择改约日期'
  if (newDay < today) return '不能改约到已过去的日期'
  if (newDay === currentDay) return '新日期与原预约日期相同'
  return null
}

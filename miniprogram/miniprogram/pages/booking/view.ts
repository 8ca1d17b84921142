/** A booking as the 预约记录 pages show it. */

import { Booking, changeRule } from '../../services/bookings'
import { Patient } from '../../services/patients'
import { dayLongText } from '../../utils/date'

export interface BookingView {
  id: number
  billNo: string
  date: string
  dateText: string
  status: string
  statusText: string
  packageName: string
  patientName: string
  canChange: boolean
  ruleText: string
}

export function bookingView(booking: Booking, patients: Patient[]): BookingView {
  const patient = patients.find((p) => p.id === booking.patient_id)
  const rule = changeRule(booking)
  return {
    id: booking.id,
    billNo: booking.bill_no,
    date: booking.date,
    dateText: dayLongText(booking.date),
    status: booking.status,
    statusText: booking.status_text || booking.status,
    packageName: booking.package_name || booking.item_name || '体检',
    patientName: booking.patient_name || (patient ? patient.name : ''),
    canChange: rule.allowed,
    ruleText: rule.explanation,
  }
}

/** Active bookings first (soonest day first), then cancelled ones (latest first). */
export function sortBookings(bookings: Booking[]): Booking[] {
  const active = bookings.filter((b) => b.status !== 'cancelled').sort((a, b) => a.date.localeCompare(b.date))
  const cancelled = bookings.filter((b) => b.status === 'cancelled').sort((a, b) => b.date.localeCompare(a.date))
  return active.concat(cancelled)
}

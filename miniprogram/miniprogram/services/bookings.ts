/** 预约: one day for one paid charge. */

import { deadlineText } from '../utils/date'
import { http, ListAnswer } from './request'
import type { components } from './schema'

type BookingOut = components['schemas']['BookingOut']

export const BOOKING_STATUS = {
  BOOKED: 'booked',
  CONFIRMED: 'confirmed',
  CANCELLED: 'cancelled',
} as const satisfies Record<string, BookingOut['status']>
/** A booking's state as the server sends it (generated from the OpenAPI document). */
export type BookingStatus = BookingOut['status']

export interface Booking {
  id: number
  bill_no: string
  patient_id: number
  date: string
  status: BookingStatus
  /** The server's words for the status (checkup.domain.booking.BOOKING_STATUS_TEXT): shown as sent. */
  status_text?: string | null
  /** Optional extras the page uses when the server sends them. */
  patient_name?: string
  package_code?: string
  package_name?: string
  item_name?: string
  notes?: string | string[]
  can_change?: boolean
  /** Last day (YYYY-MM-DD) or moment (ISO timestamp) to reschedule or cancel. */
  change_deadline?: string
  created_at?: string
}

export function listBookings(): Promise<Booking[]> {
  return http.get<ListAnswer<Booking>>('/api/me/bookings').then((answer) => answer.items)
}

export function createBooking(input: { billNo: string; date: string }): Promise<Booking> {
  return http.post<Booking>('/api/me/bookings', { bill_no: input.billNo, date: input.date })
}

export function rescheduleBooking(id: number, date: string): Promise<Booking> {
  return http.post<Booking>(`/api/me/bookings/${id}/reschedule`, { date })
}

export function cancelBooking(id: number): Promise<Booking> {
  return http.post<Booking>(`/api/me/bookings/${id}/cancel`)
}

export interface ChangeRule {
  /** Reschedule and cancel are offered. */
  allowed: boolean
  /** One sentence for the patient about the cutoff. */
  explanation: string
}

/** Whether the patient may still reschedule or cancel, and the cutoff in words. */
export function changeRule(booking: Booking): ChangeRule {
  if (booking.status === BOOKING_STATUS.CANCELLED) {
    return { allowed: false, explanation: '该预约已取消。如需体检，可在“体检缴费—已缴费”中重新预约。' }
  }
  if (booking.status === BOOKING_STATUS.CONFIRMED) {
    return { allowed: false, explanation: '体检中心已确认您的预约，如需改约或取消，请联系体检中心。' }
  }
  const deadline = booking.change_deadline ? deadlineText(booking.change_deadline) : ''
  if (booking.can_change === false) {
    return {
      allowed: false,
      explanation: deadline
        ? `改约或取消须在${deadline}前办理，现已超过截止时间。如需帮助，请联系体检中心。`
        : '已过改约/取消截止时间。如需帮助，请联系体检中心。',
    }
  }
  return {
    allowed: true,
    explanation: deadline
      ? `如需改约或取消，请在${deadline}（含当天）之前办理，过期后不能在线修改。`
      : '如需改约或取消，请在体检日前办理，临近体检日可能不能在线修改。',
  }
}

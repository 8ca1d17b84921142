import { http } from './client'
import type { components } from './schema'

type Schemas = components['schemas']

/** A booking as the console's actions answer it (generated from the OpenAPI document). */
export type Booking = Schemas['ConsoleBookingOut']

export type BookingStatus = Booking['status']

/** A row of the 已确认 / 已取消 views: the report's row plus who confirmed (or cancelled) it and when. */
export type ConfirmedBookingRow = Schemas['ConfirmedRowOut']

export type BookingsPage = Schemas['BookingsOut']

export interface BookingsQuery {
  status: BookingStatus
  from: string
  to: string
  q?: string
  page?: number
  page_size?: number
}

/** POST /api/console/bookings/{id}/confirm → the booking, status confirmed */
export function confirmBooking(id: number | string): Promise<Booking> {
  return http.post<Booking>(`/api/console/bookings/${encodeURIComponent(String(id))}/confirm`)
}

/** POST /api/console/bookings/confirm {ids} → {confirmed} */
export function confirmBookings(ids: (number | string)[]): Promise<{ confirmed: number }> {
  return http.post<{ confirmed: number }>('/api/console/bookings/confirm', { ids })
}

/** GET /api/console/bookings?status=confirmed&from=&to= (beyond API.md) */
export function listBookings(query: BookingsQuery): Promise<BookingsPage> {
  return http.get<BookingsPage>('/api/console/bookings', { ...query })
}

/** POST /api/console/bookings/{id}/unconfirm (admin only, beyond API.md) → the booking, status booked */
export function unconfirmBooking(id: number | string): Promise<Booking> {
  return http.post<Booking>(`/api/console/bookings/${encodeURIComponent(String(id))}/unconfirm`)
}

function path(id: number | string, action: string): string {
  return `/api/console/bookings/${encodeURIComponent(String(id))}/${action}`
}

/** POST /api/console/bookings/{id}/reschedule {date, reason}: staff move a patient's booking (patient told). */
export function rescheduleBooking(id: number | string, date: string, reason: string): Promise<Booking> {
  return http.post<Booking>(path(id, 'reschedule'), { date, reason })
}

/** POST /api/console/bookings/{id}/cancel {reason}: staff cancel a patient's booking (patient told why). */
export function cancelBooking(id: number | string, reason: string): Promise<Booking> {
  return http.post<Booking>(path(id, 'cancel'), { reason })
}

/** POST /api/console/bookings/{id}/no-show: the patient did not come (the day has come). */
export function markNoShow(id: number | string): Promise<Booking> {
  return http.post<Booking>(path(id, 'no-show'))
}

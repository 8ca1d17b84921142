import { http } from './client'

export interface BookingRules {
  open_days_ahead: number
  /** "HH:MM", Asia/Shanghai */
  release_time: string
  min_days_ahead: number
  change_cutoff_days: number
  /** ISO weekdays closed every week, 1 = Monday … 7 = Sunday. */
  closed_weekdays: number[]
}

/** GET /api/console/booking-rules */
export function getBookingRules(): Promise<BookingRules> {
  return http.get<BookingRules>('/api/console/booking-rules')
}

/** PUT /api/console/booking-rules */
export function updateBookingRules(body: BookingRules): Promise<BookingRules> {
  return http.put<BookingRules>('/api/console/booking-rules', body)
}

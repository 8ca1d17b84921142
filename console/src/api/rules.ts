import { http } from './client'

export interface BookingRules {
  open_days_ahead: number
  /** "HH:MM", Asia/Shanghai */
  release_time: string
  min_days_ahead: number
  change_cutoff_days: number
  /** ISO weekdays closed every week, 1 = Monday … 7 = Sunday. */
  closed_weekdays: number[]
  /** The rolling weekly template: capacity per ISO weekday "1".."7"; {} = off. */
  weekly_capacity?: Record<string, number>
  /** Whether a booking marked no-show lets the patient book again online. */
  no_show_may_rebook?: boolean
  /** When the next day opens for booking (read only). */
  next_opening?: { date: string; at: string } | null
}

/** GET /api/console/booking-rules */
export function getBookingRules(): Promise<BookingRules> {
  return http.get<BookingRules>('/api/console/booking-rules')
}

/** PUT /api/console/booking-rules */
export function updateBookingRules(body: BookingRules): Promise<BookingRules> {
  const { next_opening: _ignored, ...rules } = body
  return http.put<BookingRules>('/api/console/booking-rules', rules)
}

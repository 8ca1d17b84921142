/** Closed days (holidays). An addition to API.md: GET/POST/DELETE /api/console/holidays. */
import { http } from './client'
import type { BookingsAction } from './quota'

export interface Holiday {
  date: string
  name: string
}

/** GET /api/console/holidays?from=&to= → {items} */
export function listHolidays(from?: string, to?: string): Promise<{ items: Holiday[] }> {
  return http.get<{ items: Holiday[] }>('/api/console/holidays', { from, to })
}

/** POST /api/console/holidays {date, name, bookings?} → the holiday (DAY_HAS_BOOKINGS without bookings) */
export function addHoliday(body: Holiday & { bookings?: BookingsAction }): Promise<Holiday> {
  return http.post<Holiday>('/api/console/holidays', body, { silent: true })
}

/** POST /api/console/holidays/range {from, to, name, bookings?} → every day closed */
export function addHolidayRange(body: {
  from: string
  to: string
  name: string
  bookings?: BookingsAction
}): Promise<{ items: Holiday[]; total: number }> {
  return http.post<{ items: Holiday[]; total: number }>('/api/console/holidays/range', body, { silent: true })
}

/** POST /api/console/holidays/import {year, content}: a year's schedule file (休 / 班 lines) */
export function importHolidays(body: {
  year: number
  content: string
  workday_capacity?: number
  bookings?: BookingsAction
}): Promise<{ holidays: Holiday[]; workdays: { date: string; capacity: number }[] }> {
  return http.post('/api/console/holidays/import', body, { silent: true })
}

/** DELETE /api/console/holidays/{date} → 204 */
export function deleteHoliday(date: string): Promise<void> {
  return http.delete<void>(`/api/console/holidays/${encodeURIComponent(date)}`)
}

import { http } from './client'

export interface DayQuota {
  date: string
  capacity: number
  booked: number
  remaining: number
  open: boolean
  /** false: no quota row for the day (shown closed) */
  set?: boolean
}

export interface QuotaRange {
  days: DayQuota[]
}

/** What to do with the active bookings of a day being closed (needed when it has any). */
export type BookingsAction = { move_to: string; reason?: string } | { cancel: true; reason: string }

export interface DayQuotaUpdate {
  capacity: number
  open: boolean
  bookings?: BookingsAction
}

/** What the server did with the bookings of a closed day. */
export interface BookingsOutcome {
  moved?: number
  move_to?: string
  cancelled?: number
  reason?: string
}

export interface SkippedDay {
  date: string
  booked: number
  /** booked_above: booked beyond the new capacity; closed: a closed day (not reopened without asking);
   * has_bookings: closing a day that has bookings (close it on its own and say what to do with them) */
  reason?: 'booked_above' | 'closed' | 'has_bookings'
}

export interface QuotaBatch {
  from: string
  to: string
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[]
  capacity: number
  open: boolean
}

/** GET /api/console/quota?from=&to= */
export function listQuota(from: string, to: string): Promise<QuotaRange> {
  return http.get<QuotaRange>('/api/console/quota', { from, to })
}

/**
 * PUT /api/console/quota/{date}; CAPACITY_BELOW_BOOKED when capacity < booked; DAY_HAS_BOOKINGS
 * (details.count) when closing a day with bookings and no `bookings` action.
 */
export function updateDayQuota(date: string, body: DayQuotaUpdate): Promise<DayQuota & { bookings?: BookingsOutcome }> {
  return http.put<DayQuota & { bookings?: BookingsOutcome }>(`/api/console/quota/${encodeURIComponent(date)}`, body, {
    silent: true,
  })
}

/** POST /api/console/quota/batch → how many days changed or were created, and the days skipped */
export function batchSetQuota(body: QuotaBatch & { include_closed?: boolean }): Promise<{ updated: number; created: number; skipped: SkippedDay[] }> {
  return http.post<{ updated: number; created: number; skipped: SkippedDay[] }>('/api/console/quota/batch', body)
}

/** The booking calendar: one entry per day with its quota and whether it can be booked. */

import { http } from './request'

export interface CalendarDay {
  date: string
  open: boolean
  capacity: number
  remaining: number
  bookable: boolean
  /** Optional server reason: bookable | closed | full | not_yet_open | too_late. */
  reason?: string
}

export const DAY_REASON_TEXT: Record<string, string> = {
  bookable: '可预约',
  closed: '休息',
  full: '已约满',
  not_yet_open: '未开放',
  too_late: '已截止',
}

export function getCalendar(from: string, to: string): Promise<CalendarDay[]> {
  return http.get<{ days: CalendarDay[] }>('/api/calendar', { from, to }).then((answer) => answer.days)
}

/**
 * Why a day cannot be picked, in the words shown in its calendar cell ('' when it can).
 * `today` (YYYY-MM-DD) lets a day that is too close be told apart from one not open yet.
 */
export function dayBlockReason(day: CalendarDay, today?: string): string {
  if (day.bookable && day.open && day.remaining > 0) return ''
  if (day.reason && day.reason !== 'bookable' && DAY_REASON_TEXT[day.reason]) return DAY_REASON_TEXT[day.reason]
  if (!day.open) return DAY_REASON_TEXT.closed
  if (day.remaining <= 0) return DAY_REASON_TEXT.full
  if (today && day.date <= today) return DAY_REASON_TEXT.too_late
  return DAY_REASON_TEXT.not_yet_open
}

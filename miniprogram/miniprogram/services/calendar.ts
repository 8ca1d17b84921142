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
  /** not_yet_open: when the day opens for booking, ISO 8601 with +08:00. */
  opens_at?: string | null
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
  if (day.reason === 'not_yet_open' && day.opens_at) return opensText(day.opens_at)
  if (day.reason && day.reason !== 'bookable' && DAY_REASON_TEXT[day.reason]) return DAY_REASON_TEXT[day.reason]
  if (!day.open) return DAY_REASON_TEXT.closed
  if (day.remaining <= 0) return DAY_REASON_TEXT.full
  if (today && day.date <= today) return DAY_REASON_TEXT.too_late
  return DAY_REASON_TEXT.not_yet_open
}

/** 「12/3 8:00开放」: when a day not open yet opens (the cell is small: month/day and the time). */
export function opensText(opensAt: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(opensAt)
  if (!m) return DAY_REASON_TEXT.not_yet_open
  return `${Number(m[1])}/${Number(m[2])} ${Number(m[3])}:${m[4]}开放`
}

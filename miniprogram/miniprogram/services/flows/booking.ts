/** Booking a day: the calendar shown to the patient, and the submit of a booking or a reschedule. */

import { config } from '../../config'
import { addDays, dayLongText, todayInShanghai, weekdayIndex } from '../../utils/date'
import { Booking, createBooking, rescheduleBooking } from '../bookings'
import { CalendarDay, dayBlockReason, getCalendar } from '../calendar'
import { askSubscription } from '../subscribe'

export interface CalendarCell {
  /** '' for the blank cells before the first day of a month. */
  date: string
  day: number
  selectable: boolean
  /** "余 12" for a selectable day, else the reason: 休息 / 已约满 / 未开放 / 已截止. */
  label: string
  /** Used for styles: free | closed | full | unavailable | blank. */
  kind: string
}

export interface CalendarMonth {
  title: string
  cells: CalendarCell[]
}

function cellKind(reason: string): string {
  if (!reason) return 'free'
  if (reason === '休息') return 'closed'
  if (reason === '已约满') return 'full'
  return 'unavailable'
}

/** Months of cells, Monday first, for the days the server returned. */
export function buildCalendar(days: CalendarDay[], today?: string): CalendarMonth[] {
  const months: CalendarMonth[] = []
  let current: CalendarMonth | null = null
  let currentKey = ''
  for (const day of days) {
    const key = day.date.slice(0, 7)
    if (key !== currentKey) {
      currentKey = key
      const [y, m] = key.split('-').map(Number)
      current = { title: `${y}年${m}月`, cells: [] }
      months.push(current)
      const mondayFirst = (weekdayIndex(day.date) + 6) % 7
      for (let i = 0; i < mondayFirst; i++) current.cells.push({ date: '', day: 0, selectable: false, label: '', kind: 'blank' })
    }
    const reason = dayBlockReason(day, today)
    current!.cells.push({
      date: day.date,
      day: Number(day.date.slice(8, 10)),
      selectable: !reason,
      label: reason || `余${day.remaining}`,
      kind: cellKind(reason),
    })
  }
  return months
}

/** The calendar from today for config.calendarDays days. */
export async function loadCalendar(today: string = todayInShanghai()): Promise<CalendarMonth[]> {
  const days = await getCalendar(today, addDays(today, config.calendarDays - 1))
  return buildCalendar(days, today)
}

export function selectedDayText(date: string): string {
  return date ? dayLongText(date) : ''
}

/**
 * Book the day for a paid charge, or move an existing booking to it. Subscription consent is
 * asked first (it must follow the patient's tap); its refusal does not stop the booking.
 */
export async function submitBooking(input: { date: string; billNo?: string; bookingId?: number }): Promise<Booking> {
  await askSubscription('booking')
  if (input.bookingId) return rescheduleBooking(input.bookingId, input.date)
  if (!input.billNo) throw new Error('submitBooking needs a bill number or a booking id')
  return createBooking({ billNo: input.billNo, date: input.date })
}

/** The month grid of the quota calendar: whole weeks, Monday first. */

import { addDays, isoWeekday } from './format'

export interface CalendarCell {
  date: string
  day: number
  inMonth: boolean
  weekday: number
}

export function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`
}

export function firstOfMonth(year: number, month: number): string {
  return `${monthKey(year, month)}-01`
}

export function lastOfMonth(year: number, month: number): string {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return `${monthKey(year, month)}-${String(days).padStart(2, '0')}`
}

/** Shift a (year, month) pair by `delta` months. */
export function shiftMonth(year: number, month: number, delta: number): { year: number; month: number } {
  const index = year * 12 + (month - 1) + delta
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/**
 * Rows of 7 cells covering the month (month is 1..12), starting on the Monday on or before
 * the 1st and ending on the Sunday on or after the last day.
 */
export function buildMonthGrid(year: number, month: number): CalendarCell[][] {
  const first = firstOfMonth(year, month)
  const last = lastOfMonth(year, month)
  const start = addDays(first, 1 - isoWeekday(first))
  const end = addDays(last, 7 - isoWeekday(last))
  const rows: CalendarCell[][] = []
  let week: CalendarCell[] = []
  for (let date = start; date <= end; date = addDays(date, 1)) {
    week.push({
      date,
      day: Number(date.slice(8, 10)),
      inMonth: date.slice(0, 7) === monthKey(year, month),
      weekday: isoWeekday(date),
    })
    if (week.length === 7) {
      rows.push(week)
      week = []
    }
  }
  return rows
}

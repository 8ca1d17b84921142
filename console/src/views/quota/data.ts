import type { Holiday } from '@/api/holidays'
import type { DayQuota } from '@/api/quota'
import { buildMonthGrid, type CalendarCell } from '@/utils/calendar'
import { WEEKDAY_LABELS } from '@/utils/format'

export const WEEKDAY_OPTIONS = [1, 2, 3, 4, 5, 6, 7].map((value) => ({ value, label: WEEKDAY_LABELS[value] }))

export interface QuotaCell extends CalendarCell {
  quota: DayQuota | null
  holiday: Holiday | null
  isToday: boolean
  isPast: boolean
}

/** The month grid with each day's quota and holiday attached. */
export function buildQuotaMonth(
  year: number,
  month: number,
  days: DayQuota[],
  holidays: Holiday[],
  today: string,
): QuotaCell[][] {
  const quotaByDate = new Map(days.map((d) => [d.date, d]))
  const holidayByDate = new Map(holidays.map((h) => [h.date, h]))
  return buildMonthGrid(year, month).map((week) =>
    week.map((cell) => ({
      ...cell,
      quota: quotaByDate.get(cell.date) ?? null,
      holiday: holidayByDate.get(cell.date) ?? null,
      isToday: cell.date === today,
      isPast: cell.date < today,
    })),
  )
}

/** Client-side check before PUT; the server refuses the same (CAPACITY_BELOW_BOOKED). */
export function capacityProblem(capacity: number | null | undefined, booked: number): string | null {
  if (capacity === null || capacity === undefined || !Number.isInteger(capacity) || capacity < 0) {
    return '号源数应为不小于0的整数'
  }
  if (capacity < booked) return `号源数不能少于已预约人数（${booked}）`
  return null
}

export const RULE_FIELDS = [
  { key: 'open_days_ahead', label: '可提前预约天数', min: 1, max: 365, tip: '最远可预约到今天之后第几天' },
  { key: 'min_days_ahead', label: '最少提前天数', min: 0, max: 365, tip: '1 表示不能预约当天' },
  { key: 'change_cutoff_days', label: '改约/取消截止', min: 0, max: 30, tip: '体检日前几天之后不能改约或取消' },
] as const

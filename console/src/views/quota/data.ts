import type { Holiday } from '@/api/holidays'
import type { BookingsAction, BookingsOutcome, DayQuota } from '@/api/quota'
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

/** 「下一次放号」: when the next day opens for booking (the rules' next_opening, Asia/Shanghai). */
export function nextOpeningText(next: { date: string; at: string }): string {
  const at = next.at.slice(0, 16).replace('T', ' ')
  return `下一次放号：${at} 开放 ${next.date} 的号源`
}

/** A day about to change in 批量设置: what it is now and what the batch will do with it. */
export interface BatchPreviewDay {
  date: string
  action: 'create' | 'update' | 'reopen' | 'skip'
  /** why a day is skipped, in words */
  reason?: string
  booked: number
}

/**
 * What a batch (range, weekdays, capacity, open) would do to the days shown: days without a quota are
 * created, days booked above the new capacity are skipped (the server skips them too), closed days are
 * reopened only when `reopenClosed` is ticked (otherwise skipped, so a holiday closure is never lost
 * without asking).
 */
export function previewBatch(
  dates: string[],
  existing: DayQuota[],
  capacity: number,
  open: boolean,
  reopenClosed: boolean,
): BatchPreviewDay[] {
  const byDate = new Map(existing.map((d) => [d.date, d]))
  return dates.map((date) => {
    const day = byDate.get(date)
    if (!day) return { date, action: 'create', booked: 0 }
    if (day.booked > capacity) return { date, action: 'skip', reason: `已预约 ${day.booked} 人，超过新号源数`, booked: day.booked }
    if (!day.open && open && !reopenClosed) {
      return { date, action: 'skip', reason: '该日已关闭（如需重新开放请勾选“包括已关闭的日期”）', booked: day.booked }
    }
    if (!day.open && open) return { date, action: 'reopen', booked: day.booked }
    if (day.booked > 0 && !open) return { date, action: 'skip', reason: `已预约 ${day.booked} 人，请单独关闭该日并安排这些预约`, booked: day.booked }
    return { date, action: 'update', booked: day.booked }
  })
}

/** The `bookings` action of a closure from the dialog's choice, or what is missing. */
export function closureAction(
  mode: 'move' | 'cancel',
  moveTo: string,
  reason: string,
): { action: BookingsAction } | { problem: string } {
  const text = reason.trim()
  if (mode === 'move') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(moveTo)) return { problem: '请选择改约日期' }
    return { action: text ? { move_to: moveTo, reason: text } : { move_to: moveTo } }
  }
  if (!text) return { problem: '请填写取消原因（会告知患者）' }
  return { action: { cancel: true, reason: text } }
}

/** What the server did with a closed day's bookings, in words. */
export function closureOutcomeText(outcome: BookingsOutcome): string {
  if (outcome.moved) return `${outcome.moved} 个预约已改约到 ${outcome.move_to}`
  if (outcome.cancelled) return `${outcome.cancelled} 个预约已取消`
  return ''
}

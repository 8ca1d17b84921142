/** Days are YYYY-MM-DD strings in Asia/Shanghai; these helpers work on them without time zones. */

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** Today in Asia/Shanghai as YYYY-MM-DD, whatever the phone's time zone. */
export function todayInShanghai(now: Date = new Date()): string {
  const shifted = new Date(now.getTime() + SHANGHAI_OFFSET_MS)
  return `${shifted.getUTCFullYear()}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`
}

function parseDay(day: string): { y: number; m: number; d: number } {
  const [y, m, d] = day.split('-').map(Number)
  return { y, m, d }
}

/** day + n days. */
export function addDays(day: string, n: number): string {
  const { y, m, d } = parseDay(day)
  const t = new Date(Date.UTC(y, m - 1, d + n))
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayIndex(day: string): number {
  const { y, m, d } = parseDay(day)
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

/** "星期五" */
export function weekdayText(day: string): string {
  return `星期${WEEKDAYS[weekdayIndex(day)]}`
}

/** "2025年1月3日" */
export function dayText(day: string): string {
  const { y, m, d } = parseDay(day)
  return `${y}年${m}月${d}日`
}

/** "2025年1月3日 星期五" */
export function dayLongText(day: string): string {
  return `${dayText(day)} ${weekdayText(day)}`
}

/**
 * A deadline from the server: a day ("2025-01-02") or a timestamp with offset
 * ("2025-01-02T23:59:59+08:00"); shown in Asia/Shanghai.
 */
export function deadlineText(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return dayText(value)
  const t = new Date(value)
  if (Number.isNaN(t.getTime())) return value
  const s = new Date(t.getTime() + SHANGHAI_OFFSET_MS)
  return `${s.getUTCFullYear()}年${s.getUTCMonth() + 1}月${s.getUTCDate()}日 ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`
}

/** A timestamp with offset shown in Asia/Shanghai: "2025-01-02 09:30". */
export function timestampText(value: string): string {
  const t = new Date(value)
  if (Number.isNaN(t.getTime())) return value
  const s = new Date(t.getTime() + SHANGHAI_OFFSET_MS)
  return `${s.getUTCFullYear()}-${pad(s.getUTCMonth() + 1)}-${pad(s.getUTCDate())} ${pad(s.getUTCHours())}:${pad(s.getUTCMinutes())}`
}

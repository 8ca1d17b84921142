/** Money and time display. Money is integer fen from the API; days are YYYY-MM-DD in Asia/Shanghai. */

export const TIME_ZONE = 'Asia/Shanghai'

/** 12345 → "¥123.45"; integer arithmetic so no float rounding ever shows. */
export function formatYuan(fen: number | null | undefined, symbol = '¥'): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  const yuan = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100).toString().padStart(2, '0')
  return `${sign}${symbol}${yuan}.${cents}`
}

/** Parse a yuan amount typed by staff ("12.5") into integer fen; null when not a valid amount. */
export function yuanToFen(text: string): number | null {
  const match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!match) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

const partsFormatter = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

function shanghaiParts(date: Date): Record<string, string> {
  const parts: Record<string, string> = {}
  for (const part of partsFormatter.formatToParts(date)) parts[part.type] = part.value
  return parts
}

/** Today's date in Asia/Shanghai, whatever the browser's own time zone. */
export function todayInShanghai(now: Date = new Date()): string {
  const p = shanghaiParts(now)
  return `${p.year}-${p.month}-${p.day}`
}

/** An ISO timestamp with offset shown as "YYYY-MM-DD HH:mm:ss" in Asia/Shanghai. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const p = shanghaiParts(date)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

function parseDay(day: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) throw new RangeError(`not a YYYY-MM-DD day: ${day}`)
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
}

function printDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(day: string, days: number): string {
  const date = parseDay(day)
  date.setUTCDate(date.getUTCDate() + days)
  return printDay(date)
}

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const weekday = parseDay(day).getUTCDay()
  return weekday === 0 ? 7 : weekday
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day)
  return out
}

export const WEEKDAY_LABELS: Record<number, string> = {
  1: '周一',
  2: '周二',
  3: '周三',
  4: '周四',
  5: '周五',
  6: '周六',
  7: '周日',
}

/** "2025-03-07" → "3月7日 周五". */
export function formatDayShort(day: string): string {
  const date = parseDay(day)
  return `${date.getUTCMonth() + 1}月${date.getUTCDate()}日 ${WEEKDAY_LABELS[isoWeekday(day)]}`
}

export const SEX_LABELS: Record<string, string> = { male: '男', female: '女', any: '不限' }

export function formatSex(sex: string | null | undefined): string {
  return sex ? (SEX_LABELS[sex] ?? sex) : '—'
}

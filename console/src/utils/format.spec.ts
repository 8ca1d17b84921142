import { describe, expect, it } from 'vitest'
import {
  addDays,
  daysBetween,
  formatDateTime,
  formatDayShort,
  formatSex,
  formatYuan,
  isoWeekday,
  todayInShanghai,
  yuanToFen,
} from './format'

describe('money', () => {
  it('shows integer fen as yuan with two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('¥0.00')
    expect(formatYuan(5)).toBe('¥0.05')
    expect(formatYuan(12345)).toBe('¥123.45')
    expect(formatYuan(128000)).toBe('¥1,280.00')
    expect(formatYuan(123456789)).toBe('¥1,234,567.89')
    expect(formatYuan(-2550)).toBe('-¥25.50')
    expect(formatYuan(null)).toBe('—')
  })

  it('never shows float noise (0.1 + 0.2 style)', () => {
    expect(formatYuan(30)).toBe('¥0.30')
    expect(formatYuan(1999)).toBe('¥19.99')
  })

  it('parses typed yuan into fen', () => {
    expect(yuanToFen('12.5')).toBe(1250)
    expect(yuanToFen('0.07')).toBe(7)
    expect(yuanToFen('300')).toBe(30000)
    expect(yuanToFen('1.234')).toBeNull()
    expect(yuanToFen('abc')).toBeNull()
  })
})

describe('days and times in Asia/Shanghai', () => {
  it('takes today in Shanghai, not in UTC or the browser zone', () => {
    // 17:30 UTC on the 6th is 01:30 on the 7th in Shanghai
    expect(todayInShanghai(new Date('2025-03-06T17:30:00Z'))).toBe('2025-03-07')
    expect(todayInShanghai(new Date('2025-03-06T15:59:59Z'))).toBe('2025-03-06')
  })

  it('shows ISO timestamps with any offset in Shanghai time', () => {
    expect(formatDateTime('2025-03-06T17:30:05Z')).toBe('2025-03-07 01:30:05')
    expect(formatDateTime('2025-03-07T09:15:00+08:00')).toBe('2025-03-07 09:15:00')
    expect(formatDateTime('2025-03-07T03:15:00+02:00')).toBe('2025-03-07 09:15:00')
    expect(formatDateTime(null)).toBe('—')
  })

  it('does calendar arithmetic across months, years and leap days', () => {
    expect(addDays('2025-03-31', 1)).toBe('2025-04-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31')
    expect(daysBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01', '2025-03-02'])
  })

  it('numbers weekdays ISO style (Monday 1 … Sunday 7)', () => {
    expect(isoWeekday('2025-03-03')).toBe(1)
    expect(isoWeekday('2025-03-09')).toBe(7)
    expect(formatDayShort('2025-03-07')).toBe('3月7日 周五')
  })

  it('shows sex in Chinese', () => {
    expect(formatSex('male')).toBe('男')
    expect(formatSex('female')).toBe('女')
  })
})

import { describe, expect, it } from 'vitest'
import { buildMonthGrid, firstOfMonth, lastOfMonth, shiftMonth } from './calendar'

describe('month grid', () => {
  it('covers whole Monday-first weeks around the month', () => {
    // March 2025 starts on a Saturday and ends on a Monday
    const weeks = buildMonthGrid(2025, 3)
    expect(weeks).toHaveLength(6)
    expect(weeks.every((w) => w.length === 7)).toBe(true)
    expect(weeks[0][0]).toMatchObject({ date: '2025-02-24', inMonth: false, weekday: 1 })
    expect(weeks[0][5]).toMatchObject({ date: '2025-03-01', inMonth: true, day: 1, weekday: 6 })
    expect(weeks[5][0]).toMatchObject({ date: '2025-03-31', inMonth: true, weekday: 1 })
    expect(weeks[5][6]).toMatchObject({ date: '2025-04-06', inMonth: false, weekday: 7 })
    expect(weeks.flat().filter((c) => c.inMonth)).toHaveLength(31)
  })

  it('needs only four rows when February starts on a Monday', () => {
    const weeks = buildMonthGrid(2021, 2)
    expect(weeks).toHaveLength(4)
    expect(weeks[0][0].date).toBe('2021-02-01')
    expect(weeks[3][6].date).toBe('2021-02-28')
  })

  it('knows leap Februaries and month ends', () => {
    expect(lastOfMonth(2024, 2)).toBe('2024-02-29')
    expect(lastOfMonth(2025, 2)).toBe('2025-02-28')
    expect(lastOfMonth(2025, 12)).toBe('2025-12-31')
    expect(firstOfMonth(2025, 7)).toBe('2025-07-01')
    expect(buildMonthGrid(2024, 2).flat().filter((c) => c.inMonth)).toHaveLength(29)
  })

  it('moves between months across years', () => {
    expect(shiftMonth(2025, 12, 1)).toEqual({ year: 2026, month: 1 })
    expect(shiftMonth(2025, 1, -1)).toEqual({ year: 2024, month: 12 })
    expect(shiftMonth(2025, 3, 0)).toEqual({ year: 2025, month: 3 })
  })
})

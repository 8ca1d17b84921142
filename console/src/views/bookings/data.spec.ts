import { describe, expect, it } from 'vitest'
import type { BookedPatientRow } from '@/api/reports'
import { CANCELLED_COLUMNS, cancelledByText, initialFilter, perDayTotals, REPORT_COLUMNS } from './data'

let nextId = 1
const row = (date: string): BookedPatientRow => ({
  booking_id: nextId++,
  date,
  patient_name: '王芳',
  sex: 'female',
  age: '30–34',
  phone_masked: '138****5678',
  id_number_masked: '110101********1234',
  package_name: 'A',
  amount_fen: 100,
  bill_no: 'B1',
  booked_at: '2025-03-01T00:00:00+08:00',
  phone: null,
})

describe('预约患者 filter and totals', () => {
  it('defaults to today … today+7 and takes a valid range from the address', () => {
    expect(initialFilter('2025-03-07')).toEqual({ from: '2025-03-07', to: '2025-03-14', q: '' })
    expect(initialFilter('2025-03-07', { from: '2025-04-01', to: '2025-04-03', q: '王' })).toEqual({ from: '2025-04-01', to: '2025-04-03', q: '王' })
    expect(initialFilter('2025-03-07', { from: 'junk', to: '2025-01-01' })).toEqual({ from: '2025-03-07', to: '2025-03-14', q: '' })
  })

  it("uses the server's per-day totals when sent", () => {
    const perDay = [{ date: '2025-03-08', count: 40 }]
    expect(perDayTotals({ items: [row('2025-03-08')], total: 40, per_day: perDay })).toBe(perDay)
  })

  it('counts per day from the rows only when the page holds every row', () => {
    expect(perDayTotals({ items: [row('2025-03-09'), row('2025-03-08'), row('2025-03-09')], total: 3 })).toEqual([
      { date: '2025-03-08', count: 1 },
      { date: '2025-03-09', count: 2 },
    ])
    expect(perDayTotals({ items: [row('2025-03-08')], total: 25 })).toBeNull()
  })

  it('has the report columns of API.md in Chinese', () => {
    expect(REPORT_COLUMNS.map((c) => c.key)).toEqual([
      'date', 'patient_name', 'sex', 'age', 'phone_masked', 'id_number_masked', 'package_name', 'amount_fen', 'bill_no', 'booked_at', 'booking_id',
    ])
    expect(REPORT_COLUMNS.find((c) => c.key === 'amount_fen')!.value(row('2025-03-08'))).toBe('¥1.00')
  })
})

describe('已取消 tab', () => {
  it('says who cancelled a booking and why', () => {
    expect(cancelledByText('his')).toBe('医院HIS')
    expect(cancelledByText('patient')).toBe('患者')
    expect(cancelledByText('staff:li.nurse')).toBe('工作人员 li.nurse')
    expect(cancelledByText(null)).toBe('—')
    const cancelled = {
      ...row('2025-03-08'),
      booking_id: 8,
      age: '30–34',
      phone: null,
      confirmed_at: null,
      confirmed_by: null,
      status: 'cancelled' as const,
      cancelled_at: '2025-03-05T02:00:00Z',
      cancelled_by: 'his',
      cancel_reason: '该缴费项目已在医院收费窗口退费，预约已取消',
    }
    const cells = Object.fromEntries(CANCELLED_COLUMNS.map((c) => [c.label, c.value(cancelled)]))
    expect(cells['取消方']).toBe('医院HIS')
    expect(cells['取消原因']).toBe('该缴费项目已在医院收费窗口退费，预约已取消')
    expect(cells['取消时间']).not.toBe('—')
  })
})

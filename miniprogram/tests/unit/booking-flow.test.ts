import { changeRule } from '../../miniprogram/services/bookings'
import { CalendarDay, dayBlockReason } from '../../miniprogram/services/calendar'
import { buildCalendar, submitBooking } from '../../miniprogram/services/flows/booking'
import { addDays } from '../../miniprogram/utils/date'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx } from '../helpers/fake-wx'

function day(date: string, over: Partial<CalendarDay> = {}): CalendarDay {
  return { date, open: true, capacity: 20, remaining: 5, bookable: true, ...over }
}

describe('calendar cells', () => {
  it('names why a day cannot be booked', () => {
    expect(dayBlockReason(day('2025-03-03'))).toBe('')
    expect(dayBlockReason(day('2025-03-03', { open: false, bookable: false }))).toBe('休息')
    expect(dayBlockReason(day('2025-03-03', { remaining: 0, bookable: false }))).toBe('已约满')
    expect(dayBlockReason(day('2025-03-03', { bookable: false }))).toBe('未开放')
    // The server's own reason wins when it sends one.
    expect(dayBlockReason(day('2025-03-03', { bookable: false, reason: 'too_late' }))).toBe('已截止')
    // A day not open yet says when it opens.
    expect(
      dayBlockReason(day('2025-04-03', { bookable: false, reason: 'not_yet_open', opens_at: '2025-03-04T08:00:00+08:00' })),
    ).toBe('3/4 8:00开放')
    expect(dayBlockReason(day('2025-04-03', { bookable: false, reason: 'not_yet_open' }))).toBe('未开放')
  })

  it('lays days out in months, Monday first, with the remaining places', () => {
    // 2025-02-28 is a Friday, 2025-03-01 a Saturday.
    const months = buildCalendar([
      day('2025-02-28', { remaining: 12 }),
      day('2025-03-01', { remaining: 0, bookable: false }),
      day('2025-03-02', { open: false, bookable: false }),
    ])
    expect(months.map((m) => m.title)).toEqual(['2025年2月', '2025年3月'])
    expect(months[0].cells.slice(0, 4).every((c) => c.kind === 'blank')).toBe(true)
    expect(months[0].cells[4]).toEqual({ date: '2025-02-28', day: 28, selectable: true, label: '余12', kind: 'free' })
    expect(months[1].cells.slice(0, 5).every((c) => c.kind === 'blank')).toBe(true)
    expect(months[1].cells[5]).toMatchObject({ date: '2025-03-01', selectable: false, label: '已约满', kind: 'full' })
    expect(months[1].cells[6]).toMatchObject({ date: '2025-03-02', selectable: false, label: '休息', kind: 'closed' })
  })
})

describe('submitBooking', () => {
  let server: FakeServer
  let fake: FakeWx
  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  function paidCharge() {
    const patient = server.addPatient('openid-patient-code', { name: '张三' })
    return server.addCharge({ patient_id: patient.id, status: 'paid' })
  }

  it('asks for consent, then books the day', async () => {
    const charge = paidCharge()
    const date = addDays(server.today, 3)
    const booking = await submitBooking({ billNo: charge.bill_no, date })
    expect(booking).toMatchObject({ bill_no: charge.bill_no, date, status: 'booked' })
    expect(fake.subscribeCalls).toEqual([['TPL-BOOK']])
    expect(server.day(date).booked).toBe(1)
  })

  it('moves an existing booking when given its id', async () => {
    const charge = paidCharge()
    const first = server.addBooking({ bill_no: charge.bill_no, patient_id: charge.patient_id, date: addDays(server.today, 3) })
    const moved = await submitBooking({ bookingId: first.id, date: addDays(server.today, 5) })
    expect(moved).toMatchObject({ id: first.id, date: addDays(server.today, 5) })
    expect(server.log[server.log.length - 1].path).toBe(`/api/me/bookings/${first.id}/reschedule`)
  })

  it('passes the server refusal on as an ApiError with its message', async () => {
    const charge = paidCharge()
    const date = addDays(server.today, 3)
    server.setDay(date, { capacity: 1, booked: 1 })
    await expect(submitBooking({ billNo: charge.bill_no, date })).rejects.toMatchObject({ code: 'QUOTA_FULL', message: '该日号源已满' })
  })
})

describe('changeRule', () => {
  const base = { id: 1, bill_no: 'B1', patient_id: 1, date: '2025-03-10' }

  it('explains the deadline while changes are allowed', () => {
    const rule = changeRule({ ...base, status: 'booked', can_change: true, change_deadline: '2025-03-09' })
    expect(rule.allowed).toBe(true)
    expect(rule.explanation).toContain('2025年3月9日')
  })

  it('shows a timestamp deadline in Beijing time', () => {
    const rule = changeRule({ ...base, status: 'booked', change_deadline: '2025-03-09T15:59:00Z' })
    expect(rule.explanation).toContain('2025年3月9日 23:59')
  })

  it('refuses after the cutoff and says so', () => {
    const rule = changeRule({ ...base, status: 'booked', can_change: false, change_deadline: '2025-03-09' })
    expect(rule.allowed).toBe(false)
    expect(rule.explanation).toMatch(/已超过截止时间/)
  })

  it('refuses confirmed and cancelled bookings', () => {
    expect(changeRule({ ...base, status: 'confirmed' }).allowed).toBe(false)
    expect(changeRule({ ...base, status: 'cancelled' }).allowed).toBe(false)
  })
})

import { addDays, dayLongText } from '../../miniprogram/utils/date'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'

const OWNER = 'openid-patient-code'

function cellOf(page: any, date: string) {
  for (const month of page.data.months) {
    const cell = month.cells.find((c: any) => c.date === date)
    if (cell) return cell
  }
  throw new Error(`no cell for ${date}`)
}

describe('预约 page (calendar)', () => {
  let server: FakeServer
  let fake: FakeWx
  let billNo: string
  let patientId: number

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
    patientId = server.addPatient(OWNER, { name: '张三' }).id
    billNo = server.addCharge({ patient_id: patientId, status: 'paid' }).bill_no
  })

  async function open(query: Record<string, string>) {
    const page = renderPage('booking/create')
    await page.instance.onLoad(query)
    return page
  }

  it('shows the days with remaining places, and why the others cannot be booked', async () => {
    const closed = addDays(server.today, 2)
    const full = addDays(server.today, 3)
    const free = addDays(server.today, 4)
    server.setDay(closed, { open: false })
    server.setDay(full, { capacity: 10, booked: 10 })
    server.setDay(free, { capacity: 10, booked: 3 })
    const page = await open({ bill_no: billNo })

    expect(cellOf(page, closed)).toMatchObject({ selectable: false, label: '休息' })
    expect(cellOf(page, full)).toMatchObject({ selectable: false, label: '已约满' })
    expect(cellOf(page, free)).toMatchObject({ selectable: true, label: '余7' })
    expect(cellOf(page, addDays(server.today, server.bookingWindowDays + 1))).toMatchObject({ selectable: false, label: '未开放' })
    expect(cellOf(page, server.today)).toMatchObject({ selectable: false, label: '已截止' })
    const calendarCall = server.log.find((r) => r.path === '/api/calendar')!
    expect(calendarCall.query).toEqual({ from: server.today, to: addDays(server.today, 34) })
    expect(page.querySelector(`#day-${full}`).dom.textContent).toContain('已约满')
  })

  it('a disabled day cannot be chosen and says why', async () => {
    const full = addDays(server.today, 3)
    server.setDay(full, { capacity: 10, booked: 10 })
    const page = await open({ bill_no: billNo })
    tap(page, `#day-${full}`)
    await waitFor(() => expect(fake.lastToast()).toContain('已约满'))
    expect(page.data.selected).toBe('')
    tap(page, '.confirm') // nothing chosen: nothing is sent
    await new Promise((r) => setTimeout(r, 20))
    expect(server.log.some((r) => r.path === '/api/me/bookings')).toBe(false)
  })

  it('books the chosen day and lands on 预约记录', async () => {
    const date = addDays(server.today, 5)
    const page = await open({ bill_no: billNo })
    tap(page, `#day-${date}`)
    await waitFor(() => expect(page.data.selected).toBe(date))
    expect(textOf(page)).toContain(`已选：${dayLongText(date)}`)

    tap(page, '.confirm')
    await waitFor(() => expect(fake.navigations).toHaveLength(1))
    const booking = server.bookings[0]
    expect(booking).toMatchObject({ bill_no: billNo, date, status: 'booked' })
    expect(fake.navigations[0]).toEqual({ kind: 'redirectTo', url: `/pages/booking/list/index?highlight=${booking.id}` })
    expect(fake.subscribeCalls).toEqual([['TPL-BOOK']])
  })

  it('booking a day that filled up meanwhile is refused with the server message, and the calendar is refreshed', async () => {
    const date = addDays(server.today, 5)
    server.setDay(date, { capacity: 10, booked: 9 })
    const page = await open({ bill_no: billNo })
    tap(page, `#day-${date}`)
    await waitFor(() => expect(page.data.selected).toBe(date))

    server.setDay(date, { booked: 10 }) // someone else took the last place
    tap(page, '.confirm')
    await waitFor(() => expect(page.data.errorMessage).toBe('该日号源已满'))
    expect(fake.toasts.map((t) => t.title)).toContain('该日号源已满')
    expect(page.querySelector('.booking-error').dom.textContent).toContain('该日号源已满')
    await waitFor(() => expect(cellOf(page, date)).toMatchObject({ selectable: false, label: '已约满' }))
    expect(page.data.selected).toBe('')
    expect(server.bookings).toHaveLength(0)
    expect(fake.navigations).toHaveLength(0)
  })

  it('reschedules an existing booking', async () => {
    const old = addDays(server.today, 3)
    const booking = server.addBooking({ bill_no: billNo, patient_id: patientId, date: old })
    const page = await open({ booking_id: String(booking.id), bill_no: billNo, date: old })
    expect(textOf(page)).toContain(`原预约日期：${dayLongText(old)}`)
    expect(textOf(page)).toContain('确认改约')

    const date = addDays(server.today, 6)
    tap(page, `#day-${date}`)
    await waitFor(() => expect(page.data.selected).toBe(date))
    tap(page, '.confirm')
    await waitFor(() => expect(fake.navigations).toHaveLength(1))
    expect(server.bookings[0].date).toBe(date)
    expect(server.day(old).booked).toBe(0)
    expect(server.log.some((r) => r.path === `/api/me/bookings/${booking.id}/reschedule`)).toBe(true)
  })
})

describe('预约记录 pages', () => {
  let server: FakeServer
  let fake: FakeWx

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  function seed() {
    const zhang = server.addPatient(OWNER, { name: '张三' })
    const li = server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
    const c1 = server.addCharge({ patient_id: zhang.id, status: 'paid' })
    const c2 = server.addCharge({ patient_id: li.id, status: 'paid', package_code: 'PKG-FEMALE' })
    const c3 = server.addCharge({ patient_id: zhang.id, status: 'paid' })
    const booked = server.addBooking({ bill_no: c1.bill_no, patient_id: zhang.id, date: addDays(server.today, 3) })
    const confirmed = server.addBooking({ bill_no: c2.bill_no, patient_id: li.id, date: addDays(server.today, 2), status: 'confirmed' })
    const cancelled = server.addBooking({ bill_no: c3.bill_no, patient_id: zhang.id, date: addDays(server.today, 4), status: 'cancelled' })
    return { booked, confirmed, cancelled }
  }

  it('lists every booking with day, status, package and 就诊人', async () => {
    const { booked, confirmed } = seed()
    const page = renderPage('booking/list')
    await page.instance.onLoad({})
    expect(page.querySelectorAll('.booking')).toHaveLength(3)
    const [first, second, third] = page.data.bookings
    expect(first).toMatchObject({ id: confirmed.id, statusText: '已确认', packageName: '女性全面体检', patientName: '李梅' })
    expect(second).toMatchObject({ id: booked.id, statusText: '已预约', packageName: '基础体检套餐', patientName: '张三' })
    expect(third).toMatchObject({ statusText: '已取消' })
    const text = textOf(page)
    expect(text).toContain(dayLongText(booked.date))
    expect(text).toContain('已取消')

    tap(page, `.booking-booked`)
    await waitFor(() => expect(fake.navigations[0].url).toBe(`/pages/booking/detail/index?id=${booked.id}`))
  })

  it('says so when there is no booking yet', async () => {
    server.addPatient(OWNER, { name: '张三' })
    const page = renderPage('booking/list')
    await page.instance.onLoad({})
    expect(textOf(page)).toContain('还没有预约记录')
    tap(page, '.go-pay')
    await waitFor(() => expect(fake.navigations[0].url).toBe('/pages/pay/index/index?tab=paid'))
  })

  async function openDetail(id: number) {
    const page = renderPage('booking/detail')
    await page.instance.onLoad({ id: String(id) })
    return page
  }

  it('detail shows the booking, the cutoff and the package 须知', async () => {
    const { booked } = seed()
    const page = await openDetail(booked.id)
    const text = textOf(page)
    expect(text).toContain(dayLongText(booked.date))
    expect(text).toContain('已预约')
    expect(text).toContain('张三')
    expect(text).toContain(`如需改约或取消，请在${addDays(booked.date, -1).replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')}（含当天）之前办理`)
    expect(text).toContain('体检前一天晚上十点后禁食')
    expect(page.querySelector('.cancel')).toBeTruthy()
    expect(page.querySelector('.reschedule')).toBeTruthy()
  })

  it('cancel after confirming: the booking shows 已取消 and can no longer be changed', async () => {
    const { booked } = seed()
    const page = await openDetail(booked.id)
    tap(page, '.cancel')
    await waitFor(() => expect(page.data.booking.statusText).toBe('已取消'))
    expect(fake.modals[0].title).toBe('取消预约')
    expect(server.bookings.find((b) => b.id === booked.id)!.status).toBe('cancelled')
    expect(page.querySelector('.cancel')).toBeFalsy()
    expect(textOf(page)).toContain('重新预约')
  })

  it('past the cutoff: no buttons, and the reason is given', async () => {
    const { booked } = seed()
    server.cutoffPassed.add(booked.id)
    const page = await openDetail(booked.id)
    expect(page.querySelector('.cancel')).toBeFalsy()
    expect(page.querySelector('.reschedule')).toBeFalsy()
    expect(textOf(page)).toContain('已超过截止时间')
  })

  it('a refusal from the server (CHANGE_CUTOFF_PASSED) shows its message', async () => {
    const { booked } = seed()
    const page = await openDetail(booked.id)
    server.cutoffPassed.add(booked.id) // the cutoff passes while the page is open
    tap(page, '.cancel')
    await waitFor(() => expect(fake.lastToast()).toBe('已过改约/取消截止时间'))
    await waitFor(() => expect(page.querySelector('.cancel')).toBeFalsy())
    expect(page.data.booking.statusText).toBe('已预约')
  })

  it('a confirmed booking cannot be changed online', async () => {
    const { confirmed } = seed()
    const page = await openDetail(confirmed.id)
    expect(page.querySelector('.reschedule')).toBeFalsy()
    expect(textOf(page)).toContain('请联系体检中心')
  })

  it('改约 opens the calendar for this booking', async () => {
    const { booked } = seed()
    const page = await openDetail(booked.id)
    tap(page, '.reschedule')
    await waitFor(() =>
      expect(fake.navigations[0].url).toBe(
        `/pages/booking/create/index?booking_id=${booked.id}&bill_no=${booked.bill_no}&date=${booked.date}`,
      ),
    )
  })
})

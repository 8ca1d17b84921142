import { Booking } from '../../miniprogram/services/bookings'
import { REFUND_STATUS_TEXT } from '../../miniprogram/services/refunds'
import { bookingView } from '../../miniprogram/pages/booking/view'

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 1, bill_no: 'B1', patient_id: 7, date: '2026-03-10', status: 'booked', ...over,
})

describe('status words', () => {
  it("shows the server's status_text when it sends one", () => {
    expect(bookingView(booking({ status_text: '已预约（待确认）' }), []).statusText).toBe('已预约（待确认）')
  })

  it('falls back to its own words only without one', () => {
    expect(bookingView(booking({ status: 'confirmed' }), []).statusText).toBe('已确认')
  })

  it('names exactly the refund states the server has (checkup.domain.money.RefundStatus)', () => {
    expect(Object.keys(REFUND_STATUS_TEXT).sort()).toEqual(['abnormal', 'failed', 'his_done', 'pending', 'succeeded', 'wechat_pending'])
  })
})

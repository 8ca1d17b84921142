import { Booking } from '../../miniprogram/services/bookings'
import { Charge } from '../../miniprogram/services/charges'
import { paidView } from '../../miniprogram/pages/pay/index/view'
import { bookingView } from '../../miniprogram/pages/booking/view'

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: 1, bill_no: 'B1', patient_id: 7, date: '2026-03-10', status: 'booked', ...over,
})

describe('status words', () => {
  it("shows the server's status_text when it sends one", () => {
    expect(bookingView(booking({ status_text: '已预约（待确认）' }), []).statusText).toBe('已预约（待确认）')
  })

  it('keeps no words of its own: without status_text the state shows as sent', () => {
    expect(bookingView(booking({ status: 'confirmed' }), []).statusText).toBe('confirmed')
  })

  it("shows a charge's and its booking's status_text from the server", () => {
    const charge: Charge = {
      bill_no: 'B1', patient_id: 7, item_name: '体检费', amount_fen: 29900, status: 'paid', status_text: '已缴费',
      booking: booking({ status_text: '已预约' }),
    }
    const view = paidView(charge)
    expect(view.statusText).toBe('已缴费')
    expect(view.booking?.statusText).toBe('已预约')
  })
})

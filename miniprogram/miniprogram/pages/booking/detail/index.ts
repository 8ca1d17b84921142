import { Booking, cancelBooking, listBookings } from '../../../services/bookings'
import { callCentre, centreNoticeLines, centreOrEmpty } from '../../../services/centre'
import { getPackage, notesLines } from '../../../services/packages'
import { listPatients } from '../../../services/patients'
import { confirmModal, PAGES, goTo, toastSuccess, withQuery } from '../../../utils/ui'
import { BookingView, bookingView } from '../view'
import { fontScale } from '../../../behaviors/font-scale'

/** 须知 for a booking: its own, else its package's, else the centre's general notes (GET /api/centre). */
async function notesFor(booking: Booking, packageCode: string): Promise<string[]> {
  const own = notesLines(booking.notes)
  if (own.length) return own
  if (packageCode) {
    try {
      const lines = notesLines((await getPackage(packageCode)).notes)
      if (lines.length) return lines
    } catch (e) {
      // fall back to the general notes
    }
  }
  return centreNoticeLines(await centreOrEmpty())
}

Component({
  behaviors: [fontScale],
  data: {
    id: 0,
    loading: true,
    notFound: false,
    booking: null as BookingView | null,
    notes: [] as string[],
    /** The centre's phone number, offered when the patient must call to change the booking. */
    servicePhone: '',
    working: false,
  },
  methods: {
    onLoad(query: { id?: string } = {}): Promise<void> {
      this.setData({ id: Number(query.id || 0) })
      return this.load()
    },
    onShow(): Promise<void> {
      // Back from 改约: show the new day.
      return this.data.booking ? this.load() : Promise.resolve()
    },
    async load(): Promise<void> {
      this.setData({ loading: true })
      try {
        const [bookings, patients] = await Promise.all([listBookings(), listPatients()])
        const booking = bookings.find((b) => b.id === this.data.id)
        if (!booking) {
          this.setData({ notFound: true, booking: null })
          return
        }
        this.setData({ booking: bookingView(booking, patients), notFound: false })
        const [notes, centre] = await Promise.all([notesFor(booking, booking.package_code || ''), centreOrEmpty()])
        this.setData({ notes, servicePhone: centre.phone })
      } catch (e) {
        this.setData({ notFound: !this.data.booking })
      } finally {
        this.setData({ loading: false })
      }
    },
    onCall(): void {
      callCentre(this.data.servicePhone)
    },
    onReschedule(): void {
      const booking = this.data.booking
      if (!booking || !booking.canChange) return
      goTo(withQuery(PAGES.bookingCreate, { booking_id: booking.id, bill_no: booking.billNo, date: booking.date }))
    },
    async onCancel(): Promise<void> {
      const booking = this.data.booking
      if (!booking || !booking.canChange || this.data.working) return
      const yes = await confirmModal({
        title: '取消预约',
        content: `确定取消 ${booking.dateText} 的体检预约吗？取消后可以重新预约其他日期。`,
        confirmText: '取消预约',
        cancelText: '不取消',
      })
      if (!yes) return
      this.setData({ working: true })
      try {
        await cancelBooking(booking.id)
        toastSuccess('已取消预约')
        await this.load()
      } catch (e) {
        // e.g. CHANGE_CUTOFF_PASSED: the server's message was shown; show the latest state
        await this.load()
      } finally {
        this.setData({ working: false })
      }
    },
  },
})

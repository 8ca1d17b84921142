import { listBookings } from '../../../services/bookings'
import { listPatients } from '../../../services/patients'
import { PAGES, goTo, withQuery } from '../../../utils/ui'
import { BookingView, bookingView, sortBookings } from '../view'
import { fontScale } from '../../../behaviors/font-scale'

Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    bookings: [] as BookingView[],
    highlight: 0,
    shown: false,
  },
  methods: {
    onLoad(query: { highlight?: string } = {}): Promise<void> {
      this.setData({ highlight: Number(query.highlight || 0) })
      return this.load()
    },
    onShow(): Promise<void> {
      // The first show follows onLoad; later ones come back from detail, where things may have changed.
      if (!this.data.shown) {
        this.setData({ shown: true })
        return Promise.resolve()
      }
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        const [bookings, patients] = await Promise.all([listBookings(), listPatients()])
        this.setData({ bookings: sortBookings(bookings).map((b) => bookingView(b, patients)) })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: number }>): void {
      goTo(withQuery(PAGES.bookingDetail, { id: e.currentTarget.dataset.id }))
    },
    onGoPay(): void {
      goTo(withQuery(PAGES.pay, { tab: 'paid' }))
    },
  },
})

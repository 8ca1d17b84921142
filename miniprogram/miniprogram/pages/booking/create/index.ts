import { ApiError, messageOf } from '../../../services/errors'
import { CalendarMonth, loadCalendar, selectedDayText, submitBooking } from '../../../services/flows/booking'
import { dayLongText } from '../../../utils/date'
import { PAGES, replaceWith, toastSuccess, toastText, withQuery } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'

interface CreateQuery {
  bill_no?: string
  booking_id?: string
  date?: string
}

type Tap<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.BaseEvent<Record<string, never>, T>

// After these refusals the calendar has changed under the patient: read it again.
const RELOAD_ON = ['QUOTA_FULL', 'DAY_CLOSED', 'OUTSIDE_BOOKING_WINDOW']

Component({
  behaviors: [fontScale],
  data: {
    billNo: '',
    bookingId: 0,
    currentDateText: '',
    weekdays: ['一', '二', '三', '四', '五', '六', '日'],
    loading: true,
    failed: false,
    months: [] as CalendarMonth[],
    selected: '',
    selectedText: '',
    submitting: false,
    errorMessage: '',
  },
  methods: {
    onLoad(query: CreateQuery = {}): Promise<void> {
      const bookingId = Number(query.booking_id || 0)
      this.setData({
        billNo: decodeURIComponent(query.bill_no || ''),
        bookingId,
        currentDateText: query.date ? dayLongText(query.date) : '',
      })
      if (bookingId) wx.setNavigationBarTitle({ title: '改约体检日期' })
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        this.setData({ months: await loadCalendar() })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onPickDay(e: Tap<{ date: string; selectable: boolean; label: string }>): void {
      const { date, selectable, label } = e.currentTarget.dataset
      if (!date) return
      if (!selectable) {
        toastText(`${dayLongText(date)} ${label}，请选择其他日期`)
        return
      }
      this.setData({ selected: date, selectedText: selectedDayText(date), errorMessage: '' })
    },
    async onConfirm(): Promise<void> {
      const { selected, billNo, bookingId } = this.data
      if (!selected || this.data.submitting) return
      this.setData({ submitting: true, errorMessage: '' })
      try {
        const booking = await submitBooking({ date: selected, billNo, bookingId: bookingId || undefined })
        toastSuccess(bookingId ? '改约成功' : '预约成功')
        replaceWith(withQuery(PAGES.bookingList, { highlight: booking.id }))
      } catch (error) {
        // Shown on the page as well as in the toast: the patient must see why.
        this.setData({ errorMessage: messageOf(error, '预约失败，请稍后再试') })
        if (error instanceof ApiError && RELOAD_ON.includes(error.code)) {
          this.setData({ selected: '', selectedText: '' })
          await this.load()
        }
      } finally {
        this.setData({ submitting: false })
      }
    },
  },
})

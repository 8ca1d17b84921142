import { PAGES, goTo } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'

interface Entry {
  key: string
  title: string
  desc: string
  url: string
}

const ENTRIES: Entry[] = [
  { key: 'package', title: '个人体检', desc: '选择体检套餐，在线缴费', url: PAGES.packageList },
  { key: 'pay', title: '体检缴费', desc: '待缴费、已缴费，缴费后预约日期', url: PAGES.pay },
  { key: 'booking', title: '预约记录', desc: '查看、改约或取消预约', url: PAGES.bookingList },
  { key: 'patient', title: '就诊人管理', desc: '添加本人和家人', url: PAGES.patientList },
  { key: 'notice', title: '体检须知', desc: '体检前请仔细阅读', url: PAGES.notice },
]

Component({
  behaviors: [fontScale],
  data: {
    entries: ENTRIES,
  },
  methods: {
    onOpen(e: WechatMiniprogram.BaseEvent<Record<string, never>, { url: string }>): void {
      goTo(e.currentTarget.dataset.url)
    },
  },
})

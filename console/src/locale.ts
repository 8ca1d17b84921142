/**
 * The console's language: Element Plus in Chinese, and dayjs (which the date pickers compute with) in
 * zh-cn too, so calendars start the week on Monday (一 … 日) and name months and weekdays in Chinese.
 * Element Plus asks dayjs for its locale by name ('zh-cn'): importing the dayjs locale registers it.
 */
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import zhCn from 'element-plus/es/locale/lang/zh-cn'

dayjs.locale('zh-cn')

export const elementLocale = zhCn

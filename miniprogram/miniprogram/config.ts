/**
 * Build-time settings of the mini-program.
 *
 * Edit these for a hospital's build. In a development build pointed at the local server
 * (`make run`, sandbox on) keep `sandboxPay: true`: paying then goes through the sandbox's
 * pay control instead of WeChat Pay, so the whole flow runs in WeChat DevTools.
 */
export interface AppConfig {
  /** Backend address, without a trailing slash. Production: the hospital's HTTPS domain. */
  apiBaseUrl: string
  /** Pay through POST /sandbox/control/pay instead of wx.requestPayment (development only). */
  sandboxPay: boolean
  /** Subscription message template ids asked for before payment and before booking. */
  subscribeTemplates: {
    payment: string[]
    booking: string[]
  }
  /** How often and how long the pay page asks the server whether a payment went through. */
  payPollIntervalMs: number
  payPollTimeoutMs: number
  /** How many days the booking calendar shows, starting today. */
  calendarDays: number
  /** Timeout of one HTTP request. */
  requestTimeoutMs: number
  /** The centre's phone number, shown where a patient may need help. */
  servicePhone: string
  /** 体检须知: general notes shown on the home page entry. */
  checkupNotice: string[]
}

export const config: AppConfig = {
  apiBaseUrl: 'http://127.0.0.1:8000',
  sandboxPay: true,
  subscribeTemplates: {
    payment: [],
    booking: [],
  },
  payPollIntervalMs: 1500,
  payPollTimeoutMs: 30000,
  calendarDays: 35,
  requestTimeoutMs: 15000,
  servicePhone: '',
  checkupNotice: [
    '体检前一天请清淡饮食，不饮酒，晚上十点后不再进食。',
    '体检当天早晨请空腹（不吃早餐、不喝水），以便抽血和做腹部B超。',
    '请携带本人身份证，按预约日期上午 7:30—10:00 到体检中心前台登记。',
    '有高血压、糖尿病等慢性病的，请照常服药，并告诉医生。',
    '女性月经期间不宜做妇科检查和尿液检查，可改约其他日期。',
    '怀孕或可能怀孕的，请勿做放射检查（如胸片、CT），并提前告诉医生。',
    '体检当天请穿宽松衣物，不要佩戴金属饰品。',
  ],
}

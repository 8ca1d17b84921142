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
}

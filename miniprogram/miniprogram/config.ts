/**
 * Settings of the mini-program.
 *
 * The per-environment ones (API base URL, appid, template ids, sandbox pay) come from env/<name>.json
 * through the generated module ./env (scripts/build-env.js): never edit them here. Development uses
 * env/dev.json (`make run`, sandbox on: paying goes through the sandbox's pay control instead of WeChat
 * Pay, so the whole flow runs in WeChat DevTools); `npm run build:release -- <name>` refuses sandbox values.
 * The centre's phone number and 体检须知 come from the backend (GET /api/centre, services/centre.ts).
 */
import { env } from './env'

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
  apiBaseUrl: env.apiBaseUrl,
  sandboxPay: env.sandboxPay,
  subscribeTemplates: {
    payment: [...env.subscribeTemplates.payment],
    booking: [...env.subscribeTemplates.booking],
  },
  payPollIntervalMs: 1500,
  payPollTimeoutMs: 30000,
  calendarDays: 35,
  requestTimeoutMs: 15000,
}

/** Globals the mini-program runtime provides and miniprogram-simulate does not. */

import { config } from '../miniprogram/config'

const pageStack: unknown[] = [{ route: 'pages/home/index/index' }]

;(globalThis as any).getApp = () => ({ globalData: {} })
;(globalThis as any).getCurrentPages = () => pageStack

// Fast polling in tests; the values that matter are set per test where needed.
config.payPollIntervalMs = 2
config.payPollTimeoutMs = 200
config.sandboxPay = false
config.subscribeTemplates = { payment: ['TPL-PAY'], booking: ['TPL-BOOK'] }

/**
 * A fake `wx` for tests: requests go to a FakeServer, storage lives in memory, and the UI calls
 * (toast, modal, navigation, payment, subscription) are recorded so tests can assert on them.
 */

import { config } from '../../miniprogram/config'
import { FakeServer } from './fake-server'

type Callbacks = { success?: (res: any) => void; fail?: (err: any) => void; complete?: (res: any) => void }

export type PayBehaviour = 'ok' | 'cancel' | 'fail'

export interface FakeWx {
  server: FakeServer
  storage: Map<string, unknown>
  toasts: { title: string; icon?: string }[]
  modals: { title?: string; content?: string }[]
  /** What the next modals answer (true = 确定); default true. */
  modalAnswers: boolean[]
  navigations: { kind: 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab' | 'reLaunch'; url?: string }[]
  payments: { params: any }[]
  /** How wx.requestPayment ends; 'ok' also makes "WeChat" notify the server. */
  payBehaviour: PayBehaviour
  subscribeCalls: string[][]
  loginCount: number
  /** Set to make wx.request fail as if the network were down. */
  networkDown: boolean
  /** WeChat's font scale factor (我 → 设置 → 字体大小, 关怀模式); 1 = standard. */
  fontSizeScaleFactor: number
  /** Numbers dialled with wx.makePhoneCall. */
  phoneCalls: string[]
  /** Mini-programs opened with wx.navigateToMiniProgram. */
  miniProgramsOpened: { appId: string; path?: string }[]
  /** What the opened mini-program hands back on return (extraData), or null: the user came back without. */
  miniProgramReturns: Record<string, unknown> | null
  /** The last toast title, or ''. */
  lastToast(): string
}

function later(fn: () => void): void {
  setTimeout(fn, 0)
}

function parseUrl(url: string): { path: string; query: Record<string, string> } {
  const base = config.apiBaseUrl.replace(/\/+$/, '')
  if (!url.startsWith(base)) throw new Error(`request to unexpected host: ${url}`)
  const rest = url.slice(base.length)
  const [path, qs = ''] = rest.split('?')
  const query: Record<string, string> = {}
  qs.split('&')
    .filter(Boolean)
    .forEach((pair) => {
      const [k, v = ''] = pair.split('=')
      query[decodeURIComponent(k)] = decodeURIComponent(v)
    })
  return { path, query }
}

/** Install a fresh fake over the global `wx` (keeping miniprogram-simulate's other mocks). */
export function installFakeWx(server: FakeServer = new FakeServer()): FakeWx {
  const appShowListeners: ((options: unknown) => void)[] = []
  const state: FakeWx = {
    server,
    storage: new Map(),
    toasts: [],
    modals: [],
    modalAnswers: [],
    navigations: [],
    payments: [],
    payBehaviour: 'ok',
    subscribeCalls: [],
    loginCount: 0,
    networkDown: false,
    fontSizeScaleFactor: 1,
    phoneCalls: [],
    miniProgramsOpened: [],
    miniProgramReturns: null,
    lastToast() {
      return this.toasts.length ? this.toasts[this.toasts.length - 1].title : ''
    },
  }

  const base = (globalThis as any).wx || {}
  const fake = {
    ...base,
    request(opts: WechatMiniprogram.RequestOption & Callbacks) {
      later(() => {
        if (state.networkDown) {
          opts.fail?.({ errMsg: 'request:fail network' })
          return
        }
        const { path, query } = parseUrl(opts.url)
        const res = server.handle({
          method: (opts.method || 'GET').toUpperCase(),
          path,
          query,
          body: opts.data === undefined ? undefined : JSON.parse(JSON.stringify(opts.data)),
          headers: { ...(opts.header as Record<string, string>) },
        })
        opts.success?.({ statusCode: res.status, data: res.body, header: {}, errMsg: 'request:ok' })
      })
      return { abort() {} }
    },
    login(opts: Callbacks) {
      state.loginCount += 1
      later(() => opts.success?.({ code: 'patient-code', errMsg: 'login:ok' }))
    },
    getStorageSync(key: string) {
      return state.storage.has(key) ? state.storage.get(key) : ''
    },
    setStorageSync(key: string, value: unknown) {
      state.storage.set(key, JSON.parse(JSON.stringify(value)))
    },
    removeStorageSync(key: string) {
      state.storage.delete(key)
    },
    showToast(opts: { title: string; icon?: string } & Callbacks) {
      state.toasts.push({ title: opts.title, icon: opts.icon })
      later(() => opts.success?.({ errMsg: 'showToast:ok' }))
    },
    getAppBaseInfo() {
      return { fontSizeScaleFactor: state.fontSizeScaleFactor, fontSizeSetting: Math.round(16 * state.fontSizeScaleFactor) }
    },
    makePhoneCall(opts: { phoneNumber: string } & Callbacks) {
      state.phoneCalls.push(opts.phoneNumber)
      later(() => opts.success?.({ errMsg: 'makePhoneCall:ok' }))
    },
    hideToast() {},
    showLoading() {},
    hideLoading() {},
    showModal(opts: { title?: string; content?: string } & Callbacks) {
      state.modals.push({ title: opts.title, content: opts.content })
      const confirm = state.modalAnswers.length ? state.modalAnswers.shift()! : true
      later(() => opts.success?.({ confirm, cancel: !confirm, errMsg: 'showModal:ok' }))
    },
    navigateTo(opts: { url: string } & Callbacks) {
      state.navigations.push({ kind: 'navigateTo', url: opts.url })
      later(() => opts.success?.({ errMsg: 'navigateTo:ok' }))
    },
    redirectTo(opts: { url: string } & Callbacks) {
      state.navigations.push({ kind: 'redirectTo', url: opts.url })
      later(() => opts.success?.({ errMsg: 'redirectTo:ok' }))
    },
    navigateBack(opts: Callbacks = {}) {
      state.navigations.push({ kind: 'navigateBack' })
      later(() => opts.success?.({ errMsg: 'navigateBack:ok' }))
    },
    requestPayment(opts: { package: string } & Callbacks) {
      state.payments.push({ params: { ...opts } })
      later(() => {
        if (state.payBehaviour === 'ok') {
          server.notifyPaidByPrepay(opts.package)
          opts.success?.({ errMsg: 'requestPayment:ok' })
        } else if (state.payBehaviour === 'cancel') {
          opts.fail?.({ errMsg: 'requestPayment:fail cancel' })
        } else {
          opts.fail?.({ errMsg: 'requestPayment:fail 余额不足' })
        }
      })
    },
    onAppShow(listener: (options: unknown) => void) {
      appShowListeners.push(listener)
    },
    offAppShow(listener: (options: unknown) => void) {
      const i = appShowListeners.indexOf(listener)
      if (i >= 0) appShowListeners.splice(i, 1)
    },
    navigateToMiniProgram(opts: { appId: string; path?: string } & Callbacks) {
      state.miniProgramsOpened.push({ appId: opts.appId, path: opts.path })
      later(() => {
        opts.success?.({ errMsg: 'navigateToMiniProgram:ok' })
        // the user comes back: the app shows again, with what the other mini-program handed back
        const referrerInfo = state.miniProgramReturns ? { appId: opts.appId, extraData: state.miniProgramReturns } : {}
        appShowListeners.slice().forEach((listener) => listener({ referrerInfo }))
      })
    },
    requestSubscribeMessage(opts: { tmplIds: string[] } & Callbacks) {
      state.subscribeCalls.push(opts.tmplIds)
      // The patient refuses: must not stop anything.
      later(() => opts.fail?.({ errMsg: 'requestSubscribeMessage:fail cancel' }))
    },
  }
  ;(globalThis as any).wx = fake
  return state
}

/** Wait until `check` passes (it throws or returns false until then). */
export async function waitFor(check: () => unknown, timeoutMs = 2000): Promise<void> {
  const started = Date.now()
  let lastError: unknown
  for (;;) {
    try {
      const ok = check()
      if (ok !== false) return
      lastError = new Error('condition returned false')
    } catch (e) {
      lastError = e
    }
    if (Date.now() - started > timeoutMs) throw lastError
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

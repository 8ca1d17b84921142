/**
 * A `wx` for Node: wx.request over fetch, wx.login with a chosen code, storage in memory, and no-op
 * UI calls. With it, the mini-program's own `services/` run in Node against a real backend
 * (sandbox on, `config.sandboxPay = true`), which is what an end-to-end test needs:
 *
 *   import { installNodeWx } from './wx-node'
 *   import { config } from '../../miniprogram/config'
 *   installNodeWx({ loginCode: 'e2e-patient-1' })
 *   config.apiBaseUrl = 'http://127.0.0.1:8000'
 *   config.sandboxPay = true
 *   const patients = await listPatients()
 *
 * In the sandbox the same login code always yields the same openid, so a test can act as one person.
 */

type Callbacks<S> = { success?: (res: S) => void; fail?: (err: { errMsg: string }) => void; complete?: (res: unknown) => void }

export interface NodeWxOptions {
  /** The code wx.login hands out (the sandbox maps one code to one openid). */
  loginCode?: string | (() => string)
  /** fetch to use (default: the global one of Node 18+). */
  fetch?: typeof fetch
}

export interface NodeWx {
  request(options: WechatMiniprogram.RequestOption & Callbacks<WechatMiniprogram.RequestSuccessCallbackResult>): { abort(): void }
  login(options: Callbacks<{ code: string; errMsg: string }>): void
  getStorageSync(key: string): unknown
  setStorageSync(key: string, value: unknown): void
  removeStorageSync(key: string): void
  clearStorageSync(): void
  showToast(options: { title: string } & Callbacks<unknown>): void
  showModal(options: { title?: string; content?: string } & Callbacks<{ confirm: boolean; cancel: boolean }>): void
  requestSubscribeMessage(options: { tmplIds: string[] } & Callbacks<unknown>): void
  requestPayment(options: Callbacks<unknown>): void
  /** Toast titles shown so far: what a patient would have read. */
  readonly toasts: string[]
  /** Every request sent: method and URL. */
  readonly requests: { method: string; url: string; status: number }[]
}

function toQuery(data: Record<string, unknown>): string {
  return Object.keys(data)
    .filter((k) => data[k] !== undefined && data[k] !== null)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(data[k]))}`)
    .join('&')
}

export function createNodeWx(options: NodeWxOptions = {}): NodeWx {
  const doFetch = options.fetch || fetch
  const storage = new Map<string, string>()
  const toasts: string[] = []
  const requests: { method: string; url: string; status: number }[] = []
  let loginSeq = 0
  const nextCode = () => {
    const code = options.loginCode
    if (typeof code === 'function') return code()
    return code || `node-wx-${process.pid}-${++loginSeq}`
  }

  return {
    toasts,
    requests,
    request(opts) {
      const controller = new AbortController()
      const method = (opts.method || 'GET').toUpperCase()
      let url = opts.url
      let body: string | undefined
      if (opts.data !== undefined && opts.data !== null) {
        if (method === 'GET') {
          const qs = typeof opts.data === 'string' ? opts.data : toQuery(opts.data as Record<string, unknown>)
          if (qs) url += (url.includes('?') ? '&' : '?') + qs
        } else {
          body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)
        }
      }
      const timer = opts.timeout ? setTimeout(() => controller.abort(), opts.timeout) : undefined
      doFetch(url, { method, headers: (opts.header || {}) as Record<string, string>, body, signal: controller.signal })
        .then(async (res) => {
          const text = await res.text()
          let data: unknown = text
          if (opts.dataType !== '其他' && text) {
            try {
              data = JSON.parse(text)
            } catch (e) {
              data = text
            }
          }
          const header: Record<string, string> = {}
          res.headers.forEach((value, key) => (header[key] = value))
          requests.push({ method, url, status: res.status })
          const result = { statusCode: res.status, data, header, cookies: [], errMsg: 'request:ok' }
          opts.success?.(result as unknown as WechatMiniprogram.RequestSuccessCallbackResult)
          opts.complete?.(result)
        })
        .catch((err: Error) => {
          const errMsg = err.name === 'AbortError' ? 'request:fail timeout' : `request:fail ${err.message}`
          opts.fail?.({ errMsg })
          opts.complete?.({ errMsg })
        })
        .finally(() => timer && clearTimeout(timer))
      return { abort: () => controller.abort() }
    },
    login(opts) {
      setImmediate(() => opts.success?.({ code: nextCode(), errMsg: 'login:ok' }))
    },
    getStorageSync(key) {
      const raw = storage.get(key)
      return raw === undefined ? '' : JSON.parse(raw)
    },
    setStorageSync(key, value) {
      storage.set(key, JSON.stringify(value))
    },
    removeStorageSync(key) {
      storage.delete(key)
    },
    clearStorageSync() {
      storage.clear()
    },
    showToast(opts) {
      toasts.push(opts.title)
      setImmediate(() => opts.success?.({ errMsg: 'showToast:ok' }))
    },
    showModal(opts) {
      setImmediate(() => opts.success?.({ confirm: true, cancel: false }))
    },
    requestSubscribeMessage(opts) {
      setImmediate(() => opts.success?.({ errMsg: 'requestSubscribeMessage:ok' }))
    },
    requestPayment(opts) {
      // There is no WeChat cashier in Node: run with config.sandboxPay = true.
      setImmediate(() => opts.fail?.({ errMsg: 'requestPayment:fail not available in Node; use the sandbox' }))
    },
  }
}

/** Create a Node `wx` and make it the global one the services use. */
export function installNodeWx(options: NodeWxOptions = {}): NodeWx {
  const nodeWx = createNodeWx(options)
  ;(globalThis as unknown as { wx: NodeWx }).wx = nodeWx
  return nodeWx
}

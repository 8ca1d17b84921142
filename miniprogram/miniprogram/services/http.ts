/** The transport: wx.request as a Promise. Knows nothing about tokens or toasts. */

import { config } from '../config'
import { ApiError, CLIENT_ERROR } from './errors'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export type Query = Record<string, string | number | boolean | null | undefined>

export interface HttpResponse {
  status: number
  data: unknown
}

/** base URL + path + query string (empty values left out). */
export function buildUrl(path: string, query?: Query): string {
  const base = config.apiBaseUrl.replace(/\/+$/, '')
  const parts: string[] = []
  if (query) {
    Object.keys(query).forEach((key) => {
      const value = query[key]
      if (value === undefined || value === null || value === '') return
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    })
  }
  return `${base}${path}${parts.length ? `?${parts.join('&')}` : ''}`
}

/** One HTTP exchange; rejects only when no answer came back (network, timeout). */
export function send(method: Method, url: string, data: unknown, headers: Record<string, string>): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method,
      // POST/PUT always carry a JSON body (an empty object when the call has no fields).
      data: method === 'GET' || method === 'DELETE' ? undefined : ((data ?? {}) as WechatMiniprogram.IAnyObject),
      header: { 'content-type': 'application/json', ...headers },
      dataType: 'json',
      timeout: config.requestTimeoutMs,
      success(res) {
        resolve({ status: res.statusCode, data: res.data })
      },
      fail(err) {
        const timeout = /timeout/i.test(err.errMsg || '')
        reject(
          new ApiError(
            0,
            timeout ? CLIENT_ERROR.TIMEOUT : CLIENT_ERROR.NETWORK,
            timeout ? '网络超时，请检查网络后重试' : '网络连接失败，请检查网络后重试',
            { errMsg: err.errMsg },
          ),
        )
      },
    })
  })
}

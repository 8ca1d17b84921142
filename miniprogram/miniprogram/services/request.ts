/**
 * The one typed request wrapper every service uses: base URL from config, Bearer token,
 * automatic login, one re-login and retry on 401, errors as ApiError shown with a toast.
 */

import { clearToken, ensureToken, login } from './auth'
import { ApiError, errorFromResponse } from './errors'
import { buildUrl, HttpResponse, Method, Query, send } from './http'
import { showErrorToast } from './platform'

export interface RequestOptions {
  method?: Method
  query?: Query
  data?: unknown
  /** Send the Bearer token (default true). */
  auth?: boolean
  /** Show the error message with wx.showToast (default true). */
  toast?: boolean
}

async function exchange(path: string, options: RequestOptions): Promise<unknown> {
  const method = options.method || 'GET'
  const url = buildUrl(path, options.query)
  const auth = options.auth !== false

  const attempt = (token: string | null): Promise<HttpResponse> =>
    send(method, url, options.data, token ? { Authorization: `Bearer ${token}` } : {})

  let res = await attempt(auth ? await ensureToken() : null)
  if (res.status === 401 && auth) {
    // The token expired or was revoked: log in again once, then give up.
    clearToken()
    res = await attempt(await login())
  }
  if (res.status >= 200 && res.status < 300) {
    return res.status === 204 || res.data === '' ? undefined : res.data
  }
  throw errorFromResponse(res.status, res.data)
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  try {
    return (await exchange(path, options)) as T
  } catch (error) {
    const apiError =
      error instanceof ApiError ? error : new ApiError(0, 'CLIENT_ERROR', '操作失败，请稍后再试', { cause: String(error) })
    if (options.toast !== false) showErrorToast(apiError.message)
    throw apiError
  }
}

export const http = {
  get: <T>(path: string, query?: Query, options: RequestOptions = {}) => request<T>(path, { ...options, method: 'GET', query }),
  post: <T>(path: string, data?: unknown, options: RequestOptions = {}) => request<T>(path, { ...options, method: 'POST', data }),
  put: <T>(path: string, data?: unknown, options: RequestOptions = {}) => request<T>(path, { ...options, method: 'PUT', data }),
  del: <T>(path: string, options: RequestOptions = {}) => request<T>(path, { ...options, method: 'DELETE' }),
}

/** Answers of list endpoints. */
export interface ListAnswer<T> {
  items: T[]
  total?: number
}

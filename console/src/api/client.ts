/**
 * The one HTTP client of the console. Interceptors (token, error toast, 401 handling) are hooks
 * installed once at start-up (see setup.ts), so this file depends on neither the store nor the router.
 */

import { filenameFromContentDisposition } from '@/utils/download'

export interface ApiErrorBody {
  code: string
  message: string
  details?: Record<string, unknown>
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>

  constructor(status: number, body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.details = body.details ?? {}
  }
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** Lists answer `{items, total}`. */
export interface Page<T> {
  items: T[]
  total: number
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[]
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** Do not toast the error: the caller shows it (e.g. the login form). */
  silent?: boolean
  signal?: AbortSignal
}

export interface HttpHooks {
  getToken: () => string | null
  /** A 401 on a request that carried a token: the session is over (expired, idle or revoked). */
  onUnauthorized: (error: ApiError) => void
  /** Show an error to the user. */
  notifyError: (message: string) => void
}

export interface Download {
  blob: Blob
  filename: string
}

const NETWORK_ERROR: ApiErrorBody = { code: 'NETWORK_ERROR', message: '网络连接失败，请检查网络后重试' }

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue
    if (Array.isArray(value)) value.forEach((v) => params.append(key, String(v)))
    else params.append(key, String(value))
  }
  const search = params.toString()
  return search ? `${path}?${search}` : path
}

function isErrorBody(value: unknown): value is { error: ApiErrorBody } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false
  const error = (value as { error: unknown }).error
  return typeof error === 'object' && error !== null && typeof (error as ApiErrorBody).message === 'string'
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  let parsed: unknown = null
  try {
    parsed = await response.json()
  } catch {
    // not JSON (a proxy's HTML page): fall back to a generic message below
  }
  if (isErrorBody(parsed)) return new ApiError(response.status, parsed.error)
  const message = response.status >= 500 ? '服务器繁忙，请稍后重试' : `请求失败（${response.status}）`
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message })
}

export function createHttpClient(hooks: HttpHooks, fetchImpl: typeof fetch = (...args) => fetch(...args)) {
  async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept }
    const token = hooks.getToken()
    if (token) headers.Authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    let response: Response
    try {
      response = await fetchImpl(buildUrl(path, options.query), { method, headers, body, signal: options.signal })
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
      const error = new ApiError(0, NETWORK_ERROR)
      if (!options.silent) hooks.notifyError(error.message)
      throw error
    }
    if (response.ok) return response
    const error = await errorFromResponse(response)
    if (response.status === 401 && token) {
      hooks.onUnauthorized(error)
    }
    if (!options.silent) hooks.notifyError(error.message)
    throw error
  }

  async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await send(method, path, options, 'application/json')
    if (response.status === 204) return undefined as T
    const text = await response.text()
    return (text ? JSON.parse(text) : undefined) as T
  }

  async function download(path: string, query: Query, fallbackName: string): Promise<Download> {
    const response = await send('GET', path, { query }, '*/*')
    const blob = await response.blob()
    const filename = filenameFromContentDisposition(response.headers.get('Content-Disposition'), fallbackName)
    return { blob, filename }
  }

  return {
    get: <T>(path: string, query?: Query, options: Omit<RequestOptions, 'query' | 'body'> = {}) =>
      request<T>('GET', path, { ...options, query }),
    post: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
      request<T>('POST', path, { ...options, body }),
    put: <T>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) =>
      request<T>('PUT', path, { ...options, body }),
    delete: <T>(path: string, options: RequestOptions = {}) => request<T>('DELETE', path, options),
    download,
  }
}

export type HttpClient = ReturnType<typeof createHttpClient>

/** Hooks until setup.ts installs the real ones (tests may install their own). */
const installed: HttpHooks = {
  getToken: () => null,
  onUnauthorized: () => undefined,
  notifyError: () => undefined,
}

export function installHttpHooks(hooks: HttpHooks): void {
  Object.assign(installed, hooks)
}

export const http: HttpClient = createHttpClient({
  getToken: () => installed.getToken(),
  onUnauthorized: (error) => installed.onUnauthorized(error),
  notifyError: (message) => installed.notifyError(message),
})

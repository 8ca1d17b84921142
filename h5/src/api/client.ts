import { config } from '@/config'

const TOKEN_KEY = 'checkup.h5.token'

/** An answer in the contract's error shape: {error: {code, message, details}}. */
export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public details: Record<string, unknown> = {}) {
    super(message)
  }
}

export const session = {
  get token(): string | null { return sessionStorage.getItem(TOKEN_KEY) },
  set token(value: string | null) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value)
    else sessionStorage.removeItem(TOKEN_KEY)
  },
}

/** Called when the server says the login is gone (401): the auth module starts a new login. */
let onUnauthorized: () => void = () => {}
export function setUnauthorizedHandler(handler: () => void): void { onUnauthorized = handler }

export async function request<T>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<T> {
  const url = new URL(config.apiBase + path, window.location.origin)
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (session.token) headers.Authorization = `Bearer ${session.token}`
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  if (response.status === 204) return undefined as T
  const data = await response.json().catch(() => ({}))
  if (!response.ok) {
    const error = data?.error ?? {}
    if (response.status === 401 && path !== '/api/auth/wechat-oa') {
      session.token = null
      onUnauthorized()
    }
    throw new ApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? '网络繁忙，请稍后再试', error.details ?? {})
  }
  return data as T
}

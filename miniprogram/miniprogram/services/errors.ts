/** The one error shape of the API (`{"error": {code, message, details}}`) as a typed error. */

export interface ErrorBody {
  error: {
    code: string
    message: string
    details?: Record<string, unknown>
  }
}

/** Codes made up on the client, for failures that never reached the server or had no error body. */
export const CLIENT_ERROR = {
  NETWORK: 'NETWORK_ERROR',
  TIMEOUT: 'TIMEOUT',
  LOGIN: 'WECHAT_LOGIN_UNAVAILABLE',
  SERVER: 'SERVER_ERROR',
  HTTP: 'HTTP_ERROR',
} as const

export class ApiError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number
  /** Stable upper-case identifier, e.g. QUOTA_FULL. */
  readonly code: string
  readonly details: Record<string, unknown>

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = details
    // Keep `instanceof ApiError` working when compiled to ES5 by WeChat DevTools.
    Object.setPrototypeOf(this, ApiError.prototype)
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

function isErrorBody(data: unknown): data is ErrorBody {
  if (!data || typeof data !== 'object') return false
  const error = (data as { error?: unknown }).error
  return (
    !!error &&
    typeof error === 'object' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  )
}

/** Turn a non-2xx answer into an ApiError, keeping the server's Chinese message when there is one. */
export function errorFromResponse(status: number, data: unknown): ApiError {
  if (isErrorBody(data)) {
    return new ApiError(status, data.error.code, data.error.message, data.error.details || {})
  }
  if (status === 401) return new ApiError(status, 'UNAUTHORIZED', '登录已失效，请重新进入小程序')
  if (status === 404) return new ApiError(status, 'NOT_FOUND', '请求的内容不存在')
  if (status >= 500) return new ApiError(status, CLIENT_ERROR.SERVER, '服务暂时不可用，请稍后再试')
  return new ApiError(status, CLIENT_ERROR.HTTP, `请求失败（${status}），请稍后再试`)
}

/** A message to show for any thrown value. */
export function messageOf(error: unknown, fallback = '操作失败，请稍后再试'): string {
  if (error instanceof ApiError) return error.message
  return fallback
}

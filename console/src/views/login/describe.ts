import { ApiError } from '@/api/client'

/**
 * The login form's message for a failed login. Accounts are never locked (the server delays repeated
 * failures instead: 429 RATE_LIMITED with details.retry_after seconds), so the wait is said in words.
 */
export function loginErrorText(error: unknown): string {
  if (!(error instanceof ApiError)) return '登录失败，请稍后重试'
  const wait = error.details.retry_after
  if (error.code === 'RATE_LIMITED' && typeof wait === 'number' && wait > 0) {
    const text = wait >= 60 ? `${Math.ceil(wait / 60)} 分钟` : `${Math.ceil(wait)} 秒`
    return `${error.message}（请 ${text}后再试）`
  }
  return error.message
}

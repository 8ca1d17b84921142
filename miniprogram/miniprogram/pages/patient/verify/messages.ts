/** What the verification page says for each refusal of the server. */

import { ApiError } from '../../../services/errors'

function retryAfter(e: ApiError): number {
  const value = (e.details || {}).retry_after
  return typeof value === 'number' && value > 0 ? Math.ceil(value) : 0
}

export function verificationMessage(e: ApiError): string {
  if (e.code === 'VERIFICATION_LOCKED') {
    const minutes = Math.max(1, Math.ceil(retryAfter(e) / 60))
    return `验证失败次数过多，请${minutes}分钟后再试`
  }
  if (e.code === 'VERIFICATION_FAILED') return '验证未通过，请核对验证码后重试；验证码5分钟内有效'
  return e.message
}

/** Seconds before another code may be asked for, when the server said so. */
export function resendWait(e: ApiError): number {
  return e.code === 'SMS_TOO_FREQUENT' ? retryAfter(e) : 0
}

import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { loginErrorText } from './describe'

describe('login error text', () => {
  it('says how long to wait after repeated failures (no account is locked)', () => {
    const delayed = new ApiError(429, { code: 'RATE_LIMITED', message: '登录失败次数过多，请稍后再试', details: { retry_after: 8 } })
    expect(loginErrorText(delayed)).toBe('登录失败次数过多，请稍后再试（请 8 秒后再试）')
    const long = new ApiError(429, { code: 'RATE_LIMITED', message: '登录失败次数过多，请稍后再试', details: { retry_after: 600 } })
    expect(loginErrorText(long)).toBe('登录失败次数过多，请稍后再试（请 10 分钟后再试）')
  })

  it("shows the server's message otherwise, the same for unknown and wrong passwords", () => {
    expect(loginErrorText(new ApiError(401, { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' }))).toBe('用户名或密码错误')
    expect(loginErrorText(new Error('x'))).toBe('登录失败，请稍后重试')
  })
})

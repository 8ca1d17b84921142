/** Patient login: wx.login → POST /api/auth/wechat {code} → {token, expires_in}, kept in storage. */

import { ApiError, CLIENT_ERROR, errorFromResponse } from './errors'
import { buildUrl, send } from './http'
import { wxLogin } from './platform'

export const TOKEN_STORAGE_KEY = 'checkup.auth'
// Renew a little before the server would refuse the token.
const EXPIRY_MARGIN_MS = 60 * 1000

interface StoredToken {
  token: string
  expiresAt: number
}

export interface LoginAnswer {
  token: string
  expires_in: number
}

function readStored(): StoredToken | null {
  try {
    const value = wx.getStorageSync(TOKEN_STORAGE_KEY) as StoredToken | ''
    if (value && typeof value === 'object' && typeof value.token === 'string') return value
  } catch (e) {
    // unreadable storage is the same as no token
  }
  return null
}

/** The stored token if it is still fresh. */
export function currentToken(now: number = Date.now()): string | null {
  const stored = readStored()
  if (!stored || stored.expiresAt - EXPIRY_MARGIN_MS <= now) return null
  return stored.token
}

export function clearToken(): void {
  try {
    wx.removeStorageSync(TOKEN_STORAGE_KEY)
  } catch (e) {
    // nothing stored
  }
}

let pendingLogin: Promise<string> | null = null

async function doLogin(): Promise<string> {
  let code: string
  try {
    code = await wxLogin()
  } catch (e) {
    throw new ApiError(0, CLIENT_ERROR.LOGIN, '微信登录失败，请稍后重试')
  }
  const res = await send('POST', buildUrl('/api/auth/wechat'), { code }, {})
  if (res.status < 200 || res.status >= 300) throw errorFromResponse(res.status, res.data)
  const answer = res.data as LoginAnswer
  if (!answer || typeof answer.token !== 'string') {
    throw new ApiError(res.status, CLIENT_ERROR.SERVER, '登录失败，请稍后重试')
  }
  const stored: StoredToken = { token: answer.token, expiresAt: Date.now() + (answer.expires_in || 0) * 1000 }
  wx.setStorageSync(TOKEN_STORAGE_KEY, stored)
  return answer.token
}

/** Log in with a fresh wx.login code; concurrent callers share one login. */
export function login(): Promise<string> {
  if (!pendingLogin) {
    pendingLogin = doLogin().then(
      (token) => {
        pendingLogin = null
        return token
      },
      (error) => {
        pendingLogin = null
        throw error
      },
    )
  }
  return pendingLogin
}

/** A usable token: the stored one, or a new login. */
export async function ensureToken(): Promise<string> {
  return currentToken() || login()
}

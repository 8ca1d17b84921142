import type { Role } from '@/utils/permission'
import { http } from './client'

export interface StaffProfile {
  username: string
  name: string
  roles: Role[]
}

export interface LoginRequest {
  username: string
  password: string
}

export interface LoginResponse {
  token: string
  expires_in: number
  staff: StaffProfile
  /** The password was set by someone else (new account, reset): change it before anything else. */
  must_change_password?: boolean
}

/** POST /api/console/login. Silent: the login form shows the message itself (e.g. RATE_LIMITED after repeated failures). */
export function login(body: LoginRequest): Promise<LoginResponse> {
  return http.post<LoginResponse>('/api/console/login', body, { silent: true })
}

/** POST /api/console/logout → 204. */
export function logout(): Promise<void> {
  return http.post<void>('/api/console/logout', undefined, { silent: true })
}

export interface PasswordChange {
  current_password: string
  new_password: string
}

/**
 * POST /api/console/me/password → 204: one's own password; the other sessions end, this one stays.
 * Silent: the dialog shows the message itself (WRONG_CURRENT_PASSWORD, WEAK_PASSWORD, RATE_LIMITED…).
 */
export function changePassword(body: PasswordChange): Promise<void> {
  return http.post<void>('/api/console/me/password', body, { silent: true })
}

import type { Role } from '@/utils/permission'
import { http, type Page } from './client'
import type { components } from './schema'

/** A staff account as the server sends it (never its password; generated from the OpenAPI document). */
export type StaffAccount = components['schemas']['StaffAccountOut']

export interface StaffCreate {
  username: string
  name: string
  password: string
  roles: Role[]
}

export interface StaffUpdate {
  active?: boolean
  name?: string
  roles?: Role[]
  /** A new password (policy checked by the server); the member's sessions end. */
  password?: string
  /** Clear a lockout after repeated failed logins. */
  unlock?: boolean
}

/** GET /api/console/staff */
export function listStaff(query: { page?: number; page_size?: number } = {}): Promise<Page<StaffAccount>> {
  return http.get<Page<StaffAccount>>('/api/console/staff', query)
}

/** POST /api/console/staff → 201 the account (never its password) */
export function createStaff(body: StaffCreate): Promise<StaffAccount> {
  return http.post<StaffAccount>('/api/console/staff', body)
}

/**
 * PUT /api/console/staff/{username} (beyond API.md), e.g. {active: false} or {name, roles}. The server
 * refuses 409 OWN_ADMIN_ACCOUNT (stopping oneself, dropping one's own admin role) and 409 LAST_ADMIN;
 * `silent` leaves showing such an error to the caller (e.g. inside the edit dialog).
 */
export function updateStaff(username: string, body: StaffUpdate, options: { silent?: boolean } = {}): Promise<StaffAccount> {
  return http.put<StaffAccount>(`/api/console/staff/${encodeURIComponent(username)}`, body, options)
}

/** PUT /api/console/staff/{username} {password}: an admin sets a new password; the member's sessions end. */
export function resetStaffPassword(username: string, password: string): Promise<StaffAccount> {
  return updateStaff(username, { password })
}

/** PUT /api/console/staff/{username} {unlock: true}: lift a lockout after repeated failed logins. */
export function unlockStaff(username: string): Promise<StaffAccount> {
  return updateStaff(username, { unlock: true })
}

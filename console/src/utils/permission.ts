/** Roles and what each may do. Admin may do everything; the server checks again on every call. */

export type Role = 'admin' | 'staff' | 'finance' | 'auditor'

export const ROLES: Role[] = ['admin', 'staff', 'finance', 'auditor']

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员',
  staff: '体检中心工作人员',
  finance: '财务',
  auditor: '审计员',
}

/** True when the user has one of `allowed` (no list = anyone logged in; admin passes every list). */
export function hasAnyRole(userRoles: readonly string[], allowed?: readonly Role[]): boolean {
  if (!allowed || allowed.length === 0) return true
  if (userRoles.includes('admin')) return true
  return allowed.some((role) => userRoles.includes(role))
}

/** Actions inside pages that some readers of the page may not perform. */
export const PERMISSIONS = {
  'quota.edit': ['admin', 'staff'],
  'rules.edit': ['admin', 'staff'],
  'bookings.act': ['admin', 'staff'],
  'bookings.full_phone': ['admin', 'staff'],
  'bookings.confirm': ['admin', 'staff'],
  'bookings.unconfirm': ['admin'],
  'bookings.export': ['admin', 'staff', 'auditor'],
  'dashboard.bookings': ['admin', 'staff'],
  'dashboard.payments': ['admin', 'finance'],
  'payments.refund': ['admin', 'finance'],
  'jobs.retry': ['admin', 'finance'],
  'packages.edit': ['admin'],
  'staff.manage': ['admin'],
} as const satisfies Record<string, readonly Role[]>

export type Permission = keyof typeof PERMISSIONS

export function can(userRoles: readonly string[], permission: Permission): boolean {
  return hasAnyRole(userRoles, PERMISSIONS[permission])
}

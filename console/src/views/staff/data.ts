import type { StaffAccount } from '@/api/staff'
import { formatDateTime } from '@/utils/format'
import { ROLE_LABELS, ROLES, type Role } from '@/utils/permission'

export const ROLE_OPTIONS = ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))

export function rolesText(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_LABELS[r] ?? r).join('、')
}

export interface StaffColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: StaffAccount) => string
}

export const STAFF_COLUMNS: StaffColumn[] = [
  { key: 'username', label: '用户名', width: 140, value: (r) => r.username },
  { key: 'name', label: '姓名', width: 120, value: (r) => r.name },
  { key: 'roles', label: '角色', minWidth: 180, value: (r) => rolesText(r.roles) },
  { key: 'last_login_at', label: '最近登录', width: 170, value: (r) => formatDateTime(r.last_login_at) },
  { key: 'locked_until', label: '锁定至', width: 170, value: (r) => (r.locked_until ? formatDateTime(r.locked_until) : '—') },
]

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/

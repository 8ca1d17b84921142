import type { StaffAccount } from '@/api/staff'
import { formatDateTime } from '@/utils/format'
import { checkPassword } from '@/utils/password'
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
  { key: 'username', label: '用户名', width: 120, value: (r) => r.username },
  { key: 'name', label: '姓名', width: 100, value: (r) => r.name },
  { key: 'roles', label: '角色', minWidth: 140, value: (r) => rolesText(r.roles) },
  { key: 'last_login_at', label: '最近登录', width: 160, value: (r) => formatDateTime(r.last_login_at) },
  { key: 'locked_until', label: '锁定至', width: 150, value: (r) => (r.locked_until ? formatDateTime(r.locked_until) : '—') },
]

export const USERNAME_PATTERN = /^[A-Za-z0-9_.-]{3,32}$/

/** Locked after repeated failed logins, and the lock not yet over (the page may stay open past it). */
export function isLocked(row: Pick<StaffAccount, 'locked_until'>, now: number = Date.now()): boolean {
  if (!row.locked_until) return false
  const until = Date.parse(row.locked_until)
  return Number.isFinite(until) && until > now
}

export interface RowActions {
  toggle: boolean
  resetPassword: boolean
  unlock: boolean
}

/** The actions of a row: one's own account is changed from the user menu (修改密码), not here. */
export function rowActions(row: StaffAccount, me: string | undefined, now: number = Date.now()): RowActions {
  const own = row.username === me
  return { toggle: !own, resetPassword: !own, unlock: isLocked(row, now) }
}

export type ResetMode = 'manual' | 'generate'

/** The first problem of a typed new password in Chinese, or ''. */
export function resetPasswordProblem(password: string, confirm: string): string {
  if (!password) return '请输入新密码'
  const check = checkPassword(password)
  if (!check.ok) return check.message
  if (confirm !== password) return '两次输入的密码不一致'
  return ''
}

export function resetConfirmText(row: Pick<StaffAccount, 'username' | 'name'>): string {
  return `确定重置账号 ${row.username}（${row.name}）的密码吗？该账号已登录的会话将全部退出，需用新密码重新登录。`
}

export function unlockConfirmText(row: Pick<StaffAccount, 'username' | 'name' | 'locked_until'>): string {
  const until = row.locked_until ? `（锁定至 ${formatDateTime(row.locked_until)}）` : ''
  return `确定解锁账号 ${row.username}（${row.name}）吗${until}？解锁后可立即重新登录，登录失败次数清零。`
}

export const GENERATED_PASSWORD_WARNING =
  '新密码只显示这一次，关闭后无法再查看。请复制后当面或通过安全渠道告知本人，并提醒其登录后在右上角“修改密码”中改成自己的密码。'

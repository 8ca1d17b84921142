import { ApiError } from '@/api/client'
import type { StaffAccount, StaffUpdate } from '@/api/staff'
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
  edit: boolean
  toggle: boolean
  resetPassword: boolean
  unlock: boolean
}

/** The actions of a row: one's own password is changed from the user menu (修改密码), not here, and one
 * cannot stop oneself; every account (one's own too) may be edited (姓名、角色). */
export function rowActions(row: StaffAccount, me: string | undefined, now: number = Date.now()): RowActions {
  const own = row.username === me
  return { edit: true, toggle: !own, resetPassword: !own, unlock: isLocked(row, now) }
}

// ---- 编辑账号 (name and roles) --------------------------------------------------------------------

export interface StaffEditForm {
  name: string
  roles: Role[]
}

export const NAME_MAX = 50

/** The first problem of the edit form in Chinese, or ''. */
export function editProblem(form: StaffEditForm): string {
  const name = form.name.trim()
  if (!name) return '请输入姓名'
  if (name.length > NAME_MAX) return `姓名不能超过${NAME_MAX}个字`
  if (form.roles.length === 0) return '请至少选择一个角色'
  return ''
}

/** Only what the edit changes (the name trimmed, the roles in the usual order); {} when nothing. */
export function editChanges(account: Pick<StaffAccount, 'name' | 'roles'>, form: StaffEditForm): StaffUpdate {
  const changes: StaffUpdate = {}
  const name = form.name.trim()
  if (name !== account.name) changes.name = name
  const roles = ROLES.filter((r) => form.roles.includes(r))
  if (roles.join() !== ROLES.filter((r) => account.roles.includes(r)).join()) changes.roles = roles
  return changes
}

/** An admin keeps their own admin role (the server refuses dropping it too). */
export function ownAdminLocked(account: Pick<StaffAccount, 'username' | 'roles'>, me: string | undefined): boolean {
  return account.username === me && account.roles.includes('admin')
}

export const OWN_ADMIN_TIP = '不能取消自己的管理员角色；如需调整，请由另一位管理员操作。'

/** The server's refusals of an account change, in words that say what to do. */
const UPDATE_ERRORS: Record<string, string> = {
  LAST_ADMIN: '至少需要保留一个启用的管理员账号：请先为另一个账号勾选“管理员”，再取消此账号的管理员角色。',
  OWN_ADMIN_ACCOUNT: '不能停用自己的账号，也不能取消自己的管理员角色。',
}

export function updateErrorText(error: unknown): string {
  if (error instanceof ApiError) return UPDATE_ERRORS[error.code] ?? error.message
  return '保存失败，请稍后再试'
}

/** What the save says happened. */
export function editSavedText(account: Pick<StaffAccount, 'username'>, changes: StaffUpdate): string {
  const parts = []
  if (changes.name !== undefined) parts.push(`姓名改为 ${changes.name}`)
  if (changes.roles) parts.push(`角色改为 ${rolesText(changes.roles)}`)
  return `已保存 ${account.username}：${parts.join('，')}`
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

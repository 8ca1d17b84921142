import { describe, expect, it } from 'vitest'
import type { StaffAccount } from '@/api/staff'
import { ApiError } from '@/api/client'
import {
  editChanges,
  editProblem,
  editSavedText,
  isLocked,
  ownAdminLocked,
  resetConfirmText,
  resetPasswordProblem,
  rowActions,
  unlockConfirmText,
  updateErrorText,
} from './data'

const NOW = Date.parse('2026-03-01T10:00:00+08:00')
const row = (over: Partial<StaffAccount> = {}): StaffAccount => ({
  username: 'li.nurse',
  name: '李护士',
  roles: ['staff'],
  active: true,
  locked_until: null,
  failed_logins: 0,
  must_change_password: false,
  last_login_at: null,
  created_at: null,
  ...over,
})

describe('账号管理 row actions', () => {
  it('counts a row as locked only while its lock lasts', () => {
    expect(isLocked(row(), NOW)).toBe(false)
    expect(isLocked(row({ locked_until: '2026-03-01T10:20:00+08:00' }), NOW)).toBe(true)
    expect(isLocked(row({ locked_until: '2026-03-01T09:59:59+08:00' }), NOW)).toBe(false)
    expect(isLocked(row({ locked_until: 'not a time' }), NOW)).toBe(false)
  })

  it('offers unlock on a locked row, and reset/stop on every row but one\'s own', () => {
    const locked = row({ locked_until: '2026-03-01T10:20:00+08:00' })
    expect(rowActions(locked, 'boss', NOW)).toEqual({ edit: true, toggle: true, resetPassword: true, unlock: true })
    expect(rowActions(row(), 'boss', NOW)).toEqual({ edit: true, toggle: true, resetPassword: true, unlock: false })
    expect(rowActions(row({ username: 'boss' }), 'boss', NOW)).toEqual({ edit: true, toggle: false, resetPassword: false, unlock: false })
    expect(rowActions({ ...locked, username: 'boss' }, 'boss', NOW).unlock).toBe(true)
  })
})

describe('重置密码 dialog', () => {
  it('checks a typed password against the policy and its confirmation', () => {
    expect(resetPasswordProblem('', '')).toBe('请输入新密码')
    expect(resetPasswordProblem('Ab1!', 'Ab1!')).toBe('密码至少8位')
    expect(resetPasswordProblem('abcdefgh', 'abcdefgh')).toContain('三种')
    expect(resetPasswordProblem('New-pass-2026', 'New-pass-2025')).toBe('两次输入的密码不一致')
    expect(resetPasswordProblem('New-pass-2026', 'New-pass-2026')).toBe('')
  })

  it('says whose password changes and that their sessions end', () => {
    expect(resetConfirmText(row())).toContain('li.nurse（李护士）')
    expect(resetConfirmText(row())).toContain('会话将全部退出')
    const text = unlockConfirmText(row({ locked_until: '2026-03-01T10:20:00+08:00' }))
    expect(text).toContain('解锁账号 li.nurse（李护士）')
    expect(text).toContain('锁定至')
  })
})

describe('编辑账号', () => {
  it('sends only what changed, roles in the usual order', () => {
    const account = row({ name: '李护士', roles: ['staff'] })
    expect(editChanges(account, { name: ' 李护士 ', roles: ['staff'] })).toEqual({})
    expect(editChanges(account, { name: '李娜', roles: ['staff'] })).toEqual({ name: '李娜' })
    expect(editChanges(account, { name: '李护士', roles: ['auditor', 'staff'] })).toEqual({ roles: ['staff', 'auditor'] })
    expect(editChanges(row({ roles: ['staff', 'finance'] }), { name: '李护士', roles: ['finance', 'staff'] })).toEqual({})
  })

  it('needs a name and a role', () => {
    expect(editProblem({ name: '  ', roles: ['staff'] })).toBe('请输入姓名')
    expect(editProblem({ name: '李护士', roles: [] })).toBe('请至少选择一个角色')
    expect(editProblem({ name: '名'.repeat(51), roles: ['staff'] })).toContain('50')
    expect(editProblem({ name: '李护士', roles: ['staff'] })).toBe('')
  })

  it('locks only one\'s own admin role', () => {
    expect(ownAdminLocked(row({ username: 'boss', roles: ['admin'] }), 'boss')).toBe(true)
    expect(ownAdminLocked(row({ username: 'boss', roles: ['staff'] }), 'boss')).toBe(false)
    expect(ownAdminLocked(row({ username: 'deputy', roles: ['admin'] }), 'boss')).toBe(false)
  })

  it('says in Chinese why the server refused, and what was saved', () => {
    expect(updateErrorText(new ApiError(409, { code: 'LAST_ADMIN', message: '至少需要保留一个启用的管理员账号' }))).toContain(
      '另一个账号',
    )
    expect(updateErrorText(new ApiError(409, { code: 'OWN_ADMIN_ACCOUNT', message: 'x' }))).toContain('自己的管理员角色')
    expect(updateErrorText(new ApiError(404, { code: 'NOT_FOUND', message: '账号不存在' }))).toBe('账号不存在')
    expect(updateErrorText(new Error('boom'))).toBe('保存失败，请稍后再试')
    expect(editSavedText(row(), { name: '李娜', roles: ['staff', 'auditor'] })).toBe(
      '已保存 li.nurse：姓名改为 李娜，角色改为 体检中心工作人员、审计员',
    )
  })
})

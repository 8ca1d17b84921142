import { describe, expect, it } from 'vitest'
import type { StaffAccount } from '@/api/staff'
import { isLocked, resetConfirmText, resetPasswordProblem, rowActions, unlockConfirmText } from './data'

const NOW = Date.parse('2026-03-01T10:00:00+08:00')
const row = (over: Partial<StaffAccount> = {}): StaffAccount => ({
  username: 'li.nurse',
  name: '李护士',
  roles: ['staff'],
  active: true,
  locked_until: null,
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
    expect(rowActions(locked, 'boss', NOW)).toEqual({ toggle: true, resetPassword: true, unlock: true })
    expect(rowActions(row(), 'boss', NOW)).toEqual({ toggle: true, resetPassword: true, unlock: false })
    expect(rowActions(row({ username: 'boss' }), 'boss', NOW)).toEqual({ toggle: false, resetPassword: false, unlock: false })
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

import { describe, expect, it } from 'vitest'
import { checkPassword, generatePassword, passwordChangeErrorText, passwordChangeProblem } from './password'

describe('staff password policy', () => {
  it.each([
    ['Abcdefg1', 3],
    ['abcdef1!', 3],
    ['ABCDEF1!', 3],
    ['Abcdefg!', 3],
    ['Abc12345!', 4],
    ['体检Ab1234', 3],
  ])('accepts %s', (password, classes) => {
    const check = checkPassword(password)
    expect(check.ok).toBe(true)
    expect(check.classes).toBe(classes)
  })

  it.each([
    ['Ab1!', '密码至少8位'],
    ['abcdefgh', '三种'],
    ['abcd1234', '三种'],
    ['ABCDabcd', '三种'],
    ['12345678!', '三种'],
    ['体检体检体检12', '三种'],
  ])('refuses %s', (password, fragment) => {
    const check = checkPassword(password)
    expect(check.ok).toBe(false)
    expect(check.message).toContain(fragment)
  })
})

describe('generated passwords', () => {
  it('always meet the policy with all four kinds, at the length asked', () => {
    for (let i = 0; i < 200; i++) {
      const password = generatePassword()
      expect(password).toHaveLength(16)
      expect(checkPassword(password)).toMatchObject({ ok: true, classes: 4 })
    }
    expect(generatePassword(10)).toHaveLength(10)
    expect(checkPassword(generatePassword(2)).classes).toBe(4) // never shorter than one of each kind
  })

  it('use the random source given and avoid look-alike characters', () => {
    const zeros = generatePassword(12, (buffer) => buffer.fill(0))
    expect(checkPassword(zeros).ok).toBe(true)
    for (let i = 0; i < 50; i++) expect(generatePassword()).not.toMatch(/[lIoO01]/)
    expect(new Set(Array.from({ length: 20 }, () => generatePassword())).size).toBe(20)
  })
})

describe('change-password form', () => {
  const ok = { current: 'Old-pass-1', next: 'New-pass-2026', confirm: 'New-pass-2026' }

  it('accepts a complete form', () => {
    expect(passwordChangeProblem(ok)).toBe('')
  })

  it.each([
    [{ ...ok, current: '' }, '请输入当前密码'],
    [{ ...ok, next: '', confirm: '' }, '请输入新密码'],
    [{ ...ok, next: 'short1A', confirm: 'short1A' }, '密码至少8位'],
    [{ ...ok, next: 'abcdefgh1', confirm: 'abcdefgh1' }, '三种'],
    [{ ...ok, next: 'Old-pass-1', confirm: 'Old-pass-1' }, '新密码不能与当前密码相同'],
    [{ ...ok, confirm: 'New-pass-2027' }, '两次输入的新密码不一致'],
  ])('refuses %o', (form, fragment) => {
    expect(passwordChangeProblem(form)).toContain(fragment)
  })

  it('explains a wrong current password and shows other refusals as the server said', () => {
    expect(passwordChangeErrorText({ code: 'WRONG_CURRENT_PASSWORD', message: '当前密码不正确' })).toContain('锁定30分钟')
    expect(passwordChangeErrorText({ code: 'RATE_LIMITED', message: '操作太频繁，请稍后再试' })).toBe('操作太频繁，请稍后再试')
    expect(passwordChangeErrorText({})).toBe('修改密码失败，请稍后重试')
  })
})

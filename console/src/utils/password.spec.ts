import { describe, expect, it } from 'vitest'
import { checkPassword } from './password'

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

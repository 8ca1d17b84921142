/** The staff password policy, checked in the browser before the server checks it again. */

export const PASSWORD_MIN_LENGTH = 8
export const PASSWORD_POLICY_TEXT = '密码至少8位，且包含大写字母、小写字母、数字、符号中的至少三种'

export interface PasswordCheck {
  ok: boolean
  classes: number
  message: string
}

// Symbols are ASCII punctuation, so a Chinese character counts as none of the four kinds.
const CLASSES = [/[A-Z]/, /[a-z]/, /[0-9]/, /[!-/:-@[-`{-~]/]

export function checkPassword(password: string): PasswordCheck {
  const classes = CLASSES.filter((re) => re.test(password)).length
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { ok: false, classes, message: `密码至少${PASSWORD_MIN_LENGTH}位` }
  }
  if (classes < 3) {
    return { ok: false, classes, message: PASSWORD_POLICY_TEXT }
  }
  return { ok: true, classes, message: '' }
}

const LOWER = 'abcdefghijkmnpqrstuvwxyz' // no l, o, I, O, 0, 1: a password read out or copied by hand
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '23456789'
const SYMBOLS = '!@#%^*-_=+'

/** A random password of all four kinds (as the server's generate_password), from the browser's CSPRNG. */
export function generatePassword(
  length = 16,
  random: (buffer: Uint32Array) => Uint32Array = (buffer) => globalThis.crypto.getRandomValues(buffer),
): string {
  const sets = [LOWER, UPPER, DIGITS, SYMBOLS]
  const all = sets.join('')
  const size = Math.max(length, sets.length)
  const numbers = random(new Uint32Array(size * 2))
  // One of each kind first, the rest from all kinds, then shuffled (Fisher–Yates).
  const chars = Array.from({ length: size }, (_, i) => {
    const set = i < sets.length ? sets[i] : all
    return set[numbers[i] % set.length]
  })
  for (let i = chars.length - 1; i > 0; i--) {
    const j = numbers[size + i] % (i + 1)
    ;[chars[i], chars[j]] = [chars[j], chars[i]]
  }
  return chars.join('')
}

export interface PasswordChangeForm {
  current: string
  next: string
  confirm: string
}

/** The first problem of a change-password form in Chinese, or '' (the server checks all of it again). */
export function passwordChangeProblem(form: PasswordChangeForm): string {
  if (!form.current) return '请输入当前密码'
  if (!form.next) return '请输入新密码'
  const check = checkPassword(form.next)
  if (!check.ok) return check.message
  if (form.next === form.current) return '新密码不能与当前密码相同'
  if (form.confirm !== form.next) return '两次输入的新密码不一致'
  return ''
}

/** What to show when a password change is refused: a hint for a wrong current password, else the server's message. */
export function passwordChangeErrorText(error: { code?: string; message?: string }): string {
  if (error.code === 'WRONG_CURRENT_PASSWORD') return '当前密码不正确；连续输错5次（含登录失败）账号将被锁定30分钟'
  return error.message || '修改密码失败，请稍后重试'
}

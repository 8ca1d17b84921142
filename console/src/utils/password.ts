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

/**
 * Chinese resident ID numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check character,
 * birth date in positions 7–14. The server checks again; this gives the patient an answer at once.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARS = '10X98765432'
const PATTERN = /^[1-9]\d{16}[\dX]$/

export type IdNumberProblem = 'empty' | 'length' | 'format' | 'checksum' | 'birth_date'

export interface IdNumberCheck {
  ok: boolean
  /** Upper-cased, trimmed number. */
  number: string
  problem?: IdNumberProblem
  /** Chinese text fit to show under the field. */
  message?: string
  sex?: 'male' | 'female'
  /** YYYY-MM-DD */
  birthDate?: string
}

const MESSAGES: Record<IdNumberProblem, string> = {
  empty: '请输入身份证号码',
  length: '身份证号码应为18位',
  format: '身份证号码格式不正确（前17位为数字，最后一位为数字或X）',
  checksum: '身份证号码校验位不正确，请核对',
  birth_date: '身份证号码中的出生日期无效，请核对',
}

/** The 18th character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

function validBirthDate(y: number, m: number, d: number, today: Date): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1) return false
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (d > daysInMonth) return false
  const birth = y * 10000 + m * 100 + d
  const now = today.getFullYear() * 10000 + (today.getMonth() + 1) * 100 + today.getDate()
  return birth <= now
}

/** Validate an ID number; derive sex and birth date when valid. */
export function checkIdNumber(raw: string, today: Date = new Date()): IdNumberCheck {
  const number = (raw || '').trim().toUpperCase()
  const fail = (problem: IdNumberProblem): IdNumberCheck => ({ ok: false, number, problem, message: MESSAGES[problem] })
  if (!number) return fail('empty')
  if (number.length !== 18) return fail('length')
  if (!PATTERN.test(number)) return fail('format')
  if (idCheckChar(number.slice(0, 17)) !== number[17]) return fail('checksum')
  const y = Number(number.slice(6, 10))
  const m = Number(number.slice(10, 12))
  const d = Number(number.slice(12, 14))
  if (!validBirthDate(y, m, d, today)) return fail('birth_date')
  return {
    ok: true,
    number,
    sex: Number(number[16]) % 2 === 1 ? 'male' : 'female',
    birthDate: `${number.slice(6, 10)}-${number.slice(10, 12)}-${number.slice(12, 14)}`,
  }
}

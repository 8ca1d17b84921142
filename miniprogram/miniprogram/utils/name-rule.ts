/**
 * Names of 就诊人 as real people have them: the same rule as the server's checkup/domain/names.py
 * (both test suites read tests/fixtures/names.json at the repository root).
 *
 * Chinese names: CJK ideographs of every block, extensions included (䶮 is in Extension A, 𠮷 in
 * Extension B), with the middle dot of minority names (阿卜杜拉·买买提). Names on foreign documents:
 * Latin letters, spaces, . ' -. 2 to 50 characters (code points, not UTF-16 units).
 */

export const NAME_MAX_LENGTH = 50

const IDEOGRAPH =
  '\\u{3400}-\\u{4DBF}\\u{4E00}-\\u{9FFF}\\u{F900}-\\u{FAFF}' +
  '\\u{20000}-\\u{2A6DF}\\u{2A700}-\\u{2EBEF}\\u{2F800}-\\u{2FA1F}\\u{30000}-\\u{323AF}'
const DOTS = '\\u{00B7}\\u{2022}\\u{30FB}\\u{2027}\\u{FF65}'
const CHINESE = new RegExp(`^[${IDEOGRAPH}]+(?:\\u{00B7}[${IDEOGRAPH}]+)*$`, 'u')
const HAS_IDEOGRAPH = new RegExp(`[${IDEOGRAPH}]`, 'u')
const DOT_RUN = new RegExp(`\\s*[${DOTS}]\\s*`, 'gu')
const LATIN = /^[A-Za-z](?:[A-Za-z'.-]|\s(?=[A-Za-z]))*[A-Za-z.]$/

/** NFC, spaces squeezed, every middle-dot variant as U+00B7; no spaces inside a Chinese name. */
export function normaliseName(raw: string): string {
  let name = (raw || '').normalize('NFC').trim().replace(/\s+/g, ' ')
  name = name.replace(DOT_RUN, '\u00B7')
  if (HAS_IDEOGRAPH.test(name)) name = name.replace(/\s/g, '')
  return name
}

/** '' when the (normalised) name is valid, else the message to show under the field. */
export function nameRuleProblem(name: string): string {
  if (!name) return '请输入姓名'
  const length = Array.from(name).length
  if (length < 2 || length > NAME_MAX_LENGTH) return `姓名应为2到${NAME_MAX_LENGTH}个字`
  if (CHINESE.test(name) || LATIN.test(name)) return ''
  return '请输入与证件一致的姓名：汉字（少数民族姓名可用间隔号“·”），或证件上的英文字母'
}

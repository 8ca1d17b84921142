/**
 * Identity documents a 就诊人 may be added with: the same rules as the server's
 * backend/checkup/domain/documents.py (the server checks again; this answers at once).
 */

import { checkIdNumber, idCheckChar } from './id-card'

export type DocType =
  | 'id_card'
  | 'residence_permit'
  | 'foreign_permanent_resident'
  | 'hk_macau_permit'
  | 'taiwan_permit'
  | 'passport'

export interface DocTypeInfo {
  key: DocType
  label: string
  placeholder: string
  maxlength: number
}

/** In the order the picker shows them; the ID card first (the default). */
export const DOC_TYPES: DocTypeInfo[] = [
  { key: 'id_card', label: '居民身份证', placeholder: '18位身份证号码', maxlength: 18 },
  { key: 'residence_permit', label: '港澳台居民居住证', placeholder: '18位，以81、82或83开头', maxlength: 18 },
  { key: 'foreign_permanent_resident', label: '外国人永久居留身份证', placeholder: '18位（新版）或15位（旧版）', maxlength: 18 },
  { key: 'hk_macau_permit', label: '港澳居民来往内地通行证', placeholder: 'H或M开头，加8位或10位数字', maxlength: 11 },
  { key: 'taiwan_permit', label: '台湾居民来往大陆通行证', placeholder: '8位数字', maxlength: 8 },
  { key: 'passport', label: '护照', placeholder: '5至17位字母或数字', maxlength: 17 },
]

const FORMATS: Record<Exclude<DocType, 'id_card'>, string> = {
  residence_permit: '港澳台居民居住证号码应为18位，以81、82或83开头',
  foreign_permanent_resident: '外国人永久居留身份证号码应为以9开头的18位，或旧版15位（3个字母加12位数字）',
  hk_macau_permit: '港澳居民来往内地通行证号码应为H或M加8位或10位数字',
  taiwan_permit: '台湾居民来往大陆通行证号码应为8位数字',
  passport: '护照号码应为5至17位字母或数字',
}

const DIGITS18 = /^[0-9]{17}[0-9X]$/
const FOREIGN_NEW = /^9[0-9]{16}[0-9X]$/
const FOREIGN_OLD = /^[A-Z]{3}[0-9]{12}$/
const HK_MACAU = /^[HM](?:[0-9]{8}|[0-9]{10})$/
const TAIWAN = /^[0-9]{8}$/
const PASSPORT = /^[A-Z0-9]{5,17}$/

/** The number as it is sent: spaces removed, upper case (the ID card: trimmed, upper case). */
export function normaliseDocNumber(docType: DocType, raw: string): string {
  return docType === 'id_card' ? (raw || '').trim().toUpperCase() : (raw || '').replace(/[ \t]/g, '').toUpperCase()
}

/** Whether the number carries sex and birth date (the page then does not ask for them). */
export function carriesSexAndBirth(docType: DocType, number = ''): boolean {
  if (docType === 'id_card' || docType === 'residence_permit') return true
  return docType === 'foreign_permanent_resident' && FOREIGN_NEW.test(normaliseDocNumber(docType, number))
}

/** '' when the number fits its document type, else a Chinese message. */
export function docNumberProblem(docType: DocType, raw: string, today?: Date): string {
  const label = (DOC_TYPES.find((t) => t.key === docType) || DOC_TYPES[0]).label
  if (docType === 'id_card') {
    const check = checkIdNumber(raw, today)
    return check.ok ? '' : check.message || '身份证号码无效'
  }
  const number = normaliseDocNumber(docType, raw)
  if (!number) return `请输入${label}号码`
  const format = FORMATS[docType]
  const checked18 = (): string => {
    if (idCheckChar(number.slice(0, 17)) !== number[17]) return `${label}号码校验位不正确，请核对`
    // birth date and sex are read the ID card's way
    const check = checkIdNumber('1' + number.slice(1, 17) + idCheckChar('1' + number.slice(1, 17)), today)
    return check.ok ? '' : `${label}号码中的出生日期无效`
  }
  switch (docType) {
    case 'residence_permit':
      return DIGITS18.test(number) && ['81', '82', '83'].includes(number.slice(0, 2)) ? checked18() : format
    case 'foreign_permanent_resident':
      if (FOREIGN_NEW.test(number)) return checked18()
      return FOREIGN_OLD.test(number) ? '' : format
    case 'hk_macau_permit':
      return HK_MACAU.test(number) ? '' : format
    case 'taiwan_permit':
      return TAIWAN.test(number) ? '' : format
    default:
      return PASSPORT.test(number) ? '' : format
  }
}

/** Client-side checks of the 就诊人 form; each answers a Chinese message or '' when fine. */

import { checkIdNumber } from './id-card'

const PHONE = /^1[3-9]\d{9}$/
// Chinese names, including minority names with the middle dot, or Latin letters for foreigners.
const NAME = /^[\u4e00-\u9fa5·•]{2,20}$|^[A-Za-z][A-Za-z .'-]{1,39}$/

export function phoneProblem(phone: string): string {
  const value = (phone || '').trim()
  if (!value) return '请输入手机号码'
  if (!PHONE.test(value)) return '手机号码应为11位，以1开头'
  return ''
}

export function nameProblem(name: string): string {
  const value = (name || '').trim()
  if (!value) return '请输入姓名'
  if (!NAME.test(value)) return '请输入与身份证一致的姓名'
  return ''
}

export function idNumberProblem(idNumber: string, today?: Date): string {
  const check = checkIdNumber(idNumber, today)
  return check.ok ? '' : check.message || '身份证号码无效'
}

export interface PatientFormInput {
  name: string
  id_number: string
  phone: string
}

export interface PatientFormErrors {
  name: string
  id_number: string
  phone: string
}

/** All field problems of the form; `ok` when none. */
export function validatePatientForm(input: PatientFormInput, today?: Date): { ok: boolean; errors: PatientFormErrors } {
  const errors = {
    name: nameProblem(input.name),
    id_number: idNumberProblem(input.id_number, today),
    phone: phoneProblem(input.phone),
  }
  return { ok: !errors.name && !errors.id_number && !errors.phone, errors }
}

/** Client-side checks of the 就诊人 form; each answers a Chinese message or '' when fine. */

import { checkIdNumber } from './id-card'
import { DocType, carriesSexAndBirth, docNumberProblem } from './documents'
import { nameRuleProblem, normaliseName } from './name-rule'

const PHONE = /^1[3-9][0-9]{9}$/ // ASCII digits only, as the server

export function phoneProblem(phone: string): string {
  const value = (phone || '').trim()
  if (!value) return '请输入手机号码'
  if (!PHONE.test(value)) return '手机号码应为11位，以1开头'
  return ''
}

export function nameProblem(name: string): string {
  return nameRuleProblem(normaliseName(name))
}

export function idNumberProblem(idNumber: string, today?: Date): string {
  const check = checkIdNumber(idNumber, today)
  return check.ok ? '' : check.message || '身份证号码无效'
}

export interface PatientFormInput {
  name: string
  id_number: string
  phone: string
  /** 居民身份证 when not given */
  doc_type?: DocType
  /** asked for where the number does not carry them (passports, permits) */
  sex?: 'male' | 'female' | ''
  birth_date?: string
}

export interface PatientFormErrors {
  name: string
  id_number: string
  phone: string
  sex?: string
  birth_date?: string
}

/** All field problems of the form; `ok` when none. */
export function validatePatientForm(input: PatientFormInput, today?: Date): { ok: boolean; errors: PatientFormErrors } {
  const docType = input.doc_type || 'id_card'
  const errors: PatientFormErrors = {
    name: nameProblem(input.name),
    id_number: docType === 'id_card' ? idNumberProblem(input.id_number, today) : docNumberProblem(docType, input.id_number, today),
    phone: phoneProblem(input.phone),
  }
  if (!carriesSexAndBirth(docType, input.id_number)) {
    errors.sex = input.sex === 'male' || input.sex === 'female' ? '' : '请选择性别'
    errors.birth_date = input.birth_date ? '' : '请选择出生日期'
  }
  return { ok: !errors.name && !errors.id_number && !errors.phone && !errors.sex && !errors.birth_date, errors }
}

export type PatientField = keyof PatientFormErrors

/** Refusal codes that are about one field when the server does not name it. */
const FIELD_OF_CODE: Record<string, PatientField> = {
  INVALID_ID_NUMBER: 'id_number',
  PATIENT_EXISTS: 'id_number',
  INVALID_PHONE: 'phone',
}

/** What the server's refusal needs to say it (an ApiError has these). */
export interface FieldRefusal {
  code: string
  message: string
  details: Record<string, unknown>
}

function asField(name: unknown): PatientField | null {
  return name === 'name' || name === 'id_number' || name === 'phone' || name === 'sex' || name === 'birth_date'
    ? name
    : null
}

/**
 * The server's refusal of the 就诊人 form as messages under its fields: a schema error names
 * them in details.fields ({field: message}); an ID or phone refusal names one in details.field
 * with its message in `message`; failing both, the error code says which field it is about.
 */
export function serverFieldErrors(error: FieldRefusal): Partial<PatientFormErrors> {
  const out: Partial<PatientFormErrors> = {}
  const fields = error.details.fields
  if (fields && typeof fields === 'object') {
    Object.keys(fields).forEach((key) => {
      const field = asField(key)
      const text = (fields as Record<string, unknown>)[key]
      if (field) out[field] = typeof text === 'string' && text ? text : error.message
    })
  }
  const named = asField(error.details.field) || FIELD_OF_CODE[error.code] || null
  if (named && !out[named]) out[named] = error.message
  return out
}

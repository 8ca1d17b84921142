/** 就诊人: the people a WeChat user pays and books for (self and family). */

import { DocType, carriesSexAndBirth, normaliseDocNumber } from '../utils/documents'
import { normaliseName } from '../utils/name-rule'
import { http, ListAnswer } from './request'

export const SEX_TEXT: Record<string, string> = { male: '男', female: '女' }

export interface Patient {
  id: number
  name: string
  sex: 'male' | 'female'
  birth_date: string
  /** the document the number belongs to (older servers leave it out: 居民身份证) */
  doc_type?: DocType
  id_number_masked: string
  phone_masked: string
  is_default: boolean
  /** false until the code texted to the person's phone was entered: nothing of theirs is shown before */
  verified: boolean
  verification?: Verification | null
}

/** Where the verification code goes (the phone the hospital holds for the person, masked). */
export interface Verification {
  channel: 'sms'
  phone_masked: string
}

export interface CodeSent extends Verification {
  expires_in: number
  resend_after: number
}

export interface NewPatient {
  name: string
  id_number: string
  phone: string
  /** 居民身份证 when not given (the body then carries only name, number and phone) */
  doc_type?: DocType
  sex?: 'male' | 'female' | ''
  birth_date?: string
}

const CHOSEN_PATIENT_KEY = 'checkup.patient'

export function listPatients(): Promise<Patient[]> {
  return http.get<ListAnswer<Patient>>('/api/me/patients').then((answer) => answer.items)
}

export function addPatient(input: NewPatient): Promise<Patient> {
  const docType = input.doc_type || 'id_card'
  const body: Record<string, string> = {
    name: normaliseName(input.name),
    id_number: normaliseDocNumber(docType, input.id_number),
    phone: input.phone.trim(),
  }
  if (docType !== 'id_card') {
    body.doc_type = docType
    if (!carriesSexAndBirth(docType, input.id_number) && input.sex && input.birth_date) {
      body.sex = input.sex
      body.birth_date = input.birth_date
    }
  }
  return http.post<Patient>('/api/me/patients', body)
}

/** Text a 6-digit code to the phone the hospital holds for this 就诊人 (202). The page shows a refusal inline. */
export function sendVerificationCode(id: number): Promise<CodeSent> {
  return http.post<CodeSent>(`/api/me/patients/${id}/verification-code`, undefined, { toast: false })
}

/** Enter the code: the 就诊人 comes back verified. The page shows a refusal next to the code box (no toast). */
export function verifyPatient(id: number, code: string): Promise<Patient> {
  return http.post<Patient>(`/api/me/patients/${id}/verify`, { code: code.trim() }, { toast: false })
}

/** Only the 就诊人 whose records can be reached (verified); the others are offered 去验证 on the 就诊人 page. */
export function onlyVerified(patients: Patient[]): Patient[] {
  return patients.filter((p) => p.verified !== false)
}

/** The verification page of a 就诊人. */
export function verifyPageQuery(p: Patient): Record<string, string | number> {
  return { id: p.id, name: p.name, phone: p.verification ? p.verification.phone_masked : p.phone_masked }
}

export function deletePatient(id: number): Promise<void> {
  return http.del<void>(`/api/me/patients/${id}`)
}

/** Make this 就诊人 the one chosen first everywhere. */
export function setDefaultPatient(id: number): Promise<void> {
  return http.put<unknown>(`/api/me/patients/${id}/default`).then(() => undefined)
}

/** Remember the 就诊人 last chosen on this phone, so the next page starts with the same one. */
export function rememberPatient(id: number): void {
  try {
    wx.setStorageSync(CHOSEN_PATIENT_KEY, id)
  } catch (e) {
    // not remembering is harmless
  }
}

export function rememberedPatientId(): number | null {
  try {
    const value = wx.getStorageSync(CHOSEN_PATIENT_KEY)
    return typeof value === 'number' ? value : null
  } catch (e) {
    return null
  }
}

/** The 就诊人 to start with: the asked one, else the remembered one, else the default, else the first. */
export function choosePatient(patients: Patient[], wanted?: number | null): Patient | null {
  const byId = (id: number | null | undefined) => (id ? patients.find((p) => p.id === id) : undefined)
  return byId(wanted) || byId(rememberedPatientId()) || patients.find((p) => p.is_default) || patients[0] || null
}

// Patient identity: consent to the privacy notice and SMS verification of a 就诊人. The backend always has
// these routes (GET /api/privacy-notice, POST /api/me/consents, POST /api/me/patients/{id}/verification-code,
// POST /api/me/patients/{id}/verify); any refusal, a 404 included, is an error shown to the patient.
import type { components } from './schema'
import { request } from './client'

type S = components['schemas']
export type PrivacyNotice = S['PrivacyNoticeOut']
export type CodeSent = S['CodeSentOut']

let noticeVersion: string | undefined

export async function privacyNotice(): Promise<PrivacyNotice> {
  const notice = await request<PrivacyNotice>('GET', '/api/privacy-notice')
  noticeVersion = notice.version
  return notice
}

/** Consent to the notice read last (read it first when it was not). */
export async function consent(): Promise<void> {
  if (!noticeVersion) await privacyNotice()
  await request('POST', '/api/me/consents', { version: noticeVersion })
}

/** Text the code to the phone the hospital holds for the 就诊人; answers where it went (masked). */
export async function requestCode(patientId: number): Promise<CodeSent> {
  return request<CodeSent>('POST', `/api/me/patients/${patientId}/verification-code`)
}

export async function verify(patientId: number, code: string): Promise<void> {
  await request('POST', `/api/me/patients/${patientId}/verify`, { code })
}

// Patient identity (consent and SMS verification). These routes come with the identity work on the
// backend (POST /api/me/consents, GET /api/privacy-notice, POST /api/me/patients/{id}/verification-code,
// POST /api/me/patients/{id}/verify); until a backend has them (404) the steps are skipped.
import { ApiError, request } from './client'

async function optional<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null
    throw error
  }
}

export interface PrivacyNotice { version?: string; text?: string }

let noticeVersion: string | undefined

export async function privacyNotice(): Promise<PrivacyNotice | null> {
  const notice = await optional(() => request<PrivacyNotice>('GET', '/api/privacy-notice'))
  noticeVersion = notice?.version
  return notice
}

export async function consent(): Promise<void> {
  await optional(() => request('POST', '/api/me/consents', noticeVersion ? { version: noticeVersion } : {}))
}

/** True when a code was sent (the backend verifies patients by SMS). */
export async function requestCode(patientId: number): Promise<boolean> {
  return (await optional(() => request('POST', `/api/me/patients/${patientId}/verification-code`))) !== null
}

export async function verify(patientId: number, code: string): Promise<void> {
  await request('POST', `/api/me/patients/${patientId}/verify`, { code })
}

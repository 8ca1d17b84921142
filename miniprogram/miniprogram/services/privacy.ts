/** The privacy notice (个人信息处理规则) and the user's separate consent to it (PIPL). */

import { http } from './request'

export interface PrivacyNotice {
  version: string
  text: string
}

export interface Consent {
  version: string
  purposes: string[]
  consented_at: string
}

export function getPrivacyNotice(): Promise<PrivacyNotice> {
  return http.get<PrivacyNotice>('/api/privacy-notice')
}

/** Consent to processing ID and health data under this version of the notice. */
export function giveConsent(version: string): Promise<Consent> {
  return http.post<Consent>('/api/me/consents', { version })
}

export interface ConsentList {
  items: Consent[]
  total: number
  current_version: string
}

/** Whether this user consented to the notice now in force (asked before the first 就诊人 is added). */
export function hasCurrentConsent(): Promise<boolean> {
  return http.get<ConsentList>('/api/me/consents').then((answer) => answer.items.some((c) => c.version === answer.current_version))
}

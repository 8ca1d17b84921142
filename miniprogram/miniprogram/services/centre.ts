/**
 * The checkup centre: its name, phone number and centre-wide 体检须知, one backend setting each
 * (GET /api/centre). Asked once per app run. A package's own notes come with the package (PEIS).
 */

import { notesLines } from './packages'
import { http } from './request'

export interface Centre {
  name: string
  /** Empty when the centre has not set one: the pages then offer no call. */
  phone: string
  /** One note a line. */
  notice: string
  /** The verification page offers 用微信实名信息验证 (CHECKUP_WECHAT_REALNAME_ENABLED). */
  realname_verification?: boolean
}

let asked: Promise<Centre> | null = null

export function getCentre(): Promise<Centre> {
  if (!asked) {
    asked = http.get<Centre>('/api/centre', undefined, { auth: false, toast: false })
    asked.catch(() => {
      asked = null // ask again next time
    })
  }
  return asked
}

/** The centre, or an empty one when it cannot be read (a call button is then just not shown). */
export function centreOrEmpty(): Promise<Centre> {
  return getCentre().catch(() => ({ name: '', phone: '', notice: '' }))
}

export function centreNoticeLines(centre: Centre): string[] {
  return notesLines(centre.notice)
}

export function callCentre(phone: string): void {
  if (phone) wx.makePhoneCall({ phoneNumber: phone })
}

/** For tests: forget the answer. */
export function forgetCentre(): void {
  asked = null
}

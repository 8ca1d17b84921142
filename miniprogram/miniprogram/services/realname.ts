/**
 * The account holder's own 就诊人 verified with their WeChat real name (微信城市服务「实名信息校验」):
 * WeChat's consent page (another mini-program) hands back a one-time code in extraData, which the
 * backend checks with WeChat (POST /api/me/patients/{id}/verify-realname). Offered only when the centre
 * has the capability (GET /api/centre → realname_verification).
 */

import { http } from './request'
import type { Patient } from './patients'

/** WeChat's consent page for the real-name check. */
export const CONSENT_APPID = 'wx308bd2aeb83d3345'
export const CONSENT_PATH = 'subPages/city/wxpay-auth/main'

interface AppShow {
  referrerInfo?: { appId?: string; extraData?: { code?: string } }
}

/**
 * Open WeChat's consent page; the code when the user agreed and came back, '' when they did not
 * (declined, or came back some other way).
 */
export function askWechatConsent(): Promise<string> {
  return new Promise((resolve) => {
    const onShow = (options: AppShow): void => {
      wx.offAppShow(onShow as never)
      const info = options.referrerInfo || {}
      resolve(info.appId === CONSENT_APPID && info.extraData && info.extraData.code ? info.extraData.code : '')
    }
    wx.onAppShow(onShow as never)
    wx.navigateToMiniProgram({
      appId: CONSENT_APPID,
      path: CONSENT_PATH,
      fail: () => {
        wx.offAppShow(onShow as never)
        resolve('')
      },
    })
  })
}

/** The backend checks the code and the 就诊人's name and ID number with WeChat; refusals shown by the page. */
export function verifyByRealname(id: number, code: string): Promise<Patient> {
  return http.post<Patient>(`/api/me/patients/${id}/verify-realname`, { code }, { toast: false })
}

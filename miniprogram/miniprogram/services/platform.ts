/** WeChat APIs the services need, as Promises (callback style works on every base library). */

export function wxLogin(): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.login({
      success: (res) => (res.code ? resolve(res.code) : reject(new Error('wx.login returned no code'))),
      fail: (err) => reject(new Error(err.errMsg || 'wx.login failed')),
    })
  })
}

export interface PayParams {
  timeStamp: string
  nonceStr: string
  package: string
  signType: 'RSA' | 'MD5' | 'HMAC-SHA256'
  paySign: string
}

/** What the WeChat cashier said. Never proof of payment: the server confirms. */
export type ClientPayOutcome = { kind: 'ok' } | { kind: 'cancel' } | { kind: 'fail'; errMsg: string }

export function wxRequestPayment(params: PayParams): Promise<ClientPayOutcome> {
  return new Promise((resolve) => {
    wx.requestPayment({
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: params.signType,
      paySign: params.paySign,
      success: () => resolve({ kind: 'ok' }),
      fail: (err) => {
        const errMsg = (err && err.errMsg) || 'requestPayment:fail'
        resolve(/cancel/i.test(errMsg) ? { kind: 'cancel' } : { kind: 'fail', errMsg })
      },
    })
  })
}

/** Ask for subscription consent; never fails (a refusal or an old base library is fine). */
export function wxRequestSubscribe(tmplIds: string[]): Promise<void> {
  return new Promise((resolve) => {
    if (!tmplIds.length || typeof wx.requestSubscribeMessage !== 'function') {
      resolve()
      return
    }
    try {
      wx.requestSubscribeMessage({
        tmplIds,
        success: () => resolve(),
        fail: () => resolve(),
      })
    } catch (e) {
      resolve()
    }
  })
}

export function showErrorToast(message: string): void {
  wx.showToast({ title: message, icon: 'none', duration: 3000 })
}

/** 'develop' | 'trial' | 'release'; 'develop' where the base library cannot tell. */
export function envVersion(): string {
  try {
    if (typeof wx.getAccountInfoSync === 'function') return wx.getAccountInfoSync().miniProgram.envVersion || 'develop'
  } catch (e) {
    // old base library or not in WeChat (Node)
  }
  return 'develop'
}

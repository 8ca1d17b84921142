/** Small Promise helpers over WeChat UI calls used by pages. */

export function confirmModal(options: { title: string; content: string; confirmText?: string; cancelText?: string }): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      title: options.title,
      content: options.content,
      confirmText: options.confirmText || '确定',
      cancelText: options.cancelText || '再想想',
      success: (res) => resolve(!!res.confirm),
      fail: () => resolve(false),
    })
  })
}

export function toastSuccess(title: string): void {
  wx.showToast({ title, icon: 'success', duration: 2000 })
}

export function toastText(title: string): void {
  wx.showToast({ title, icon: 'none', duration: 3000 })
}

/** Go to a page; dataset values arrive as strings. */
export function goTo(url: string): void {
  wx.navigateTo({ url })
}

/** Leave this page for another one without keeping it in history (after a finished action). */
export function replaceWith(url: string): void {
  wx.redirectTo({ url })
}

export function goBackOr(url: string): void {
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : []
  if (pages.length > 1) wx.navigateBack({ delta: 1 })
  else wx.redirectTo({ url })
}

/** The query string for a page URL. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const parts = Object.keys(query)
    .filter((key) => query[key] !== undefined && query[key] !== '')
    .map((key) => `${key}=${encodeURIComponent(String(query[key]))}`)
  return parts.length ? `${path}?${parts.join('&')}` : path
}

/** Page paths, in one place. */
export const PAGES = {
  home: '/pages/home/index/index',
  packageList: '/pages/package/list/index',
  packageDetail: '/pages/package/detail/index',
  pay: '/pages/pay/index/index',
  bookingCreate: '/pages/booking/create/index',
  bookingList: '/pages/booking/list/index',
  bookingDetail: '/pages/booking/detail/index',
  patientList: '/pages/patient/list/index',
  patientEdit: '/pages/patient/edit/index',
  patientConsent: '/pages/patient/consent/index',
  patientVerify: '/pages/patient/verify/index',
  notice: '/pages/notice/index/index',
} as const

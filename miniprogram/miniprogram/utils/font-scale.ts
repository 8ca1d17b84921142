/**
 * Text size that follows WeChat's own font-size setting (我 → 设置 → 通用 → 字体大小, and 关怀模式),
 * plus the app's 长辈模式. Pages use rem in wxss and set <page-meta root-font-size="{{rootFontSize}}">.
 */

const STANDARD_PX = 16 // WeChat's standard font size setting
const ELDER_STEP = 1.25
const ELDER_KEY = 'elderMode'

interface BaseInfo {
  fontSizeScaleFactor?: number
  fontSizeSetting?: number
}

/** WeChat's font scale factor (1 = standard), from the base info the runtime reports. */
export function wechatFontScale(info: BaseInfo): number {
  let factor = typeof info.fontSizeScaleFactor === 'number' && info.fontSizeScaleFactor > 0
    ? info.fontSizeScaleFactor
    : typeof info.fontSizeSetting === 'number' && info.fontSizeSetting > 0
      ? info.fontSizeSetting / STANDARD_PX
      : 1
  if (!Number.isFinite(factor)) factor = 1
  return Math.min(Math.max(factor, 0.8), 2.5)
}

function baseInfo(): BaseInfo {
  const api = wx as unknown as { getAppBaseInfo?: () => BaseInfo; getSystemInfoSync: () => BaseInfo }
  try {
    return api.getAppBaseInfo ? api.getAppBaseInfo() : api.getSystemInfoSync()
  } catch {
    return {}
  }
}

export function elderMode(): boolean {
  return wx.getStorageSync(ELDER_KEY) === true
}

export function setElderMode(on: boolean): void {
  wx.setStorageSync(ELDER_KEY, on)
}

/** The root font size for <page-meta root-font-size>, e.g. "20px" for WeChat's large setting. */
export function rootFontSize(info: BaseInfo = baseInfo(), elder: boolean = elderMode()): string {
  const px = STANDARD_PX * wechatFontScale(info) * (elder ? ELDER_STEP : 1)
  return `${Math.round(px)}px`
}

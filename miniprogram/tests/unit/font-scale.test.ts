import { rootFontSize, setElderMode, wechatFontScale } from '../../miniprogram/utils/font-scale'

describe('font scale', () => {
  it('follows the scale factor WeChat reports', () => {
    expect(wechatFontScale({ fontSizeScaleFactor: 1.4 })).toBeCloseTo(1.4)
    expect(rootFontSize({ fontSizeScaleFactor: 1.5 }, false)).toBe('24px')
  })

  it('falls back to the font size setting, then to standard', () => {
    expect(wechatFontScale({ fontSizeSetting: 20 })).toBeCloseTo(1.25)
    expect(wechatFontScale({})).toBe(1)
    expect(wechatFontScale({ fontSizeScaleFactor: 0 })).toBe(1)
    expect(wechatFontScale({ fontSizeScaleFactor: 40 })).toBe(2.5)
  })

  it('长辈模式 adds a step on top of WeChat’s setting and is remembered', () => {
    expect(rootFontSize({ fontSizeScaleFactor: 1 }, true)).toBe('20px')
    const storage: Record<string, unknown> = {}
    ;(globalThis as any).wx = {
      setStorageSync: (k: string, v: unknown) => { storage[k] = v },
      getStorageSync: (k: string) => storage[k],
      getAppBaseInfo: () => ({ fontSizeScaleFactor: 1.2 }),
    }
    setElderMode(true)
    expect(rootFontSize()).toBe('24px')
    setElderMode(false)
    expect(rootFontSize()).toBe('19px')
  })
})

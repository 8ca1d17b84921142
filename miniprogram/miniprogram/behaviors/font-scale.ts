/**
 * Every page uses this behavior: `rootFontSize` for <page-meta root-font-size> (WeChat's font size
 * setting and 关怀模式, times the 长辈模式 step) and `elder`, which pages use to show less (simpler pages).
 * It is read when the page opens and again whenever it is shown (the switch may have changed meanwhile).
 */

import { elderMode, rootFontSize, setElderMode } from '../utils/font-scale'

function apply(self: WechatMiniprogram.Component.TrivialInstance): void {
  const elder = elderMode()
  const size = rootFontSize(undefined, elder)
  const now = self.data as { rootFontSize?: string; elder?: boolean }
  if (now.rootFontSize !== size || now.elder !== elder) self.setData({ rootFontSize: size, elder })
}

export const fontScale = Behavior({
  data: {
    rootFontSize: '16px',
    elder: false,
  },
  lifetimes: {
    attached(this: WechatMiniprogram.Component.TrivialInstance) {
      apply(this)
    },
  },
  pageLifetimes: {
    show(this: WechatMiniprogram.Component.TrivialInstance) {
      apply(this)
    },
  },
  methods: {
    /** The 长辈模式 switch: remember the choice and resize this page now. */
    onElderChange(e: WechatMiniprogram.SwitchChange): void {
      setElderMode(!!e.detail.value)
      apply(this as unknown as WechatMiniprogram.Component.TrivialInstance)
    },
  },
})

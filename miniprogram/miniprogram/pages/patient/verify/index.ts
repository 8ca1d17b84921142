import { ApiError } from '../../../services/errors'
import { sendVerificationCode, verifyPatient } from '../../../services/patients'
import { goBackOr, PAGES, toastSuccess } from '../../../utils/ui'
import { resendWait, verificationMessage } from './messages'
import { fontScale } from '../../../behaviors/font-scale'
import { centreOrEmpty } from '../../../services/centre'
import { askWechatConsent, verifyByRealname } from '../../../services/realname'

let timer: ReturnType<typeof setInterval> | null = null

function stopTimer(): void {
  if (timer !== null) clearInterval(timer)
  timer = null
}

/** 验证就诊人: send the code, enter it, resend after the timer; errors next to the code box. */
Component({
  behaviors: [fontScale],
  data: {
    id: 0,
    name: '',
    phoneMasked: '',
    sentTo: '',
    code: '',
    countdown: 0,
    sending: false,
    submitting: false,
    locked: false,
    error: '',
    // 用微信实名信息验证: for the holder's own 就诊人, when the centre has WeChat's check
    realname: false,
    checkingRealname: false,
  },
  lifetimes: {
    detached(): void {
      stopTimer()
    },
  },
  methods: {
    onLoad(query: { id?: string; name?: string; phone?: string }): Promise<void> {
      this.setData({
        id: Number(query.id || 0),
        name: decodeURIComponent(query.name || ''),
        phoneMasked: decodeURIComponent(query.phone || ''),
      })
      return centreOrEmpty().then((centre) => {
        this.setData({ realname: centre.realname_verification === true })
      })
    },
    async onRealname(): Promise<void> {
      if (this.data.checkingRealname || this.data.locked) return
      this.setData({ checkingRealname: true, error: '' })
      try {
        const code = await askWechatConsent()
        if (!code) {
          this.setData({ error: '未完成微信实名授权，可改用短信验证码验证' })
          return
        }
        await verifyByRealname(this.data.id, code)
        stopTimer()
        toastSuccess('验证成功')
        goBackOr(PAGES.patientList)
      } catch (e) {
        if (e instanceof ApiError) {
          const unavailable = e.code === 'REALNAME_UNAVAILABLE'
          this.setData({
            error: e.code === 'VERIFICATION_FAILED' ? '微信实名信息与该就诊人不一致，请使用短信验证码验证' : verificationMessage(e),
            locked: e.code === 'VERIFICATION_LOCKED',
            realname: !unavailable && this.data.realname,
          })
        }
      } finally {
        this.setData({ checkingRealname: false })
      }
    },
    onUnload(): void {
      stopTimer()
    },
    startCountdown(seconds: number): void {
      stopTimer()
      this.setData({ countdown: seconds })
      timer = setInterval(() => {
        const left = this.data.countdown - 1
        this.setData({ countdown: Math.max(0, left) })
        if (left <= 0) stopTimer()
      }, 1000)
    },
    onInput(e: WechatMiniprogram.Input): void {
      this.setData({ code: e.detail.value.replace(/[^0-9]/g, ''), error: '' })
    },
    async onSend(): Promise<void> {
      if (this.data.sending || this.data.countdown > 0 || this.data.locked) return
      this.setData({ sending: true, error: '' })
      try {
        const sent = await sendVerificationCode(this.data.id)
        this.setData({ sentTo: sent.phone_masked })
        this.startCountdown(sent.resend_after || 60)
      } catch (e) {
        if (e instanceof ApiError) {
          this.setData({ error: verificationMessage(e), locked: e.code === 'VERIFICATION_LOCKED' })
          const wait = resendWait(e)
          if (wait) this.startCountdown(wait)
        }
      } finally {
        this.setData({ sending: false })
      }
    },
    async onSubmit(): Promise<void> {
      if (this.data.submitting || this.data.locked) return
      if (!/^[0-9]{6}$/.test(this.data.code)) {
        this.setData({ error: '请输入6位数字验证码' })
        return
      }
      this.setData({ submitting: true, error: '' })
      try {
        await verifyPatient(this.data.id, this.data.code)
        stopTimer()
        toastSuccess('验证成功')
        goBackOr(PAGES.patientList)
      } catch (e) {
        if (e instanceof ApiError) {
          this.setData({ error: verificationMessage(e), code: '', locked: e.code === 'VERIFICATION_LOCKED' })
        }
      } finally {
        this.setData({ submitting: false })
      }
    },
  },
})

// Paying in the official account's pages: WeixinJSBridge getBrandWCPayRequest with the server's signed
// parameters. The bridge's "ok" is not proof: the server's state (notification or query) decides.
import { api, type Payment, type PaymentStatus } from '@/api'

export interface Bridge {
  invoke(name: string, params: Record<string, string>, callback: (res: { err_msg: string }) => void): void
}

declare global {
  interface Window { WeixinJSBridge?: Bridge }
}

export function bridgeReady(win: Window = window, timeoutMs = 5000): Promise<Bridge> {
  if (win.WeixinJSBridge) return Promise.resolve(win.WeixinJSBridge)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('请在微信中打开本页面')), timeoutMs)
    win.document.addEventListener('WeixinJSBridgeReady', () => {
      clearTimeout(timer)
      if (win.WeixinJSBridge) resolve(win.WeixinJSBridge)
    }, { once: true })
  })
}

export type PayOutcome = 'paid' | 'cancelled' | 'pending'

export async function payInWechat(payment: Payment, bridge: Bridge, options: { tries?: number; intervalMs?: number } = {}): Promise<PayOutcome> {
  const params = payment.pay_params as unknown as Record<string, string>
  const answer = await new Promise<string>((resolve) => bridge.invoke('getBrandWCPayRequest', { ...params }, (res) => resolve(res.err_msg)))
  if (answer.endsWith(':cancel')) return 'cancelled'
  if (!answer.endsWith(':ok')) throw new Error('支付未完成，请重试')
  return waitPaid(payment.payment_no, options)
}

export async function waitPaid(paymentNo: string, { tries = 20, intervalMs = 1000 } = {}): Promise<PayOutcome> {
  for (let i = 0; i < tries; i++) {
    const state: PaymentStatus = await api.payment(paymentNo)
    if (state.status === 'paid') return 'paid'
    if (state.status === 'closed') throw new Error('订单已关闭，请重新缴费')
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  return 'pending'
}

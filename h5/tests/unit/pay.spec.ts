import { describe, expect, it, vi } from 'vitest'
import { payInWechat, type Bridge } from '@/pay'
import type { Payment } from '@/api'

const payment = {
  payment_no: 'P1', status: 'pending', amount_fen: 100, bill_nos: ['B1'],
  pay_params: { appId: 'wxoa', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' },
} as Payment

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

function bridge(errMsg: string): Bridge & { seen: Record<string, string>[] } {
  const seen: Record<string, string>[] = []
  return { seen, invoke: (name, params, cb) => { expect(name).toBe('getBrandWCPayRequest'); seen.push(params); cb({ err_msg: errMsg }) } }
}

describe('paying with WeixinJSBridge', () => {
  it('passes the signed parameters with the appId, then trusts only the server', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    fetch.mockResolvedValueOnce(answer({ ...payment, status: 'pending' }))
    fetch.mockResolvedValueOnce(answer({ ...payment, status: 'paid' }))
    const b = bridge('get_brand_wcpay_request:ok')
    expect(await payInWechat(payment, b, { intervalMs: 1 })).toBe('paid')
    expect(b.seen[0]).toEqual(payment.pay_params)
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('a cancelled cashier asks the server nothing', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    expect(await payInWechat(payment, bridge('get_brand_wcpay_request:cancel'))).toBe('cancelled')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('an ok that the server never confirms stays pending', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => answer({ ...payment, status: 'pending' }))
    expect(await payInWechat(payment, bridge('get_brand_wcpay_request:ok'), { tries: 3, intervalMs: 1 })).toBe('pending')
  })

  it('a failed cashier is an error', async () => {
    await expect(payInWechat(payment, bridge('get_brand_wcpay_request:fail'))).rejects.toThrow('支付未完成')
  })
})

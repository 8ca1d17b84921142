import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import * as paymentsApi from '@/api/payments'
import PaymentsPage from '@/views/payments/index.vue'
import { mountPage } from './helpers'

vi.mock('@/api/payments', () => ({ listPayments: vi.fn(), refundHeldPayment: vi.fn() }))

const held: paymentsApi.PaymentRow = {
  payment_no: 'P20260301HELD',
  patient_name: '王小明',
  bill_nos: ['B1'],
  amount_fen: 35800,
  status: 'held',
  held_reason: '微信通知金额 1 分与订单金额 35800 分不一致',
  refund_status: null,
  refund_no: null,
  transaction_id: '4200000001',
  created_at: '2026-03-01T09:00:00+08:00',
  paid_at: '2026-03-01T09:01:00+08:00',
  writeback_status: 'none',
  writeback_text: '',
  his_settle_no: null,
  his_error: '',
  refund_status_text: null,
  refunded_fen: 0,
  state: 'held',
  status_text: '金额不符，已挂起',
}
const paid: paymentsApi.PaymentRow = {
  ...held,
  payment_no: 'P20260301PAID',
  status: 'paid',
  state: 'paid',
  status_text: '已缴费',
  writeback_status: 'settled',
  writeback_text: '已回写HIS',
  held_reason: '',
}
const summary = { count: 1, amount_fen: 35800, gross_fen: 35800, refunded_fen: 0 }

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`[data-testid="${id}"]`)
  if (!el) throw new Error(`no element ${id}`)
  return el
}

function type(id: string, text: string): void {
  const el = byTestId(id)
  const input = (el instanceof HTMLTextAreaElement ? el : el.querySelector('textarea')) as HTMLTextAreaElement
  input.value = text
  input.dispatchEvent(new Event('input'))
}

function check(id: string): void {
  const el = byTestId(id)
  ;(el.querySelector('input') as HTMLInputElement).click()
}

async function openRefund(): Promise<void> {
  vi.mocked(paymentsApi.listPayments).mockResolvedValue({ items: [held, paid], total: 2, summary })
  wrapper = await mountPage(PaymentsPage, { roles: ['finance'], path: '/payments' })
  const buttons = wrapper.findAll('[data-testid="payment-refund"]')
  expect(buttons).toHaveLength(1) // the held row only
  await buttons[0].trigger('click')
  await flushPromises()
}

describe('缴费记录 page: refund of a held payment', () => {
  it('shows 退款 on held rows that have no refund yet', async () => {
    vi.mocked(paymentsApi.listPayments).mockResolvedValue({ items: [held, paid], total: 2, summary })
    wrapper = await mountPage(PaymentsPage, { roles: ['admin'], path: '/payments' })
    expect(wrapper.findAll('[data-testid="payment-refund"]')).toHaveLength(1)
    wrapper.unmount()
    vi.mocked(paymentsApi.listPayments).mockResolvedValue({ items: [{ ...held, refund_no: 'RF1', refund_status: 'pending' }], total: 1, summary })
    wrapper = await mountPage(PaymentsPage, { roles: ['finance'], path: '/payments' })
    expect(wrapper.find('[data-testid="payment-refund"]').exists()).toBe(false)
  })

  it('asks for a reason and the amount checked, then refunds and reloads', async () => {
    await openRefund()
    const dialog = byTestId('refund-dialog').textContent ?? ''
    expect(dialog).toContain('P20260301HELD')
    expect(dialog).toContain('¥358.00')
    expect(dialog).toContain('35800 分不一致')

    byTestId('refund-submit').click()
    await flushPromises()
    expect(byTestId('refund-error').textContent).toContain('请填写退款原因')
    type('refund-reason', '金额异常，全额退回')
    await flushPromises()
    byTestId('refund-submit').click()
    await flushPromises()
    expect(byTestId('refund-error').textContent).toContain('核对金额')
    expect(paymentsApi.refundHeldPayment).not.toHaveBeenCalled()

    vi.mocked(paymentsApi.refundHeldPayment).mockResolvedValue({
      refund_no: 'RF1',
      status: 'pending',
      status_text: '退款处理中',
      amount_fen: 35800,
      reason_text: null,
    })
    check('refund-confirm')
    await flushPromises()
    byTestId('refund-submit').click()
    await flushPromises()
    expect(paymentsApi.refundHeldPayment).toHaveBeenCalledWith('P20260301HELD', '金额异常，全额退回')
    expect(paymentsApi.listPayments).toHaveBeenCalledTimes(2) // the row is read again
  })

  it("shows the server's refusal in the dialog", async () => {
    await openRefund()
    vi.mocked(paymentsApi.refundHeldPayment).mockRejectedValue(
      new ApiError(503, { code: 'PAYMENT_UNAVAILABLE', message: '暂时无法向微信支付核实该笔订单，请稍后再试' }),
    )
    type('refund-reason', '金额异常')
    check('refund-confirm')
    await flushPromises()
    byTestId('refund-submit').click()
    await flushPromises()
    expect(byTestId('refund-error').textContent).toContain('暂时无法向微信支付核实该笔订单')
    expect(paymentsApi.listPayments).toHaveBeenCalledTimes(1)
  })
})

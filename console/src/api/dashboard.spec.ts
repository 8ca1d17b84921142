import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadDashboard, paidTotals } from './dashboard'
import * as paymentsApi from './payments'
import * as quotaApi from './quota'

vi.mock('./quota', () => ({ listQuota: vi.fn() }))
vi.mock('./payments', () => ({ listPayments: vi.fn() }))

afterEach(() => vi.clearAllMocks())

const payment = (
  status: paymentsApi.PaymentRow['status'],
  amount_fen: number,
  state: paymentsApi.PaymentRow['state'] = status,
): paymentsApi.PaymentRow => ({
  payment_no: `P${amount_fen}`,
  bill_nos: ['B'],
  amount_fen,
  status,
  patient_name: '王芳',
  transaction_id: null,
  created_at: '2025-03-07T09:00:00+08:00',
  paid_at: null,
  writeback_status: 'none',
  writeback_text: '',
  his_settle_no: null,
  his_error: '',
  held_reason: '',
  refund_status: null,
  refund_status_text: null,
  refund_no: null,
  refunded_fen: 0,
  state,
  status_text: '',
})

describe('dashboard figures', () => {
  it('counts only money actually taken', () => {
    expect(paidTotals([payment('paid', 35800), payment('closed', 9900), payment('paid', 12000, 'refunded'), payment('held', 100, 'held')])).toEqual({
      count: 2,
      amount_fen: 47800,
    })
  })

  it("asks for today and the next 7 days' quota and today's payments", async () => {
    vi.mocked(quotaApi.listQuota).mockResolvedValue({
      days: [
        { date: '2025-03-07', capacity: 50, booked: 20, remaining: 30, open: true },
        { date: '2025-03-08', capacity: 50, booked: 5, remaining: 45, open: true },
      ],
    })
    vi.mocked(paymentsApi.listPayments).mockResolvedValue({ items: [payment('paid', 100)], total: 1, summary: { count: 7, amount_fen: 250600, gross_fen: 250600, refunded_fen: 0 } })
    const data = await loadDashboard('2025-03-07', { bookings: true, payments: true })
    expect(quotaApi.listQuota).toHaveBeenCalledWith('2025-03-07', '2025-03-14')
    expect(paymentsApi.listPayments).toHaveBeenCalledWith(expect.objectContaining({ from: '2025-03-07', to: '2025-03-07' }))
    expect(data).toMatchObject({ todayBooked: 20, weekBooked: 25, paymentsCount: 7, paymentsFen: 250600 })
  })

  it('does not call what the role may not read', async () => {
    vi.mocked(paymentsApi.listPayments).mockResolvedValue({ items: [payment('paid', 100)], total: 1, summary: { count: 1, amount_fen: 100, gross_fen: 100, refunded_fen: 0 } })
    const data = await loadDashboard('2025-03-07', { bookings: false, payments: true })
    expect(quotaApi.listQuota).not.toHaveBeenCalled()
    expect(data).toMatchObject({ days: [], paymentsCount: 1, paymentsFen: 100 })
  })
})

import { type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as reconciliationApi from '@/api/reconciliation'
import ReconciliationPage from '@/views/reconciliation/index.vue'
import { mountPage } from './helpers'

vi.mock('@/api/reconciliation', () => ({ getReconciliation: vi.fn() }))

let wrapper: VueWrapper | null = null
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2025-03-06T17:00:00Z')) // 01:00 on 7 March in Shanghai
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.useRealTimers()
  vi.clearAllMocks()
})

describe('对账 page', () => {
  it("reconciles yesterday (Shanghai) and says 无差异 when the three sides agree", async () => {
    vi.mocked(reconciliationApi.getReconciliation).mockResolvedValue({ date: '2025-03-06', matched: 41, differences: [] })
    wrapper = await mountPage(ReconciliationPage, { roles: ['finance'], path: '/reconciliation' })
    expect(reconciliationApi.getReconciliation).toHaveBeenCalledWith('2025-03-06')
    expect(wrapper.get('[data-testid="recon-matched"]').text()).toContain('41')
    expect(wrapper.text()).toContain('无差异')
    expect(wrapper.find('[data-testid="recon-differences"]').exists()).toBe(false)
  })

  it('lists each difference with its kind, cause and action', async () => {
    vi.mocked(reconciliationApi.getReconciliation).mockResolvedValue({
      date: '2025-03-06',
      matched: 40,
      differences: [{ kind: 'wechat_only', cause: 'HIS回写超时', action: '已自动退款', payment_no: 'P1', amount_fen: 35800 }],
    })
    wrapper = await mountPage(ReconciliationPage, { roles: ['finance'], path: '/reconciliation' })
    const table = wrapper.get('[data-testid="recon-differences"]').text()
    expect(table).toContain('微信有、HIS无')
    expect(table).toContain('HIS回写超时')
    expect(table).toContain('已自动退款')
    expect(table).toContain('¥358.00')
    expect(wrapper.text()).not.toContain('无差异')
  })

  it('shows refunded-in-full and foreign bill rows, and names a refund or a bill line', async () => {
    vi.mocked(reconciliationApi.getReconciliation).mockResolvedValue({
      date: '2025-03-06',
      matched: 3,
      differences: [
        { kind: 'bill_row_malformed', kind_text: '微信账单行无法读取', cause: '微信账单第 5 行无法读取', action: '请在商户平台核对此行', line_no: 5 },
        { kind: 'refund_mismatch', cause: '退款金额不一致', action: '请核对', refund_no: 'RF1', payment_no: 'TJ1' },
      ],
      sources: { wechat_rows: 4, foreign_rows: 7, converged: 2, bad_rows: 1, his_rows: 3, ours: 3, refunds: 1 },
    })
    wrapper = await mountPage(ReconciliationPage, { roles: ['finance'], path: '/reconciliation' })
    expect(wrapper.get('[data-testid="recon-converged"]').text()).toContain('2')
    expect(wrapper.get('[data-testid="recon-foreign"]').text()).toContain('7')
    const table = wrapper.get('[data-testid="recon-differences"]').text()
    expect(table).toContain('账单第 5 行')
    expect(table).toContain('RF1')
    expect(table).toContain('微信账单行无法读取')
  })
})

import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MonthlyReport } from '@/api/operations'
import { headline, monthText } from './data'
import ReportPage from './report.vue'
import SelfcheckPage from './selfcheck.vue'

const REPORT: MonthlyReport = {
  month: '2026-11',
  generated_at: '2026-12-03T02:00:00Z',
  days_covered: 30,
  availability: { recorded_days: 1, percent: 98.96, ready_answers: 10, not_ready_answers: 1 },
  requests: { patient: { count: 1000, errors: 20, total_ms: 100000, max_ms: 2500, slow: 5, avg_ms: 100, error_percent: 2 } },
  upstream: { his: { count: 100, errors: 5, total_ms: 150000, max_ms: 5000, slow: 9, avg_ms: 1500, error_percent: 5 } },
  bookings: { booked: 4, cancelled: 1 },
  payments: { paid: 3, paid_fen: 107400, his_failed: 1 },
  refunds: { succeeded: 1, succeeded_fen: 35800 },
  jobs: { failed: 1 },
  reconciliation: { days_reconciled: 1, differences: 2, resolved: 0, open: 2, days_not_reconciled: [] },
  security: { login_failures: 2, open_refused: 1, patient_events: 3 },
  capacity: { capacity: 5, booked: 5, use_percent: 100, high_use_days: ['2026-11-03'] },
  days: [
    { day: '2026-11-03', capacity: 5, booked: 5, use_percent: 100, open: true, bookings: 4, cancelled: 0, paid: 3, paid_fen: 107400, refunds: 0, differences: 2, requests: 1000, availability_percent: 98.96 },
  ],
  audit_anchor: null,
  not_recorded: ['审计链锚点：本月没有锚点记录'],
  recommendations: ['服务可用率 98.96% 低于 99.5%：请核查停机时段', '对账仍有 2 项差异未解决'],
}

function stubFetch(routes: Record<string, unknown>) {
  const fetchMock = vi.fn<typeof fetch>(async (input) => {
    const url = String(input)
    const key = Object.keys(routes).find((k) => url.startsWith(k))
    if (!key) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: '无' } }), { status: 404 })
    return new Response(JSON.stringify(routes[key]), { status: 200 })
  })
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('运行报告 page', () => {
  it('lists the months, opens one with its figures and recommendations', async () => {
    const mock = stubFetch({
      '/api/console/reports/monthly/months': { items: [{ month: '2026-12', days: 2 }, { month: '2026-11', days: 30 }] },
      '/api/console/reports/monthly?': REPORT,
    })
    const wrapper = mount(ReportPage, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    const months = wrapper.find('[data-testid="report-months"]').text()
    expect(months).toContain('2026年11月')
    expect(months).toContain('2026年12月')
    expect(months).toContain('下载PDF')
    expect(months).toContain('下载Excel')
    const view = wrapper.findAll('button').filter((b) => b.text() === '查看')[1]
    await view.trigger('click')
    await flushPromises()
    expect(String(mock.mock.calls.at(-1)?.[0])).toBe('/api/console/reports/monthly?month=2026-11&format=json')
    const detail = wrapper.find('[data-testid="report-detail"]').text()
    expect(detail).toContain('2026年11月 运行情况')
    expect(detail).toContain('98.96%')
    expect(detail).toContain('患者端接口')
    expect(detail).toContain('审计链锚点：本月没有锚点记录')
    expect(wrapper.findAll('[data-testid="report-recommendations"] li').map((li) => li.text())).toEqual(REPORT.recommendations)
  })

  it('downloads the PDF of a month through the API', async () => {
    const mock = stubFetch({ '/api/console/reports/monthly/months': { items: [{ month: '2026-11', days: 30 }] } })
    const wrapper = mount(ReportPage, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    mock.mockImplementationOnce(async () => new Response(new Blob(['%PDF-']), {
      status: 200,
      headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': "attachment; filename=\"r.pdf\"; filename*=UTF-8''%E7%B3%BB%E7%BB%9F.pdf" },
    }))
    URL.createObjectURL = vi.fn(() => 'blob:x')
    URL.revokeObjectURL = vi.fn()
    await wrapper.findAll('button').find((b) => b.text() === '下载PDF')!.trigger('click')
    await flushPromises()
    expect(String(mock.mock.calls.at(-1)?.[0])).toBe('/api/console/reports/monthly?month=2026-11&format=pdf')
  })

  it('words the headline in Chinese, unrecorded figures as 未记录', () => {
    const figures = headline({ ...REPORT, availability: { ...REPORT.availability, percent: null } })
    expect(figures[0]).toEqual({ label: '服务可用率', value: '未记录' })
    expect(figures.find((f) => f.label === '支付成功')?.value).toBe('3 笔 / 1074.00 元')
    expect(figures.find((f) => f.label === '安全事件')?.value).toBe('6')
    expect(monthText('2026-03')).toBe('2026年3月')
  })
})

describe('安全自查 page', () => {
  it('shows each section with its findings and the conclusion', async () => {
    stubFetch({
      '/api/console/selfcheck': {
        generated_at: '2026-12-03T10:00:00+00:00',
        findings: 2,
        sections: [
          { title: '配置', findings: [], notes: [] },
          { title: '账号', findings: ['clerk 的密码已 365 天未更换（策略：180 天内更换）', 'idle 已 120 天未登录'], notes: ['启用账号 3 个'] },
        ],
      },
    })
    const wrapper = mount(SelfcheckPage, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    await flushPromises()
    expect(wrapper.find('[data-testid="selfcheck-summary"]').text()).toContain('发现 2 项问题')
    const sections = wrapper.findAll('[data-testid="selfcheck-section"]')
    expect(sections.map((s) => s.find('h4').text())).toEqual(['配置', '账号'])
    expect(sections[0].text()).toContain('未发现问题')
    expect(sections[1].findAll('.finding').map((f) => f.text())).toContain('clerk 的密码已 365 天未更换（策略：180 天内更换）')
  })
})

describe('安全审计导出', () => {
  it('asks for the workbook of the dates and filters', async () => {
    const { exportAuditLogs } = await import('@/api/audit')
    const mock = vi.fn<typeof fetch>(async () => new Response(new Blob(['PK']), {
      status: 200,
      headers: { 'Content-Disposition': "attachment; filename=\"security-audit.xlsx\"; filename*=UTF-8''%E5%AE%89%E5%85%A8%E5%AE%A1%E8%AE%A1.xlsx" },
    }))
    vi.stubGlobal('fetch', mock)
    const file = await exportAuditLogs({ from: '2026-11-01', to: '2026-11-30', action: 'login' })
    expect(String(mock.mock.calls[0][0])).toBe('/api/console/audit-logs/export?from=2026-11-01&to=2026-11-30&action=login')
    expect(file.filename).toBe('安全审计.xlsx')
  })
})

import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as alertsApi from '@/api/alerts'
import * as jobsApi from '@/api/jobs'
import JobsPage from '@/views/jobs/index.vue'
import { messageBoxButton, mountPage } from './helpers'

vi.mock('@/api/jobs', () => ({ listJobs: vi.fn(), retryJob: vi.fn() }))
vi.mock('@/api/alerts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/api/alerts')>()),
  listAlerts: vi.fn(async () => ({ items: [] })),
}))

const failed: jobsApi.JobRow = {
  id: 12,
  kind: 'his_writeback',
  payload: { payment_no: 'P20260301ABC', query_first: true },
  status: 'failed',
  attempts: 12,
  max_attempts: 12,
  last_error: 'Retry: HIS confirm_payment UNKNOWN TIMEOUT',
  run_after: '2026-03-01T10:00:00+08:00',
  created_at: '2026-03-01T09:00:00+08:00',
  updated_at: '2026-03-01T10:00:00+08:00',
}

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

describe('任务 page', () => {
  it('shows an open finance alert at the top, in Chinese, and nothing when there is none', async () => {
    vi.mocked(jobsApi.listJobs).mockResolvedValue({ items: [], total: 0 })
    vi.mocked(alertsApi.listAlerts).mockResolvedValueOnce({
      items: [{
        kind: 'WECHAT_NOT_ENOUGH', text: '商户号余额不足，退款将自动重试。请尽快为微信支付商户号充值（或调整自动提现）',
        times: 2, refund_no: 'RF2026', first_at: '2026-03-01T09:00:00+08:00', last_at: '2026-03-01T09:05:00+08:00',
      }],
    })
    wrapper = await mountPage(JobsPage, { roles: ['finance'], path: '/jobs' })
    const alert = wrapper.get('[data-testid="finance-alerts"]').text()
    expect(alert).toContain('财务提醒')
    expect(alert).toContain('商户号余额不足，退款将自动重试')
    expect(alert).toContain('已发生 2 次')
    wrapper.unmount()
    wrapper = await mountPage(JobsPage, { roles: ['finance'], path: '/jobs' })
    expect(wrapper.find('[data-testid="finance-alerts"]').exists()).toBe(false)
  })

  it('opens on the failed jobs with their kind in Chinese, payload, attempts and last error', async () => {
    vi.mocked(jobsApi.listJobs).mockResolvedValue({ items: [failed], total: 1 })
    wrapper = await mountPage(JobsPage, { roles: ['finance'], path: '/jobs' })
    expect(jobsApi.listJobs).toHaveBeenCalledWith({ status: 'failed', page: 1, page_size: 50 })
    const table = wrapper.get('[data-testid="jobs-table"]').text()
    expect(table).toContain('回写HIS')
    expect(table).toContain('支付单号 P20260301ABC')
    expect(table).toContain('12 / 12')
    expect(table).toContain('HIS confirm_payment UNKNOWN')
    expect(table).toContain('2026-03-01 09:00:00')
    expect(wrapper.findAll('[data-testid="job-retry"]')).toHaveLength(1)
    expect(wrapper.text()).toContain('失败')
    expect(wrapper.text()).toContain('等待中')
    expect(wrapper.text()).toContain('运行中')
    expect(wrapper.text()).toContain('已完成')
  })

  it('re-queues a failed job after a confirmation that says why it is safe, then reloads', async () => {
    vi.mocked(jobsApi.listJobs).mockResolvedValueOnce({ items: [failed], total: 1 }).mockResolvedValue({ items: [], total: 0 })
    vi.mocked(jobsApi.retryJob).mockResolvedValue({ ...failed, status: 'pending', attempts: 0 })
    wrapper = await mountPage(JobsPage, { roles: ['admin'], path: '/jobs' })
    await wrapper.get('[data-testid="job-retry"]').trigger('click')
    await flushPromises()
    const box = document.querySelector('.el-message-box')?.textContent ?? ''
    expect(box).toContain('幂等')
    expect(box).toContain('任务 #12')
    ;(await messageBoxButton('重新执行')).click()
    await flushPromises()
    expect(jobsApi.retryJob).toHaveBeenCalledWith(12)
    expect(jobsApi.listJobs).toHaveBeenCalledTimes(2)
  })

  it('does nothing when the confirmation is cancelled', async () => {
    vi.mocked(jobsApi.listJobs).mockResolvedValue({ items: [failed], total: 1 })
    wrapper = await mountPage(JobsPage, { roles: ['finance'], path: '/jobs' })
    await wrapper.get('[data-testid="job-retry"]').trigger('click')
    ;(await messageBoxButton('取消')).click()
    await flushPromises()
    expect(jobsApi.retryJob).not.toHaveBeenCalled()
  })

  it('offers no 重新执行 on the other tabs', async () => {
    vi.mocked(jobsApi.listJobs).mockResolvedValue({ items: [{ ...failed, status: 'done', attempts: 1, last_error: '' }], total: 1 })
    wrapper = await mountPage(JobsPage, { roles: ['admin'], path: '/jobs' })
    const tabs = wrapper.findAll('.el-tabs__item')
    await tabs.find((t) => t.text() === '已完成')!.trigger('click')
    await flushPromises()
    expect(jobsApi.listJobs).toHaveBeenLastCalledWith({ status: 'done', page: 1, page_size: 50 })
    expect(wrapper.find('[data-testid="job-retry"]').exists()).toBe(false)
  })
})

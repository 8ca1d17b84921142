import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import * as holidaysApi from '@/api/holidays'
import * as quotaApi from '@/api/quota'
import * as rulesApi from '@/api/rules'
import QuotaPage from '@/views/quota/index.vue'
import { mountPage } from './helpers'

vi.mock('@/api/quota', () => ({ listQuota: vi.fn(), updateDayQuota: vi.fn(), batchSetQuota: vi.fn() }))
vi.mock('@/api/holidays', () => ({ listHolidays: vi.fn(), addHoliday: vi.fn(), deleteHoliday: vi.fn() }))
vi.mock('@/api/rules', () => ({ getBookingRules: vi.fn(), updateBookingRules: vi.fn() }))

let wrapper: VueWrapper | null = null

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2025-03-07T01:00:00Z'))
  sessionStorage.clear()
  vi.mocked(quotaApi.listQuota).mockResolvedValue({
    days: [
      { date: '2025-03-10', capacity: 80, booked: 12, remaining: 68, open: true },
      { date: '2025-03-11', capacity: 50, booked: 50, remaining: 0, open: true },
      { date: '2025-03-12', capacity: 60, booked: 0, remaining: 60, open: false },
    ],
  })
  vi.mocked(holidaysApi.listHolidays).mockResolvedValue({ items: [{ date: '2025-03-08', name: '妇女节' }] })
  vi.mocked(rulesApi.getBookingRules).mockResolvedValue({
    open_days_ahead: 14,
    release_time: '07:30',
    min_days_ahead: 1,
    change_cutoff_days: 1,
    closed_weekdays: [7],
  })
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.useRealTimers()
  vi.clearAllMocks()
})

const cell = (w: VueWrapper, date: string) => w.get(`[data-testid="quota-day-${date}"]`)

describe('号源管理 page', () => {
  it('loads the current Shanghai month and shows capacity, booked, remaining, closed days and holidays', async () => {
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    expect(quotaApi.listQuota).toHaveBeenCalledWith('2025-03-01', '2025-03-31')
    expect(wrapper.get('[data-testid="quota-month"]').text()).toBe('2025年3月')
    expect(cell(wrapper, '2025-03-10').text()).toContain('号源 80')
    expect(cell(wrapper, '2025-03-10').text()).toContain('已约 12')
    expect(cell(wrapper, '2025-03-10').text()).toContain('剩余 68')
    expect(cell(wrapper, '2025-03-12').text()).toContain('停约')
    expect(cell(wrapper, '2025-03-08').text()).toContain('妇女节')
    expect(cell(wrapper, '2025-03-13').text()).toContain('未设置')
  })

  it('moves to the next month and asks for its days', async () => {
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await wrapper.get('[data-testid="quota-next-month"]').trigger('click')
    await flushPromises()
    expect(quotaApi.listQuota).toHaveBeenLastCalledWith('2025-04-01', '2025-04-30')
    expect(wrapper.get('[data-testid="quota-month"]').text()).toBe('2025年4月')
  })

  it('edits a day: PUT with capacity and open, and the calendar shows the saved day', async () => {
    vi.mocked(quotaApi.updateDayQuota).mockResolvedValue({ date: '2025-03-10', capacity: 100, booked: 12, remaining: 88, open: true })
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await cell(wrapper, '2025-03-10').trigger('click')
    await flushPromises()
    expect(document.querySelector('[data-testid="day-edit-booked"]')?.textContent).toContain('12')
    const input = document.querySelector<HTMLInputElement>('.el-dialog .el-input-number input')!
    expect(input.value).toBe('80')
    input.value = '100'
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="day-edit-save"]')!.click()
    await flushPromises()
    expect(quotaApi.updateDayQuota).toHaveBeenCalledWith('2025-03-10', { capacity: 100, open: true })
    expect(cell(wrapper, '2025-03-10').text()).toContain('剩余 88')
  })

  it('refuses a capacity below the booked count before calling the server', async () => {
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await cell(wrapper, '2025-03-10').trigger('click')
    await flushPromises()
    const input = document.querySelector<HTMLInputElement>('.el-dialog .el-input-number input')!
    input.value = '5'
    input.dispatchEvent(new Event('input'))
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="day-edit-save"]')!.click()
    await flushPromises()
    expect(quotaApi.updateDayQuota).not.toHaveBeenCalled()
    expect(document.querySelector('[data-testid="day-edit-error"]')?.textContent).toContain('不能少于已预约人数（12）')
  })

  it("shows the server's CAPACITY_BELOW_BOOKED message in the dialog", async () => {
    vi.mocked(quotaApi.updateDayQuota).mockRejectedValue(
      new ApiError(409, { code: 'CAPACITY_BELOW_BOOKED', message: '号源数不能少于该日已预约人数（15人）' }),
    )
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await cell(wrapper, '2025-03-10').trigger('click')
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="day-edit-save"]')!.click()
    await flushPromises()
    expect(quotaApi.updateDayQuota).toHaveBeenCalledWith('2025-03-10', { capacity: 80, open: true })
    expect(document.querySelector('[data-testid="day-edit-error"]')?.textContent).toContain('号源数不能少于该日已预约人数（15人）')
  })

  it('lets checkup staff edit quotas but not the booking rules', async () => {
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    expect(wrapper.find('[data-testid="quota-batch"]').exists()).toBe(true)
    expect(wrapper.text()).toContain('仅管理员可以修改预约规则')
    expect(wrapper.text()).not.toContain('保存规则')
  })

  it('lets the admin save the rules with sorted closed weekdays', async () => {
    vi.mocked(rulesApi.getBookingRules).mockResolvedValue({
      open_days_ahead: 14,
      release_time: '07:30',
      min_days_ahead: 1,
      change_cutoff_days: 1,
      closed_weekdays: [7, 6],
    })
    vi.mocked(rulesApi.updateBookingRules).mockImplementation(async (body) => body)
    wrapper = await mountPage(QuotaPage, { roles: ['admin'], path: '/quota' })
    expect(wrapper.findAll('button').some((b) => b.text() === '保存规则')).toBe(true)
    await wrapper.get('[data-testid="rules-form"]').trigger('submit')
    await flushPromises()
    expect(rulesApi.updateBookingRules).toHaveBeenCalledTimes(1)
    expect(rulesApi.updateBookingRules).toHaveBeenCalledWith({
      open_days_ahead: 14,
      release_time: '07:30',
      min_days_ahead: 1,
      change_cutoff_days: 1,
      closed_weekdays: [6, 7],
    })
  })
})

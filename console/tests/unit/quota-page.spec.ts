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

  it('lets checkup staff edit quotas and the release schedule, and shows when the next day opens', async () => {
    vi.mocked(rulesApi.getBookingRules).mockResolvedValue({
      open_days_ahead: 14,
      release_time: '07:30',
      min_days_ahead: 1,
      change_cutoff_days: 1,
      closed_weekdays: [7],
      next_opening: { date: '2025-03-22', at: '2025-03-08T07:30:00+08:00' },
    })
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    expect(wrapper.find('[data-testid="quota-batch"]').exists()).toBe(true)
    expect(wrapper.findAll('button').some((b) => b.text() === '保存规则')).toBe(true)
    expect(wrapper.get('[data-testid="rules-next-opening"]').text()).toContain('2025-03-08 07:30 开放 2025-03-22')
  })

  it('closing a booked day asks what to do with its bookings and moves them', async () => {
    vi.mocked(quotaApi.updateDayQuota)
      .mockRejectedValueOnce(
        new ApiError(409, { code: 'DAY_HAS_BOOKINGS', message: '所选日期已有12个预约', details: { count: 12 } }),
      )
      .mockResolvedValueOnce({
        date: '2025-03-10', capacity: 80, booked: 0, remaining: 80, open: false,
        bookings: { moved: 12, move_to: '2025-03-11' },
      })
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await cell(wrapper, '2025-03-10').trigger('click')
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid="day-edit-open"]')!.click()
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="day-edit-save"]')!.click()
    await flushPromises()
    expect(quotaApi.updateDayQuota).toHaveBeenCalledWith('2025-03-10', { capacity: 80, open: false })
    expect(document.querySelector('[data-testid="closure-count"]')?.textContent).toContain('12 个预约')
    document.querySelector<HTMLButtonElement>('[data-testid="day-edit-save"]')!.click()
    await flushPromises()
    expect(quotaApi.updateDayQuota).toHaveBeenLastCalledWith('2025-03-10', {
      capacity: 80,
      open: false,
      bookings: { move_to: '2025-03-11' },
    })
  })

  it('批量设置 previews the days it will skip and why', async () => {
    vi.mocked(quotaApi.listQuota).mockResolvedValue({
      days: [
        { date: '2025-03-10', capacity: 130, booked: 120, remaining: 10, open: true, set: true },
        { date: '2025-03-12', capacity: 0, booked: 0, remaining: 0, open: false, set: true },
      ],
    })
    wrapper = await mountPage(QuotaPage, { roles: ['staff'], path: '/quota' })
    await wrapper.get('[data-testid="quota-batch"]').trigger('click')
    await flushPromises()
    const preview = document.querySelector('[data-testid="batch-preview-skipped"]')?.textContent ?? ''
    expect(preview).toContain('已预约 120 人')
    expect(preview).toContain('该日已关闭')
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
      no_show_may_rebook: true,
      next_opening: null,
    })
  })
})

import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as bookingsApi from '@/api/bookings'
import * as reportsApi from '@/api/reports'
import type { BookedPatientRow, BookedPatientsReport } from '@/api/reports'
import BookingsPage from '@/views/bookings/index.vue'
import { messageBoxButton, mountPage } from './helpers'

vi.mock('@/api/reports', () => ({ getBookedPatients: vi.fn(), exportBookedPatients: vi.fn() }))
vi.mock('@/api/bookings', () => ({
  confirmBooking: vi.fn(),
  confirmBookings: vi.fn(),
  listBookings: vi.fn(),
  unconfirmBooking: vi.fn(),
  rescheduleBooking: vi.fn(),
  cancelBooking: vi.fn(),
  markNoShow: vi.fn(),
}))

const row = (id: number, name: string, date = '2025-03-08'): BookedPatientRow => ({
  booking_id: id,
  date,
  patient_name: name,
  sex: 'female',
  age: '35–39',
  phone_masked: '138****5678',
  id_number_masked: '110101********1234',
  package_name: '入职体检套餐',
  amount_fen: 35800,
  bill_no: `B2025030${id}`,
  booked_at: '2025-03-01T02:03:04Z',
  phone: null,
})

function report(items: BookedPatientRow[], extra: Partial<BookedPatientsReport> = {}): BookedPatientsReport {
  return { items, total: items.length, ...extra }
}

let wrapper: VueWrapper | null = null

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(new Date('2025-03-07T01:00:00Z')) // 09:00 on 7 March in Shanghai
  sessionStorage.clear()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.useRealTimers()
  vi.clearAllMocks()
})

describe('预约患者 page', () => {
  it('asks for today … today+7 and renders the rows with yuan, masked numbers and Shanghai times', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(
      report([row(1, '王芳'), row(2, '李强', '2025-03-09')], { per_day: [{ date: '2025-03-08', count: 1 }, { date: '2025-03-09', count: 1 }] }),
    )
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })

    expect(reportsApi.getBookedPatients).toHaveBeenCalledWith({ from: '2025-03-07', to: '2025-03-14', q: '', page: 1, page_size: 20 })
    const table = wrapper.get('[data-testid="bookings-table"]')
    expect(table.text()).toContain('王芳')
    expect(table.text()).toContain('李强')
    expect(table.text()).toContain('¥358.00')
    expect(table.text()).toContain('138****5678')
    expect(table.text()).toContain('110101********1234')
    expect(table.text()).toContain('2025-03-01 10:03:04')
    expect(table.text()).toContain('女')
    expect(wrapper.get('[data-testid="bookings-per-day"]').text()).toContain('3月8日 周六：1 人')
  })

  it('searches by name or phone with the q parameter', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    await wrapper.get('input[data-testid="bookings-q"]').setValue(' 5678 ')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(reportsApi.getBookedPatients).toHaveBeenLastCalledWith(expect.objectContaining({ q: '5678', page: 1 }))
  })

  it('confirms a patient only after the confirmation dialog, then reloads without the row', async () => {
    vi.mocked(reportsApi.getBookedPatients)
      .mockResolvedValueOnce(report([row(1, '王芳'), row(2, '李强')]))
      .mockResolvedValueOnce(report([row(2, '李强')]))
    vi.mocked(bookingsApi.confirmBooking).mockResolvedValue({ id: 1, bill_no: 'B20250301', patient_id: 9, date: '2025-03-08', status: 'confirmed', patient_name: '王芳', confirmed_at: null, confirmed_by: null, cancelled_by: null, cancel_reason: '' })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })

    await wrapper.get('[data-testid="confirm-1"]').trigger('click')
    await flushPromises()
    expect(document.querySelector('.el-message-box')?.textContent).toContain('王芳')
    expect(bookingsApi.confirmBooking).not.toHaveBeenCalled()

    ;(await messageBoxButton('确认')).click()
    await vi.waitFor(() => expect(bookingsApi.confirmBooking).toHaveBeenCalledWith(1))
    await flushPromises()
    expect(reportsApi.getBookedPatients).toHaveBeenCalledTimes(2)
    expect(wrapper.get('[data-testid="bookings-table"]').text()).not.toContain('王芳')
    expect(wrapper.get('[data-testid="bookings-table"]').text()).toContain('李强')
  })

  it('does not confirm when the dialog is cancelled', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    await wrapper.get('[data-testid="confirm-1"]').trigger('click')
    ;(await messageBoxButton('取消')).click()
    await flushPromises()
    await new Promise((r) => setTimeout(r, 50))
    expect(bookingsApi.confirmBooking).not.toHaveBeenCalled()
    expect(reportsApi.getBookedPatients).toHaveBeenCalledTimes(1)
  })

  it('bulk-confirms the selected rows after the dialog', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValueOnce(report([row(1, '王芳'), row(2, '李强')])).mockResolvedValue(report([]))
    vi.mocked(bookingsApi.confirmBookings).mockResolvedValue({ confirmed: 2 })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })

    const bulk = wrapper.get('[data-testid="bookings-bulk-confirm"]')
    expect(bulk.attributes('disabled')).toBeDefined()
    for (const box of wrapper.findAll('.el-table__body .el-checkbox')) await box.trigger('click')
    await flushPromises()
    expect(bulk.text()).toContain('（2）')
    await bulk.trigger('click')
    expect(document.querySelector('.el-message-box')?.textContent).toContain('2 位患者')
    ;(await messageBoxButton('确认')).click()
    await vi.waitFor(() => expect(bookingsApi.confirmBookings).toHaveBeenCalledWith([1, 2]))
  })

  it('is read-only for the auditor: no confirm buttons, export still there', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    wrapper = await mountPage(BookingsPage, { roles: ['auditor'], path: '/bookings' })
    expect(wrapper.get('[data-testid="bookings-table"]').text()).toContain('王芳')
    expect(wrapper.find('[data-testid="confirm-1"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="bookings-bulk-confirm"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="bookings-export-xlsx"]').exists()).toBe(true)
  })

  it('exports the current filter as Excel and saves it under the server file name', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    vi.mocked(reportsApi.exportBookedPatients).mockResolvedValue({ blob: new Blob(['x']), filename: '预约患者_20250307.xlsx' })
    const created = vi.fn(() => 'blob:fake')
    URL.createObjectURL = created
    URL.revokeObjectURL = vi.fn()
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(this.download)
    })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings?from=2025-03-08&to=2025-03-09' })

    await wrapper.get('[data-testid="bookings-export-xlsx"]').trigger('click')
    await flushPromises()
    expect(reportsApi.exportBookedPatients).toHaveBeenCalledWith({ from: '2025-03-08', to: '2025-03-09', q: '' }, 'xlsx')
    expect(click).toHaveBeenCalled()
    expect(clicks).toEqual(['预约患者_20250307.xlsx'])
  })

  it('lets staff reschedule a patient with a reason, then reloads', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    vi.mocked(bookingsApi.rescheduleBooking).mockResolvedValue({ id: 1, bill_no: 'B', patient_id: 9, date: '2025-03-09', status: 'booked', patient_name: '王芳', confirmed_at: null, confirmed_by: null, cancelled_by: null, cancel_reason: '' })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    await wrapper.get('[data-testid="reschedule-1"]').trigger('click')
    await flushPromises()
    const reason = document.querySelector<HTMLInputElement>('input[data-testid="staff-action-reason"]')!
    reason.value = '患者来电改约'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="staff-action-submit"]')!.click()
    await vi.waitFor(() => expect(bookingsApi.rescheduleBooking).toHaveBeenCalledWith(1, '2025-03-09', '患者来电改约'))
    await flushPromises()
    expect(reportsApi.getBookedPatients).toHaveBeenCalledTimes(2)
  })

  it('needs a reason to cancel for a patient', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳')]))
    vi.mocked(bookingsApi.cancelBooking).mockResolvedValue({ id: 1, bill_no: 'B', patient_id: 9, date: '2025-03-08', status: 'cancelled', patient_name: '王芳', confirmed_at: null, confirmed_by: null, cancelled_by: null, cancel_reason: '' })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    await wrapper.get('[data-testid="cancel-1"]').trigger('click')
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="staff-action-submit"]')!.click()
    await flushPromises()
    expect(bookingsApi.cancelBooking).not.toHaveBeenCalled()
    expect(document.querySelector('[data-testid="staff-action-error"]')?.textContent).toContain('取消原因')
    const reason = document.querySelector<HTMLInputElement>('input[data-testid="staff-action-reason"]')!
    reason.value = '患者要求'
    reason.dispatchEvent(new Event('input'))
    await flushPromises()
    document.querySelector<HTMLButtonElement>('[data-testid="staff-action-submit"]')!.click()
    await vi.waitFor(() => expect(bookingsApi.cancelBooking).toHaveBeenCalledWith(1, '患者要求'))
  })

  it('offers 未到检 only once the day has come, after a confirmation', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳', '2025-03-07'), row(2, '李强', '2025-03-09')]))
    vi.mocked(bookingsApi.markNoShow).mockResolvedValue({ id: 1, bill_no: 'B', patient_id: 9, date: '2025-03-07', status: 'no_show', patient_name: '王芳', confirmed_at: null, confirmed_by: null, cancelled_by: null, cancel_reason: '' })
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    expect(wrapper.find('[data-testid="no-show-2"]').exists()).toBe(false)
    await wrapper.get('[data-testid="no-show-1"]').trigger('click')
    expect(document.querySelector('.el-message-box')?.textContent).toContain('王芳')
    ;(await messageBoxButton('确认')).click()
    await vi.waitFor(() => expect(bookingsApi.markNoShow).toHaveBeenCalledWith(1))
  })

  it('has no reschedule, cancel or no-show buttons for the auditor', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(report([row(1, '王芳', '2025-03-07')]))
    wrapper = await mountPage(BookingsPage, { roles: ['auditor'], path: '/bookings' })
    for (const id of ['reschedule-1', 'cancel-1', 'no-show-1']) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists()).toBe(false)
    }
    expect(wrapper.find('[data-testid="bookings-full-phones"]').exists()).toBe(false)
  })

  it('shows full phone numbers on request and the per-package statistics', async () => {
    vi.mocked(reportsApi.getBookedPatients).mockResolvedValue(
      report([{ ...row(1, '王芳'), phone: '13812345678' }], {
        per_package: [{ package_code: 'RZ001', package_name: '入职体检套餐', count: 1, amount_fen: 35800 }],
        amount_fen: 35800,
      }),
    )
    wrapper = await mountPage(BookingsPage, { roles: ['staff'], path: '/bookings' })
    expect(wrapper.get('[data-testid="bookings-per-package"]').text()).toContain('入职体检套餐：1 人，¥358.00')
    await wrapper.get('[data-testid="bookings-full-phones"] input').setValue(true)
    await flushPromises()
    expect(reportsApi.getBookedPatients).toHaveBeenLastCalledWith(expect.objectContaining({ phones: 'full' }))
    expect(wrapper.get('[data-testid="bookings-table"]').text()).toContain('13812345678')
  })
})

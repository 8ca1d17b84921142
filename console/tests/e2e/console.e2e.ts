/**
 * End-to-end test of the console against the running product (backend serving console/dist).
 * Drives Debian's chromium through playwright-core (no browser download). Run: `npm run e2e`.
 *
 * Environment:
 *   CONSOLE_E2E_BASE_URL   e.g. http://127.0.0.1:8000 (required)
 *   CONSOLE_E2E_USERNAME   an admin account (default "admin")
 *   CONSOLE_E2E_PASSWORD   its password (required)
 *   CONSOLE_E2E_DATE       the day to set the quota of and book (default: the first bookable day by the rules)
 *   CONSOLE_E2E_CHROMIUM   the browser binary (default /usr/bin/chromium)
 *   MANUAL_SCREENSHOTS_DIR also write each named screenshot there, as the user manual shows it
 *                          (absolute path; `make docs-screenshots` sets docs/images/manual)
 * Screenshots and the downloaded file go to console/test-artifacts/ (not committed). Every 'NN-name'
 * screenshot is shown in docs/user-manual.md (tests/unit/test_docs.py checks both ways).
 */
import assert from 'node:assert/strict'
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { addDays, isoWeekday, todayInShanghai } from '../../src/utils/format'
import { apiCall, consoleLogin, seedBooking, seedWechatPayment, type SeededBooking } from './seed'
import { readFirstSheet } from './xlsx'

const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.resolve(here, '../../test-artifacts')
const MANUAL_DIR = process.env.MANUAL_SCREENSHOTS_DIR || ''
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback
  if (!value) throw new Error(`set ${name}`)
  return value
}

const BASE_URL = env('CONSOLE_E2E_BASE_URL').replace(/\/$/, '')
const USERNAME = env('CONSOLE_E2E_USERNAME', 'admin')
const PASSWORD = env('CONSOLE_E2E_PASSWORD')

interface Rules {
  open_days_ahead: number
  min_days_ahead: number
  closed_weekdays: number[]
}

/** The first day the rules let a patient book: not too soon, not a closed weekday or holiday. */
async function pickDay(token: string): Promise<string> {
  if (process.env.CONSOLE_E2E_DATE) return process.env.CONSOLE_E2E_DATE
  const today = todayInShanghai()
  const rules = await apiCall<Rules>(BASE_URL, 'GET', '/api/console/booking-rules', undefined, token)
  const last = addDays(today, rules.open_days_ahead - 1)
  const holidays = await apiCall<{ items: { date: string }[] }>(
    BASE_URL, 'GET', `/api/console/holidays?from=${today}&to=${last}`, undefined, token,
  ).catch(() => ({ items: [] }))
  const closed = new Set(holidays.items.map((h) => h.date))
  for (let day = addDays(today, Math.max(rules.min_days_ahead, 1)); day <= last; day = addDays(day, 1)) {
    if (!rules.closed_weekdays.includes(isoWeekday(day)) && !closed.has(day)) return day
  }
  throw new Error('no bookable day in the booking window')
}

/** The test artifact and, when MANUAL_SCREENSHOTS_DIR is set, the manual's image (what the viewport shows). */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
  if (MANUAL_DIR) {
    await page.mouse.move(0, 0) // no hover highlight in the manual's pictures
    await page.screenshot({ path: path.join(MANUAL_DIR, `${name}.png`) })
  }
}

async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden' }).catch(() => undefined)
}

const steps: [string, (page: Page) => Promise<void>][] = []
const state: { token: string; day: string; capacity: number; booking: SeededBooking | null } = {
  token: '',
  day: '',
  capacity: 0,
  booking: null,
}

steps.push(['log in', async (page) => {
  await seedWechatPayment(BASE_URL) // a payment of today for the dashboard, payments and reconciliation pages
  await page.goto('/login')
  await page.fill('input[data-testid="login-username"]', USERNAME)
  await page.fill('input[data-testid="login-password"]', PASSWORD)
  await shot(page, '01-login')
  await page.click('[data-testid="login-submit"]')
  await page.waitForURL((url) => !url.pathname.startsWith('/login'))
  await page.locator('[data-testid="side-menu"]').waitFor()
  await settle(page)
  await shot(page, '02-dashboard')
  state.token = await consoleLogin(BASE_URL, USERNAME, PASSWORD)
  state.day = await pickDay(state.token)
}])

steps.push(["change a day's quota", async (page) => {
  await page.goto('/quota')
  await settle(page)
  const wanted = `${Number(state.day.slice(0, 4))}年${Number(state.day.slice(5, 7))}月`
  for (let i = 0; i < 13 && (await page.textContent('[data-testid="quota-month"]')) !== wanted; i++) {
    await page.click('[data-testid="quota-next-month"]')
    await settle(page)
  }
  await page.click(`[data-testid="quota-day-${state.day}"]`)
  await page.locator('[data-testid="day-edit-save"]').waitFor()
  const booked = Number((await page.textContent('[data-testid="day-edit-booked"]'))?.replace(/\D/g, '') || '0')
  const input = page.locator('[data-testid="day-edit-capacity"] input')
  const current = Number(await input.inputValue())
  state.capacity = Math.max(current + 5, booked + 10)
  await input.fill(String(state.capacity))
  await input.blur()
  const open = page.locator('[data-testid="day-edit-open"]')
  if (!(await open.getAttribute('class'))?.includes('is-checked')) await open.click()
  await shot(page, '03-quota-day-edit')
  await page.click('[data-testid="day-edit-save"]')
  await page.locator(`[data-testid="quota-day-${state.day}"]`, { hasText: `号源 ${state.capacity}` }).waitFor()
  await page.locator('[data-testid="day-edit-save"]').waitFor({ state: 'hidden' }) // the dialog has closed
  await shot(page, '04-quota')
  const main = page.locator('.el-main')
  await main.evaluate((el) => el.scrollTo(0, el.scrollHeight)) // the closed days and the booking rules
  await shot(page, '05-quota-rules')
  await main.evaluate((el) => el.scrollTo(0, 0))
  await page.click('[data-testid="quota-batch"]')
  await page.locator('[data-testid="batch-save"]').waitFor()
  await shot(page, '06-quota-batch')
  await page.locator('.el-dialog', { hasText: '批量设置号源' }).getByRole('button', { name: '取消' }).click()
  await page.locator('[data-testid="batch-save"]').waitFor({ state: 'hidden' })
  const saved = await apiCall<{ days: { date: string; capacity: number; open: boolean }[] }>(
    BASE_URL, 'GET', `/api/console/quota?from=${state.day}&to=${state.day}`, undefined, state.token,
  )
  assert.deepEqual(
    saved.days.map((d) => [d.date, d.capacity, d.open]),
    [[state.day, state.capacity, true]],
  )
}])

function reportRow(page: Page) {
  const booking = state.booking!
  return page.locator('[data-testid="bookings-table"] .el-table__body tr', { hasText: booking.billNo })
}

steps.push(['see a booking in the report', async (page) => {
  state.booking = await seedBooking(BASE_URL, state.day)
  const { name, date } = state.booking
  await page.goto(`/bookings?from=${date}&to=${date}&q=${encodeURIComponent(name)}`)
  await settle(page)
  await reportRow(page).first().waitFor()
  assert.equal(await reportRow(page).count(), 1)
  assert.match((await reportRow(page).textContent()) ?? '', new RegExp(name))
  await shot(page, '07-booked-patients')
}])

steps.push(['download the Excel file and check its rows', async (page) => {
  const { name, date } = state.booking!
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="bookings-export-xlsx"]')])
  assert.match(download.suggestedFilename(), /\.xlsx$/)
  const file = path.join(ARTIFACTS, 'booked-patients.xlsx')
  await download.saveAs(file)
  const rows = readFirstSheet(await readFile(file))
  const query = `from=${date}&to=${date}&q=${encodeURIComponent(name)}&format=json&page=1&page_size=500`
  const report = await apiCall<{ items: { bill_no: string; patient_name: string }[]; total: number }>(
    BASE_URL, 'GET', `/api/console/reports/booked-patients?${query}`, undefined, state.token,
  )
  const billNos = new Set(report.items.map((r) => r.bill_no))
  const dataRows = rows.filter((cells) => cells.some((c) => billNos.has(c)))
  assert.equal(dataRows.length, report.total, 'the Excel file holds exactly the rows of the report')
  assert.ok(dataRows.some((cells) => cells.includes(name)), 'the seeded patient is in the Excel file')
}])

steps.push(['confirm the patient and see the row leave', async (page) => {
  const { name } = state.booking!
  await reportRow(page).getByRole('button', { name: '确认' }).click()
  const box = page.locator('.el-message-box')
  await box.waitFor()
  assert.match((await box.textContent()) ?? '', new RegExp(name))
  await shot(page, '08-confirm-dialog')
  await box.getByRole('button', { name: '确认' }).click()
  await reportRow(page).waitFor({ state: 'detached' })
  await page.locator('.el-message-box').waitFor({ state: 'hidden' })
  await shot(page, '09-after-confirm')
  await page.click('#tab-confirmed')
  await page.locator('[data-testid="confirmed-table"] .el-table__body tr', { hasText: name }).waitFor()
  await shot(page, '10-confirmed')
}])

/** Open a day for booking through the API (capacity, open), as the steps below need it. */
async function openDay(day: string, capacity = 50): Promise<void> {
  await apiCall(BASE_URL, 'PUT', `/api/console/quota/${day}`, { capacity, open: true }, state.token)
}

async function bookingDay(id: number | string): Promise<{ date: string; status: string }> {
  const query = `status=booked&from=${todayInShanghai()}&to=${addDays(todayInShanghai(), 60)}&page_size=500`
  for (const status of ['booked', 'no_show', 'cancelled']) {
    const found = await apiCall<{ items: { booking_id: number | string; date: string; status?: string }[] }>(
      BASE_URL, 'GET', `/api/console/bookings?${query.replace('status=booked', `status=${status}`)}`, undefined, state.token,
    )
    const row = found.items.find((r) => String(r.booking_id) === String(id))
    if (row) return { date: row.date, status }
  }
  throw new Error(`booking ${id} not found`)
}

/** The next day after `day` that the rules let patients book (not a closed weekday nor a holiday). */
async function nextDay(day: string): Promise<string> {
  const rules = await apiCall<Rules>(BASE_URL, 'GET', '/api/console/booking-rules', undefined, state.token)
  let next = addDays(day, 1)
  while (rules.closed_weekdays.includes(isoWeekday(next))) next = addDays(next, 1)
  return next
}

async function goToMonth(page: Page, day: string): Promise<void> {
  await page.goto('/quota')
  await settle(page)
  const wanted = `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月`
  for (let i = 0; i < 13 && (await page.textContent('[data-testid="quota-month"]')) !== wanted; i++) {
    await page.click('[data-testid="quota-next-month"]')
    await settle(page)
  }
}

steps.push(['reschedule a patient as staff', async (page) => {
  const target = await nextDay(state.day)
  await openDay(target)
  const booking = await seedBooking(BASE_URL, state.day)
  await page.goto(`/bookings?from=${booking.date}&to=${booking.date}&q=${encodeURIComponent(booking.name)}`)
  await settle(page)
  await page.click(`[data-testid="reschedule-${booking.id}"]`)
  await page.locator('[data-testid="staff-action-submit"]').waitFor()
  const date = page.locator('.el-dialog .el-form-item', { hasText: '改约到' }).locator('input').first()
  await date.fill(target)
  await date.press('Enter')
  await page.fill('input[data-testid="staff-action-reason"]', '患者来电改约')
  await shot(page, '18-staff-reschedule')
  await page.click('[data-testid="staff-action-submit"]')
  await page.locator('[data-testid="staff-action-submit"]').waitFor({ state: 'hidden' })
  assert.deepEqual(await bookingDay(booking.id), { date: target, status: 'booked' })
}])

steps.push(['close a booked day and move its bookings', async (page) => {
  const closing = await nextDay(await nextDay(state.day))
  const target = await nextDay(closing)
  await openDay(closing)
  await openDay(target)
  const booking = await seedBooking(BASE_URL, closing)
  await goToMonth(page, closing)
  await page.click(`[data-testid="quota-day-${closing}"]`)
  await page.locator('[data-testid="day-edit-save"]').waitFor()
  const open = page.locator('[data-testid="day-edit-open"]')
  if ((await open.getAttribute('class'))?.includes('is-checked')) await open.click()
  await page.click('[data-testid="day-edit-save"]')
  await page.locator('[data-testid="closure-count"]').waitFor()
  assert.match((await page.textContent('[data-testid="closure-count"]')) ?? '', /1 个预约/)
  const moveTo = page.locator('.el-dialog .el-date-editor input').first()
  await moveTo.fill(target)
  await moveTo.press('Enter')
  await page.fill('input[data-testid="closure-reason"]', '设备检修')
  await shot(page, '19-quota-close-booked')
  await page.click('[data-testid="day-edit-save"]')
  await page.locator('[data-testid="day-edit-save"]').waitFor({ state: 'hidden' })
  assert.deepEqual(await bookingDay(booking.id), { date: target, status: 'booked' })
  const saved = await apiCall<{ days: { open: boolean }[] }>(
    BASE_URL, 'GET', `/api/console/quota?from=${closing}&to=${closing}`, undefined, state.token,
  )
  assert.equal(saved.days[0].open, false)
}])

steps.push(['mark a no-show', async (page) => {
  // A booking of today: let patients book today for a moment (min_days_ahead 0), book, put the rule back.
  const today = todayInShanghai()
  const rules = await apiCall<Rules & Record<string, unknown>>(BASE_URL, 'GET', '/api/console/booking-rules', undefined, state.token)
  const { next_opening: _next, ...kept } = rules
  await openDay(today)
  await apiCall(BASE_URL, 'PUT', '/api/console/booking-rules', { ...kept, min_days_ahead: 0 }, state.token)
  let booking: SeededBooking
  try {
    booking = await seedBooking(BASE_URL, today)
  } finally {
    await apiCall(BASE_URL, 'PUT', '/api/console/booking-rules', kept, state.token)
  }
  await page.goto(`/bookings?from=${today}&to=${today}&q=${encodeURIComponent(booking.name)}`)
  await settle(page)
  await page.click(`[data-testid="no-show-${booking.id}"]`)
  const box = page.locator('.el-message-box')
  await box.waitFor()
  assert.match((await box.textContent()) ?? '', new RegExp(booking.name))
  await shot(page, '20-no-show')
  await box.getByRole('button', { name: '确认' }).click()
  await page.locator(`[data-testid="no-show-${booking.id}"]`).waitFor({ state: 'detached' })
  assert.equal((await bookingDay(booking.id)).status, 'no_show')
}])

steps.push(['screenshot the other pages', async (page) => {
  const pages: [string, string][] = [
    ['payments', '11-payments'],
    ['reconciliation', '12-reconciliation'],
    ['packages', '13-packages'],
    ['staff', '14-staff'],
    ['opendata', '16-opendata'],
    ['audit', '17-audit'],
    ['operations/report', '22-operations-report'],
    ['operations/selfcheck', '23-selfcheck'],
  ]
  for (const [route, name] of pages) {
    await page.goto(`/${route}`)
    await settle(page)
    assert.equal(new URL(page.url()).pathname, `/${route}`)
    await shot(page, name)
    if (route === 'staff') {
      await page.click('[data-testid="staff-create"]')
      await page.locator('[data-testid="staff-save"]').waitFor()
      await shot(page, '15-staff-create')
      await page.locator('.el-dialog', { hasText: '新建账号' }).getByRole('button', { name: '取消' }).click()
      await page.locator('[data-testid="staff-save"]').waitFor({ state: 'hidden' })
      // 编辑 one's own account: the admin role is locked; the name is saved
      await page.click('[data-testid="staff-edit-admin"]')
      await page.locator('[data-testid="staff-edit-save"]').waitFor()
      assert.match((await page.locator('[data-testid="staff-edit-own-admin"]').textContent()) ?? '', /不能取消自己的管理员角色/)
      assert.equal(await page.locator('[data-testid="staff-edit-role-admin"] input').isDisabled(), true)
      await page.fill('input[data-testid="staff-edit-name"], [data-testid="staff-edit-name"] input', '系统管理员（信息科）')
      await shot(page, '21-staff-edit')
      await page.click('[data-testid="staff-edit-save"]')
      await page.locator('[data-testid="staff-edit-save"]').waitFor({ state: 'hidden' })
      await page.locator('[data-testid="staff-table"]', { hasText: '系统管理员（信息科）' }).waitFor()
      await page.locator('[data-testid="current-user"]', { hasText: '系统管理员（信息科）' }).waitFor()
    }
  }
}])

async function main(): Promise<number> {
  await mkdir(ARTIFACTS, { recursive: true })
  if (MANUAL_DIR) await mkdir(MANUAL_DIR, { recursive: true })
  let browser: Browser | null = null
  let passed = 0
  let failed = 0
  try {
    browser = await chromium.launch({
      executablePath: process.env.CONSOLE_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    })
    const context = await browser.newContext({
      baseURL: BASE_URL,
      acceptDownloads: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 1280, height: 800 },
    })
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    for (const [name, run] of steps) {
      try {
        await run(page)
        passed++
        console.log(`ok - ${name}`)
      } catch (error) {
        failed++
        console.log(`not ok - ${name}\n${error instanceof Error ? error.stack : String(error)}`)
        await shot(page, `failure-${passed + failed}`).catch(() => undefined)
        break // later steps depend on this one
      }
    }
    failed += steps.length - passed - failed
  } finally {
    await browser?.close()
  }
  console.log(`screenshots: ${ARTIFACTS}`)
  console.log(`${passed} passed, ${failed} failed`)
  return failed === 0 ? 0 : 1
}

process.exitCode = await main()

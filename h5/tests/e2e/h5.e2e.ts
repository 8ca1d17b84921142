/**
 * End-to-end run of the official account's H5 pages against the running product (`checkup run`, sandbox on),
 * in Debian's chromium (playwright-core, no browser download) with a phone viewport and WeChat's user agent:
 * OAuth login through the sandbox WeChat, a 就诊人, flow 1 (缴费 on a package) and flow 2 (an order opened on
 * site) both paid in the sandbox cashier (WeixinJSBridge getBrandWCPayRequest) with the official account's
 * appid in the WeChat Pay order, booking and cancelling. Run: `npm run e2e`.
 *
 * Environment: H5_E2E_BASE_URL (required), H5_E2E_OA_APPID (default the sandbox's), H5_E2E_CHROMIUM
 * (default /usr/bin/chromium), MANUAL_SCREENSHOTS_DIR (also write the manual's screenshots there).
 */
import assert from 'node:assert/strict'
import { copyFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const ARTIFACTS = path.resolve(here, '../../test-artifacts')
const MANUAL_DIR = process.env.MANUAL_SCREENSHOTS_DIR || ''
const BASE = (process.env.H5_E2E_BASE_URL ?? '').replace(/\/$/, '')
const OA_APPID = process.env.H5_E2E_OA_APPID ?? 'wx00000000000000oa'
const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) '
  + 'Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN'
if (!BASE) throw new Error('set H5_E2E_BASE_URL')

/** A valid 18-digit ID number (GB 11643 checksum). */
function idNumber(seq: number): string {
  const body = `110101198506${String(10 + (seq % 18)).padStart(2, '0')}${String(100 + (seq % 800)).padStart(3, '0')}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

async function control<T>(method: string, p: string, body?: unknown): Promise<T> {
  const r = await fetch(`${BASE}/sandbox/control/${p}`, {
    method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  })
  const data = await r.json()
  assert.ok(r.ok, `${method} ${p}: ${JSON.stringify(data)}`)
  return data as T
}

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`)
  await page.screenshot({ path: file })
  if (MANUAL_DIR) await copyFile(file, path.join(MANUAL_DIR, `${name}.png`))
}

/** Pay the charge on screen through the sandbox cashier; answers the WeChat Pay order as the sandbox saw it. */
async function payInCashier(page: Page, billNo: string): Promise<{ appid: string; openid: string }> {
  const card = page.getByTestId(`charge-${billNo}`)
  const created = page.waitForResponse((r) => r.url().endsWith('/api/me/payments') && r.request().method() === 'POST')
  await card.getByRole('button', { name: /^缴费/ }).click()
  const payment = await (await created).json()
  assert.equal(payment.pay_params.appId, OA_APPID, 'the page pays under the official account appid')
  const cashier = page.getByTestId('sandbox-cashier')
  await cashier.waitFor()
  await cashier.getByText(`appid ${OA_APPID}`).waitFor()
  return { ...(await control<{ order: { appid: string; openid: string } }>('GET', `wechatpay/orders/${payment.payment_no}`)).order, payment_no: payment.payment_no } as never
}

async function main(): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true })
  if (MANUAL_DIR) await mkdir(MANUAL_DIR, { recursive: true })
  const browser = await chromium.launch({
    executablePath: process.env.H5_E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  })
  try {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
      userAgent: WECHAT_UA, locale: 'zh-CN',
    })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    const person = `e2e-${Date.now()}`

    // Login: the menu opens /h5/, which leaves for WeChat's authorisation and comes back with a code.
    await page.goto(`${BASE}/h5/`)
    await page.getByLabel('微信用户代号').fill(person)
    await shot(page, 'h5-01-wechat-authorise')
    await page.getByRole('button', { name: '以此身份进入' }).click()
    await page.waitForURL(/\/h5\/#\/packages$/)
    assert.ok(!page.url().includes('code='), 'the single-use code is dropped from the address')

    // 就诊人 (with consent; with SMS verification where the backend asks for it).
    await page.goto(`${BASE}/h5/#/patients`)
    const id = idNumber(Date.now() % 100000)
    const phone = `139${String(Date.now()).slice(-8)}`
    await page.getByRole('textbox', { name: '姓名' }).fill('张三')
    await page.getByRole('textbox', { name: '身份证号' }).fill(id)
    await page.getByRole('textbox', { name: '手机号' }).fill(phone)
    await page.getByLabel('同意个人信息处理规则').click()
    await page.getByRole('button', { name: '添加就诊人' }).click()
    await page.getByText('张三').first().waitFor()
    // The backend sends the code as soon as the 就诊人 is added; nothing of theirs is reachable before it is entered.
    const codeBox = page.getByRole('textbox', { name: '短信验证码' })
    await codeBox.waitFor()
    let sms = await control<{ items: { code: string }[] }>('GET', `sms/messages?phone=${phone}`)
    for (let tries = 0; sms.items.length === 0 && tries < 40; tries++) {
      await page.waitForTimeout(250)
      sms = await control<{ items: { code: string }[] }>('GET', `sms/messages?phone=${phone}`)
    }
    assert.ok(sms.items.length > 0, 'the sandbox SMS service received the verification code')
    await codeBox.fill(sms.items[0].code) // newest first
    await page.getByRole('button', { name: '提交验证码' }).click()
    await page.getByText('验证成功').waitFor()
    await shot(page, 'h5-02-patients')

    // Flow 1: 个人体检 → 缴费 on a package → 体检缴费 (待缴费) → pay in the cashier.
    await page.goto(`${BASE}/h5/#/packages`)
    const firstPackage = page.locator('[data-testid^="package-"]').first()
    await firstPackage.waitFor()
    await shot(page, 'h5-03-packages')
    const packageCode = (await firstPackage.getAttribute('data-testid'))!.replace('package-', '')
    await firstPackage.getByRole('button', { name: /^缴费/ }).click()
    await page.waitForURL(/#\/charges/)
    const unpaid = page.locator('[data-testid^="charge-"]').first()
    await unpaid.waitFor()
    await shot(page, 'h5-04-charges-unpaid')
    const billNo = (await unpaid.getAttribute('data-testid'))!.replace('charge-', '')
    const order = await payInCashier(page, billNo)
    assert.equal(order.appid, OA_APPID, 'the WeChat Pay order carries the official account appid')
    await shot(page, 'h5-05-cashier')
    await page.getByRole('button', { name: '确认支付' }).click()
    const paidCard = page.getByTestId(`charge-${billNo}`)
    await paidCard.getByRole('button', { name: /^预约/ }).waitFor({ timeout: 30_000 })
    await shot(page, 'h5-06-charges-paid')

    // 预约 → 预约记录 → cancel.
    await paidCard.getByRole('button', { name: /^预约/ }).click()
    const day = page.locator('[data-testid^="day-"]').first()
    await day.click()
    await shot(page, 'h5-07-book')
    await page.getByRole('button', { name: '确认预约' }).click()
    await page.waitForURL(/#\/bookings\/\d+/)
    const booking = page.locator('[data-testid^="booking-"]').first()
    await booking.getByText('已预约').or(booking.getByText('booked')).first().waitFor()
    await shot(page, 'h5-08-bookings')
    await booking.getByRole('button', { name: /取消/ }).click()
    await page.getByRole('button', { name: '确认' }).click()
    await booking.getByText('已取消').waitFor()

    // Flow 2: the centre opened the order on site; the patient pays it from 体检缴费.
    const onsite = await control<{ bill_no: string }>('POST', 'onsite-orders', { name: '张三', id_number: id, phone, package_code: packageCode })
    await page.goto(`${BASE}/h5/#/charges?tab=unpaid`)
    await page.getByTestId(`charge-${onsite.bill_no}`).waitFor()
    const order2 = await payInCashier(page, onsite.bill_no)
    assert.equal(order2.appid, OA_APPID)
    await page.getByRole('button', { name: '确认支付' }).click()
    await page.getByTestId(`charge-${onsite.bill_no}`).getByRole('button', { name: /^预约/ }).waitFor({ timeout: 30_000 })

    // 长辈模式: larger text everywhere.
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))
    await page.getByRole('switch', { name: '长辈模式' }).click()
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize))
    assert.ok(after > before, `长辈模式 enlarges the text (${before} → ${after})`)
    await shot(page, 'h5-09-elder-mode')
    console.log('h5 e2e: login, 就诊人, flow 1 and flow 2 paid in the sandbox cashier under', OA_APPID, ', booked and cancelled')
  } finally {
    await browser.close()
  }
}

main().catch((error) => { console.error(error); process.exit(1) })

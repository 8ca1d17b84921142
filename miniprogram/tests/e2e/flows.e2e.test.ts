/**
 * The two patient flows with the mini-program's own services/ code, in Node, against a real
 * backend (sandbox on: sandbox HIS, PEIS, WeChat and WeChat Pay). Nothing here is faked: the
 * login code goes to the sandbox WeChat, the order to the sandbox PEIS, the payment through the
 * sandbox's pay control, the signed notification back to the backend, the write-back to the
 * sandbox HIS by the backend's worker, and the subscription messages to the sandbox WeChat.
 *
 *   CHECKUP_E2E_BASE_URL=http://127.0.0.1:8000 npm run test:e2e   (make test-miniprogram-e2e does it all)
 */
import { config } from '../../miniprogram/config'
import { currentToken, login } from '../../miniprogram/services/auth'
import { Booking, cancelBooking, changeRule, listBookings } from '../../miniprogram/services/bookings'
import { centreNoticeLines, getCentre } from '../../miniprogram/services/centre'
import { activeBooking, canBook, canRefund, listCharges } from '../../miniprogram/services/charges'
import { ApiError } from '../../miniprogram/services/errors'
import { loadCalendar, submitBooking } from '../../miniprogram/services/flows/booking'
import { payCharges } from '../../miniprogram/services/flows/pay'
import { memoryPendingStore } from '../../miniprogram/services/flows/pending-payments'
import { createOrder } from '../../miniprogram/services/orders'
import { getPackage, listPackages, packageFits } from '../../miniprogram/services/packages'
import { addPatient, listPatients, Patient, sendVerificationCode, verifyPatient } from '../../miniprogram/services/patients'
import { getPrivacyNotice, giveConsent } from '../../miniprogram/services/privacy'
import { idCheckChar } from '../../miniprogram/utils/id-card'
import { serverFieldErrors } from '../../miniprogram/utils/validate'
import { installNodeWx, NodeWx } from './wx-node'

const BASE = (process.env.CHECKUP_E2E_BASE_URL || '').replace(/\/+$/, '')
const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`

/** A valid resident ID number nobody else in this run has (odd sequence digit: male). */
function idNumber(n: number, male = true): string {
  const birth = `19${60 + (n % 30)}0${1 + (n % 9)}1${n % 10}`
  const seq = String((Math.floor(Math.random() * 400) * 2 + (male ? 1 : 0)) % 1000).padStart(3, '0')
  const first17 = `110105${birth}${seq}`
  return first17 + idCheckChar(first17)
}

/** Calls the center or a test makes outside the mini-program (the sandbox's control API). */
async function control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${BASE}/sandbox/control/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} /sandbox/control/${path}: ${res.status} ${text}`)
  return JSON.parse(text) as T
}

interface SentMessage {
  template_id: string
  page: string
  data: Record<string, { value: string }>
}

/** The subscription messages the sandbox WeChat received that open this page (the worker sends them). */
async function messagesTo(page: string, count: number): Promise<SentMessage[]> {
  const until = Date.now() + 20000
  for (;;) {
    const { items } = await control<{ items: SentMessage[] }>('GET', 'wechat/messages')
    const found = items.filter((m) => m.page === page)
    if (found.length >= count || Date.now() > until) return found
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

/** Two bookable days of the calendar the patient sees, the first one first. */
async function twoBookableDays(): Promise<[string, string]> {
  const months = await loadCalendar()
  const days = months.flatMap((m) => m.cells).filter((c) => c.selectable).map((c) => c.date)
  expect(days.length).toBeGreaterThanOrEqual(2)
  return [days[0], days[1]]
}

function actAs(code: string): NodeWx {
  return installNodeWx({ loginCode: `${code}-${RUN}` })
}

/** Consent to the privacy notice, as the consent screen does before the first 就诊人. */
async function consent(): Promise<void> {
  const notice = await getPrivacyNotice()
  expect(notice.text).toContain('个人信息')
  expect(await giveConsent(notice.version)).toMatchObject({ version: notice.version })
}

/** The newest code the sandbox SMS service delivered to this phone. */
async function textedCode(phone: string): Promise<string> {
  const { items } = await control<{ items: { code: string; text: string }[] }>('GET', `sms/messages?phone=${phone}`)
  expect(items[0].text).toContain(items[0].code)
  return items[0].code
}

async function newPatient(name: string, id: string, phone: string): Promise<Patient> {
  await consent()
  const added = await addPatient({ name, id_number: id, phone })
  expect(added).toMatchObject({ name, sex: 'male', is_default: expect.any(Boolean), verified: false })
  expect(added.id_number_masked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`)
  expect(added.phone_masked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`)
  const refused = await fetch(`${BASE}/api/me/charges?patient_id=${added.id}`, {
    headers: { Authorization: `Bearer ${currentToken()}` },
  })
  expect(refused.status).toBe(403)
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('PATIENT_NOT_VERIFIED')
  const sent = await sendVerificationCode(added.id)
  expect(sent.phone_masked).toBe(added.phone_masked)
  const wrong = await verifyPatient(added.id, '000000').catch((e) => e)
  expect(wrong).toMatchObject({ status: 422, code: 'VERIFICATION_FAILED' })
  const patient = await verifyPatient(added.id, await textedCode(phone))
  expect(patient).toMatchObject({ id: added.id, verified: true })
  expect((await listPatients()).map((p) => p.id)).toContain(patient.id)
  return patient
}

async function payAndSee(patient: Patient, billNo: string): Promise<void> {
  const states: string[] = []
  const result = await payCharges(
    { patientId: patient.id, billNos: [billNo] },
    { sandbox: true, deps: { pending: memoryPendingStore() }, onState: (s) => states.push(s) },
  )
  expect(result).toMatchObject({ state: 'paid', message: expect.stringContaining('支付成功') })
  expect(states).toEqual(['creating', 'paying', 'confirming'])
  expect(result.payment).toMatchObject({ status: 'paid', bill_nos: [billNo], paid_at: expect.any(String) })
  const paid = await listCharges(patient.id, 'paid')
  const charge = paid.find((c) => c.bill_no === billNo)!
  expect(charge.status).toBe('paid')
  expect(canBook(charge) && canRefund(charge)).toBe(true)
  expect((await listCharges(patient.id, 'unpaid')).map((c) => c.bill_no)).not.toContain(billNo)
}

/** 预约, see it in 预约记录, 改约, 取消; the charge can be booked again afterwards. */
async function bookRescheduleCancel(patient: Patient, billNo: string): Promise<Booking> {
  const [first, second] = await twoBookableDays()
  const booked = await submitBooking({ date: first, billNo })
  expect(booked).toMatchObject({ bill_no: billNo, patient_id: patient.id, date: first, status: 'booked' })

  const record = (await listBookings()).find((b) => b.id === booked.id)!
  expect(record).toMatchObject({ status: 'booked', date: first, patient_name: patient.name, can_change: true })
  expect(record.package_name).toBeTruthy()
  expect(changeRule(record).allowed).toBe(true)
  const charge = (await listCharges(patient.id, 'paid')).find((c) => c.bill_no === billNo)!
  expect(activeBooking(charge)).toMatchObject({ id: booked.id })
  expect(canBook(charge) || canRefund(charge)).toBe(false)

  const moved = await submitBooking({ date: second, bookingId: booked.id })
  expect(moved).toMatchObject({ id: booked.id, date: second, status: 'booked' })
  const cancelled = await cancelBooking(booked.id)
  expect(cancelled).toMatchObject({ id: booked.id, status: 'cancelled' })
  const after = (await listBookings()).find((b) => b.id === booked.id)!
  expect(after.status).toBe('cancelled')
  expect(changeRule(after).allowed).toBe(false)
  expect(canBook((await listCharges(patient.id, 'paid')).find((c) => c.bill_no === billNo)!)).toBe(true)

  // The worker told the patient each time (sandbox templates, field values WeChat accepts).
  const sent = await messagesTo(`pages/booking/detail/index?id=${booked.id}`, 3)
  expect(sent.map((m) => m.template_id)).toEqual(['sandbox-tmpl-booking', 'sandbox-tmpl-change', 'sandbox-tmpl-cancel'])
  expect(JSON.stringify(sent)).not.toContain(patient.name)
  return booked
}

beforeAll(() => {
  if (!BASE) throw new Error('set CHECKUP_E2E_BASE_URL to a running backend with the sandbox on (make test-miniprogram-e2e)')
  config.apiBaseUrl = BASE
  config.sandboxPay = true
  config.payPollIntervalMs = 300
  config.payPollTimeoutMs = 30000
})

describe('flow 1: 个人体检 — the patient orders online, pays, books', () => {
  it('login, 就诊人, order, pay, book, record, reschedule, cancel', async () => {
    const nodeWx = actAs('flow1')
    const token = await login()
    expect(currentToken()).toBe(token)

    const id = idNumber(1)
    const patient = await newPatient('张建国', id, '13800138001')

    const packages = await listPackages()
    const pkg = packages.find((p) => packageFits(p, patient.sex) && p.price_fen > 0)!
    expect(pkg).toBeTruthy()
    expect((await getPackage(pkg.code)).items.length).toBeGreaterThan(0)

    // 体检须知: the centre-wide notes from the backend's setting, which the package's PEIS notes agree with
    const centreNotes = centreNoticeLines(await getCentre())
    expect(centreNotes.length).toBeGreaterThan(0)
    expect(String((await getPackage(pkg.code)).notes)).toContain(centreNotes[0])

    const charge = await createOrder({ patientId: patient.id, packageCode: pkg.code })
    expect(charge).toMatchObject({ status: 'unpaid', amount_fen: pkg.price_fen, package_code: pkg.code })
    const unpaid = await listCharges(patient.id, 'unpaid')
    expect(unpaid.map((c) => c.bill_no)).toContain(charge.bill_no)
    expect(unpaid.find((c) => c.bill_no === charge.bill_no)!.package_name).toBe(pkg.name) // the card's title

    await payAndSee(patient, charge.bill_no)
    const paidMessages = await messagesTo(`pages/pay/index/index?patient_id=${patient.id}&tab=paid`, 1)
    expect(paidMessages.map((m) => m.template_id)).toEqual(['sandbox-tmpl-payment'])

    await bookRescheduleCancel(patient, charge.bill_no)
    expect(nodeWx.toasts).toEqual([]) // nothing went wrong on the way
  })

  it('the server refuses a bad 就诊人 and says which field', async () => {
    const nodeWx = actAs('refusals')
    await consent()
    const good = idNumber(2)
    const badChecksum = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const refusal = await addPatient({ name: '李四', id_number: badChecksum, phone: '13800138002' }).catch((e) => e)
    expect(refusal).toBeInstanceOf(ApiError)
    expect(refusal).toMatchObject({ status: 422, code: 'INVALID_ID_NUMBER' })
    expect(serverFieldErrors(refusal)).toEqual({ id_number: refusal.message })

    const schema = await addPatient({ name: '李'.repeat(51), id_number: good, phone: '13800138002' }).catch((e) => e)
    expect(schema).toMatchObject({ status: 422, code: 'VALIDATION_ERROR' })
    expect(Object.keys(serverFieldErrors(schema))).toEqual(['name'])
    expect(nodeWx.toasts).toEqual([refusal.message, schema.message]) // the patient read the server's words
  })
})

describe('flow 2: 开单后缴费 — the center opened the order on site', () => {
  it('the charge appears, is paid, booked, rescheduled, cancelled', async () => {
    actAs('flow2')
    const id = idNumber(3)
    const patient = await newPatient('王德明', id, '13800138003')
    const pkg = (await listPackages()).find((p) => packageFits(p, patient.sex))!
    const order = await control<{ bill_no: string; amount_fen: number }>('POST', 'onsite-orders', {
      name: '王德明',
      id_number: id,
      phone: '13800138003',
      package_code: pkg.code,
    })
    const unpaid = await listCharges(patient.id, 'unpaid')
    expect(unpaid.find((c) => c.bill_no === order.bill_no)).toMatchObject({ status: 'unpaid', amount_fen: order.amount_fen })

    await payAndSee(patient, order.bill_no)
    await bookRescheduleCancel(patient, order.bill_no)
  })
})

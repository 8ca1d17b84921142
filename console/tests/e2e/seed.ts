/**
 * Puts one booked patient into the product through its public HTTP API and the sandbox control API
 * (API.md): the center opens an order on site that the patient paid at the window, the patient adds
 * themself in the mini-program and books the day.
 */

export interface SeededBooking {
  id: number | string
  name: string
  billNo: string
  date: string
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** A valid 18-character resident ID number (GB 11643 checksum) for a made-up person. */
export function fakeIdNumber(random: () => number = Math.random): string {
  const seq = String(100 + Math.floor(random() * 900))
  const first17 = `110101${1970 + Math.floor(random() * 30)}0${1 + Math.floor(random() * 9)}1${Math.floor(random() * 9)}${seq}`
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * WEIGHTS[i], 0)
  return first17 + CHECK[sum % 11]
}

function fakeName(): string {
  const chars = '安宁乐平和康泰嘉怡欣悦晨明'
  const pick = () => chars[Math.floor(Math.random() * chars.length)]
  return `测试${pick()}${pick()}`
}

async function call<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (token) headers.Authorization = `Bearer ${token}`
  const response = await fetch(new URL(path, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

export async function consoleLogin(base: string, username: string, password: string): Promise<string> {
  const answer = await call<{ token: string }>(base, 'POST', '/api/console/login', { username, password })
  return answer.token
}

export { call as apiCall }

/** The patient consents to the privacy notice, adds the 就诊人 and enters the code texted to the phone. */
async function verifiedPatient(base: string, token: string, person: { name: string; id_number: string; phone: string }): Promise<{ id: number }> {
  const notice = await call<{ version: string }>(base, 'GET', '/api/privacy-notice')
  await call(base, 'POST', '/api/me/consents', { version: notice.version }, token)
  const patient = await call<{ id: number }>(base, 'POST', '/api/me/patients', person, token)
  const sent = await call<{ phone_masked: string }>(base, 'POST', `/api/me/patients/${patient.id}/verification-code`, undefined, token)
  const texts = await call<{ items: { phone: string; code: string }[] }>(base, 'GET', '/sandbox/control/sms/messages')
  const text = texts.items.find((t) => `${t.phone.slice(0, 3)}****${t.phone.slice(-4)}` === sent.phone_masked)
  if (!text) throw new Error(`no verification text to ${sent.phone_masked}`)
  return call<{ id: number }>(base, 'POST', `/api/me/patients/${patient.id}/verify`, { code: text.code }, token)
}

export async function seedBooking(base: string, date: string): Promise<SeededBooking> {
  const name = fakeName()
  const idNumber = fakeIdNumber()
  const phone = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`

  // A package for either sex: the made-up ID number may be a man's or a woman's.
  const packages = await call<{ items: { code: string; sex: string }[] }>(base, 'GET', '/api/packages')
  const pkg = packages.items.find((p) => p.sex === 'any')
  if (!pkg) throw new Error('no online package for either sex to order')
  const order = await call<{ bill_no: string }>(base, 'POST', '/sandbox/control/onsite-orders', {
    name,
    id_number: idNumber,
    phone,
    package_code: pkg.code,
    paid: true,
  })

  const { token } = await call<{ token: string }>(base, 'POST', '/api/auth/wechat', { code: `console-e2e-${Date.now()}` })
  const patient = await verifiedPatient(base, token, { name, id_number: idNumber, phone })
  const charges = await call<{ items: { bill_no: string }[] }>(base, 'GET', `/api/me/charges?patient_id=${patient.id}&status=paid`, undefined, token)
  if (!charges.items.some((c) => c.bill_no === order.bill_no)) throw new Error(`paid charge ${order.bill_no} not listed for the patient`)
  const booking = await call<{ id: number | string }>(base, 'POST', '/api/me/bookings', { bill_no: order.bill_no, date }, token)
  return { id: booking.id, name, billNo: order.bill_no, date }
}

/** A patient orders a package in the mini-program (flow 1) and pays it through the sandbox's WeChat Pay. */
export async function seedWechatPayment(base: string): Promise<{ paymentNo: string }> {
  const packages = await call<{ items: { code: string; sex: string }[] }>(base, 'GET', '/api/packages')
  const pkg = packages.items.find((p) => p.sex === 'any')
  if (!pkg) throw new Error('no online package for either sex to order')
  const { token } = await call<{ token: string }>(base, 'POST', '/api/auth/wechat', { code: `console-e2e-pay-${Date.now()}` })
  const phone = `138${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
  const patient = await verifiedPatient(base, token, { name: fakeName(), id_number: fakeIdNumber(), phone })
  const order = await call<{ charge: { bill_no: string } }>(base, 'POST', '/api/me/orders', { patient_id: patient.id, package_code: pkg.code }, token)
  const payment = await call<{ payment_no: string }>(base, 'POST', '/api/me/payments', { patient_id: patient.id, bill_nos: [order.charge.bill_no] }, token)
  await call(base, 'POST', '/sandbox/control/pay', { payment_no: payment.payment_no })
  return { paymentNo: payment.payment_no }
}

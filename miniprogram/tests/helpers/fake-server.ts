/**
 * An in-memory stand-in for the backend's patient API (docs/interfaces/api-contract.md), with the same paths, fields,
 * error shape and rules the pages depend on. Tests drive the outside world through its methods
 * (fill a day, expire tokens, decide how a payment ends).
 */

import { addDays, todayInShanghai } from '../../miniprogram/utils/date'

// The server's words (checkup.domain.booking BOOKING_STATUS_TEXT, CHARGE_STATUS_TEXT), sent as status_text.
const BOOKING_STATUS_TEXT: Record<string, string> = { booked: '已预约', confirmed: '已确认', cancelled: '已取消', no_show: '未到检' }
const CHARGE_STATUS_TEXT: Record<string, string> = {
  unpaid: '待缴费',
  paying: '缴费确认中',
  paid: '已缴费',
  refunding: '退款处理中',
  refunded: '已退款',
  cancelled: '已作废',
}

export interface FakeRequest {
  method: string
  path: string
  query: Record<string, string>
  body: any
  headers: Record<string, string>
}

export interface FakeResponse {
  status: number
  body: unknown
}

interface PatientRow {
  id: number
  owner: string
  name: string
  sex: 'male' | 'female'
  birth_date: string
  id_number: string
  phone: string
  is_default: boolean
  /** false until the code texted to the phone was entered (rows added by tests start verified) */
  verified: boolean
  wrongCodes: number
}

interface ChargeRow {
  bill_no: string
  patient_id: number
  item_name: string
  amount_fen: number
  status: string
  package_code?: string
}

interface PaymentRow {
  payment_no: string
  owner: string
  bill_nos: string[]
  amount_fen: number
  status: string
  paid_at: string | null
  prepay_id: string
}

interface BookingRow {
  id: number
  bill_no: string
  patient_id: number
  date: string
  status: 'booked' | 'confirmed' | 'cancelled'
}

interface DayRow {
  open: boolean
  capacity: number
  booked: number
}

export interface FakePackage {
  code: string
  name: string
  price_fen: number
  sex: 'any' | 'male' | 'female'
  summary: string
  items: string[]
  notes: string
}

export const PACKAGES: FakePackage[] = [
  {
    code: 'PKG-BASIC',
    name: '基础体检套餐',
    price_fen: 29900,
    sex: 'any',
    summary: '一般检查、血常规、肝肾功能、胸部DR',
    items: ['一般检查', '血常规', '肝功能', '肾功能', '胸部DR'],
    notes: '体检前一天晚上十点后禁食\n请携带身份证',
  },
  {
    code: 'PKG-FEMALE',
    name: '女性全面体检',
    price_fen: 128850,
    sex: 'female',
    summary: '含妇科检查、乳腺彩超',
    items: ['一般检查', '妇科检查', '乳腺彩超'],
    notes: '月经期间不宜做妇科检查',
  },
]

function error(status: number, code: string, message: string, details: Record<string, unknown> = {}): FakeResponse {
  return { status, body: { error: { code, message, details } } }
}

function mask(value: string, keepStart: number, keepEnd: number): string {
  if (value.length <= keepStart + keepEnd) return '*'.repeat(value.length) // short numbers (passports): all hidden
  return value.slice(0, keepStart) + '*'.repeat(value.length - keepStart - keepEnd) + value.slice(value.length - keepEnd)
}

export class FakeServer {
  readonly today = todayInShanghai()
  /** Every request the server saw, in order. */
  readonly log: FakeRequest[] = []
  packages: FakePackage[] = PACKAGES.map((p) => ({ ...p }))
  patients: PatientRow[] = []
  charges: ChargeRow[] = []
  payments: PaymentRow[] = []
  bookings: BookingRow[] = []
  days = new Map<string, DayRow>()
  /** Bookings whose change cutoff has passed. */
  cutoffPassed = new Set<number>()
  /** How many GET /api/me/payments/{no} answers stay pending after WeChat reported success. */
  confirmAfterPolls = 0
  /** What the payment becomes when the server learns of it: 'paid', 'closed' or 'refunding'. */
  paymentResult: 'paid' | 'closed' | 'refunding' = 'paid'
  /** Seconds a new token lives. */
  tokenLifetime = 7200
  /** Names the server refuses as the real one does a schema error: 422 with details.fields. */
  refusedNames = new Set<string>()
  readonly bookingWindowDays = 30
  /** The privacy notice in force, and the users (openids) who consented to it. */
  noticeVersion = '2026-12-03'
  consents = new Set<string>()
  /** The code the fake SMS service texts for each patient id. */
  texted = new Map<number, string>()
  /** Seconds the next send must wait (answers 429 SMS_TOO_FREQUENT while > 0). */
  sendWait = 0
  /** GET /api/centre: the centre's settings (CHECKUP_HOSPITAL_NAME, CHECKUP_CENTRE_PHONE, CHECKUP_CENTRE_NOTICE). */
  centre: { name: string; phone: string; notice: string; realname_verification?: boolean } = {
    name: '市人民医院体检中心', phone: '0571-87000000', notice: '体检当日早晨请空腹。\n请携带本人身份证。',
  }

  private tokens = new Map<string, string>()
  private seq = 1
  private pendingPolls = new Map<string, number>()

  // ---- control, for tests -------------------------------------------------

  /** Every token issued so far stops working (the server answers 401). */
  expireTokens(): void {
    this.tokens.clear()
  }

  addPatient(owner: string, p: Partial<PatientRow> & { name: string }): PatientRow {
    const row: PatientRow = {
      id: this.seq++,
      owner,
      sex: 'male',
      birth_date: '1960-03-07',
      id_number: '110105196003070013',
      phone: '13812345678',
      is_default: !this.patients.some((x) => x.owner === owner),
      verified: true,
      wrongCodes: 0,
      ...p,
    }
    this.patients.push(row)
    return row
  }

  addCharge(c: Partial<ChargeRow> & { patient_id: number }): ChargeRow {
    const row: ChargeRow = {
      bill_no: `B${1000 + this.seq++}`,
      item_name: '体检中心体检费',
      amount_fen: 29900,
      status: 'unpaid',
      package_code: 'PKG-BASIC',
      ...c,
    }
    this.charges.push(row)
    return row
  }

  addBooking(b: Partial<BookingRow> & { bill_no: string; patient_id: number; date: string }): BookingRow {
    const row: BookingRow = { id: this.seq++, status: 'booked', ...b }
    this.bookings.push(row)
    if (row.status !== 'cancelled') this.day(row.date).booked += 1
    return row
  }

  setDay(date: string, row: Partial<DayRow>): void {
    this.days.set(date, { ...this.day(date), ...row })
  }

  day(date: string): DayRow {
    let row = this.days.get(date)
    if (!row) {
      row = { open: true, capacity: 20, booked: 0 }
      this.days.set(date, row)
    }
    return row
  }

  /** WeChat tells the server the patient paid (the notification), as the cashier or the sandbox would. */
  notifyPaid(paymentNo: string): void {
    const payment = this.payments.find((p) => p.payment_no === paymentNo)
    if (!payment) throw new Error(`no payment ${paymentNo}`)
    this.pendingPolls.set(paymentNo, this.confirmAfterPolls)
  }

  /** The server stops saying "pending": the next query gives the final result. */
  settlePending(): void {
    for (const key of this.pendingPolls.keys()) this.pendingPolls.set(key, 0)
  }

  notifyPaidByPrepay(packageValue: string): void {
    const payment = this.payments.find((p) => `prepay_id=${p.prepay_id}` === packageValue)
    if (!payment) throw new Error(`no payment for ${packageValue}`)
    this.notifyPaid(payment.payment_no)
  }

  // ---- the HTTP side ------------------------------------------------------

  handle(req: FakeRequest): FakeResponse {
    this.log.push(req)
    const { method, path } = req
    const route = `${method} ${path}`

    if (route === 'POST /api/auth/wechat') return this.login(req.body)
    if (route === 'GET /api/packages') return { status: 200, body: { items: this.packages, total: this.packages.length } }
    let m = path.match(/^\/api\/packages\/([^/]+)$/)
    if (method === 'GET' && m) {
      const pkg = this.packages.find((p) => p.code === decodeURIComponent(m![1]))
      return pkg ? { status: 200, body: pkg } : error(404, 'NOT_FOUND', '套餐不存在')
    }
    if (route === 'GET /api/calendar') return this.calendar(req.query.from, req.query.to)
    if (route === 'POST /sandbox/control/pay') {
      this.notifyPaid(req.body.payment_no)
      return { status: 200, body: { transaction_id: `T${req.body.payment_no}` } }
    }

    if (route === 'GET /api/centre') return { status: 200, body: { ...this.centre } }
    if (route === 'GET /api/privacy-notice') {
      return { status: 200, body: { version: this.noticeVersion, text: '个人信息处理规则\n证件号码和体检信息属于敏感个人信息。' } }
    }
    if (!path.startsWith('/api/me/')) return error(404, 'NOT_FOUND', '接口不存在')
    const owner = this.owner(req)
    if (!owner) return error(401, 'UNAUTHORIZED', '请先登录')

    if (route === 'GET /api/me/patients') {
      const items = this.patients.filter((p) => p.owner === owner).map((p) => this.patientView(p))
      return { status: 200, body: { items, total: items.length } }
    }
    if (route === 'POST /api/me/patients') return this.createPatient(owner, req.body)
    if (route === 'GET /api/me/consents') {
      const items = this.consents.has(owner) ? [{ version: this.noticeVersion, purposes: ['id_and_health'], consented_at: '2026-12-03T08:00:00+08:00' }] : []
      return { status: 200, body: { items, total: items.length, current_version: this.noticeVersion } }
    }
    if (route === 'POST /api/me/consents') {
      if (!req.body || req.body.version !== this.noticeVersion) return error(422, 'VALIDATION_ERROR', '隐私政策已更新，请阅读最新版本后再同意')
      this.consents.add(owner)
      return { status: 201, body: { version: this.noticeVersion, purposes: ['id_and_health'], consented_at: '2026-12-03T08:00:00+08:00' } }
    }
    m = path.match(/^\/api\/me\/patients\/(\d+)\/verify-realname$/)
    if (method === 'POST' && m) return this.verifyRealname(owner, Number(m[1]), req.body)
    m = path.match(/^\/api\/me\/patients\/(\d+)\/(verification-code|verify)$/)
    if (method === 'POST' && m) return this.verification(owner, Number(m[1]), m[2], req.body)
    m = path.match(/^\/api\/me\/patients\/(\d+)$/)
    if (method === 'DELETE' && m) {
      const id = Number(m[1])
      const hasBooking = this.bookings.some((b) => b.patient_id === id && b.status !== 'cancelled')
      if (hasBooking) return error(409, 'PATIENT_HAS_BOOKINGS', '该就诊人还有未完成的预约，请先取消预约')
      this.patients = this.patients.filter((p) => !(p.id === id && p.owner === owner))
      return { status: 204, body: '' }
    }
    m = path.match(/^\/api\/me\/patients\/(\d+)\/default$/)
    if (method === 'PUT' && m) {
      const id = Number(m[1])
      this.patients.filter((p) => p.owner === owner).forEach((p) => (p.is_default = p.id === id))
      return { status: 200, body: this.patientView(this.patients.find((p) => p.id === id)!) }
    }
    if (route === 'POST /api/me/orders') return this.createOrder(owner, req.body)
    if (route === 'GET /api/me/charges') return this.listCharges(owner, req.query)
    if (route === 'POST /api/me/payments') return this.createPayment(owner, req.body)
    m = path.match(/^\/api\/me\/payments\/([^/]+)$/)
    if (method === 'GET' && m) return this.getPayment(owner, decodeURIComponent(m[1]))
    if (route === 'GET /api/me/bookings') {
      const mine = new Set(this.patients.filter((p) => p.owner === owner).map((p) => p.id))
      const items = this.bookings.filter((b) => mine.has(b.patient_id)).map((b) => this.bookingView(b))
      return { status: 200, body: { items, total: items.length } }
    }
    if (route === 'POST /api/me/bookings') return this.createBooking(req.body)
    m = path.match(/^\/api\/me\/bookings\/(\d+)\/(reschedule|cancel)$/)
    if (method === 'POST' && m) return this.changeBooking(Number(m[1]), m[2], req.body)
    if (route === 'POST /api/me/refunds') return this.refund(req.body)
    return error(404, 'NOT_FOUND', '接口不存在')
  }

  private login(body: { code?: string }): FakeResponse {
    if (!body || !body.code) return error(400, 'VALIDATION_ERROR', '缺少登录凭证')
    const token = `tok-${this.seq++}`
    this.tokens.set(token, `openid-${body.code}`)
    return { status: 200, body: { token, expires_in: this.tokenLifetime } }
  }

  private owner(req: FakeRequest): string | null {
    const auth = req.headers.Authorization || req.headers.authorization || ''
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : ''
    return this.tokens.get(token) || null
  }

  private patientView(p: PatientRow) {
    return {
      id: p.id,
      name: p.name,
      sex: p.sex,
      birth_date: p.birth_date,
      id_number_masked: mask(p.id_number, 6, 4),
      phone_masked: mask(p.phone, 3, 4),
      is_default: p.is_default,
      verified: p.verified,
      verification: p.verified ? null : { channel: 'sms', phone_masked: mask(p.phone, 3, 4) },
    }
  }

  /** Consent to the privacy notice for this user (tests). */
  consent(owner: string): void {
    this.consents.add(owner)
  }

  /** The consent code WeChat's page hands back for the holder's own real name ('' : none matches). */
  realnameCode = ''

  private verifyRealname(owner: string, id: number, body: { code?: string }): FakeResponse {
    const p = this.ownsPatient(owner, id)
    if (!p) return error(404, 'NOT_FOUND', '就诊人不存在')
    if (!this.centre.realname_verification) return error(409, 'REALNAME_UNAVAILABLE', '暂不支持微信实名验证，请使用短信验证码验证')
    if (!body || !this.realnameCode || body.code !== this.realnameCode) {
      p.wrongCodes += 1
      return error(422, 'VERIFICATION_FAILED', '微信实名信息与该就诊人不一致，请使用短信验证码验证')
    }
    p.verified = true
    return { status: 200, body: this.patientView(p) }
  }

  private verification(owner: string, id: number, step: string, body: { code?: string }): FakeResponse {
    const p = this.ownsPatient(owner, id)
    if (!p) return error(404, 'NOT_FOUND', '就诊人不存在')
    if (p.verified) return error(409, 'ALREADY_VERIFIED', '该就诊人已完成验证')
    if (p.wrongCodes >= 5) return error(429, 'VERIFICATION_LOCKED', '验证失败次数过多，请稍后再试', { retry_after: 1800 })
    if (step === 'verification-code') {
      if (this.sendWait > 0) return error(429, 'SMS_TOO_FREQUENT', '验证码已发送，请稍后再试', { retry_after: this.sendWait })
      this.texted.set(id, String(100000 + ((id * 7919) % 900000)))
      return { status: 202, body: { channel: 'sms', phone_masked: mask(p.phone, 3, 4), expires_in: 300, resend_after: 60 } }
    }
    if (!body || body.code !== this.texted.get(id)) {
      p.wrongCodes += 1
      return error(422, 'VERIFICATION_FAILED', '验证未通过，请核对验证码后重试')
    }
    p.verified = true
    this.texted.delete(id)
    return { status: 200, body: this.patientView(p) }
  }

  private createPatient(
    owner: string,
    body: { name: string; id_number: string; phone: string; doc_type?: string; sex?: 'male' | 'female'; birth_date?: string },
  ): FakeResponse {
    if (this.refusedNames.has(body.name)) {
      return error(422, 'VALIDATION_ERROR', '提交的信息有误，请检查后重试', { fields: { name: '姓名格式不正确' } })
    }
    if (body.doc_type && body.doc_type !== 'id_card') {
      // other documents (the server's rules are tested on the server): sex and birth date as given
      if (!this.consents.has(owner)) return error(409, 'CONSENT_REQUIRED', '请先阅读并同意《个人信息处理规则》后再添加就诊人', { version: this.noticeVersion })
      if (!body.sex || !body.birth_date) {
        return error(422, 'VALIDATION_ERROR', '请填写性别和出生日期', { fields: { sex: '请选择性别', birth_date: '请填写出生日期' } })
      }
      const row = this.addPatient(owner, {
        name: body.name, id_number: body.id_number, phone: body.phone, sex: body.sex, birth_date: body.birth_date,
        verified: false,
      })
      return { status: 201, body: { ...this.patientView(row), doc_type: body.doc_type } }
    }
    if (!/^[1-9]\d{16}[\dX]$/.test(body.id_number || '')) {
      return error(422, 'INVALID_ID_NUMBER', '身份证号码无效，请核对', { field: 'id_number' })
    }
    if (!this.consents.has(owner)) return error(409, 'CONSENT_REQUIRED', '请先阅读并同意《个人信息处理规则》后再添加就诊人', { version: this.noticeVersion })
    if (this.patients.some((p) => p.owner === owner && p.id_number === body.id_number)) {
      return error(409, 'PATIENT_EXISTS', '该身份证号的就诊人已添加')
    }
    const n = body.id_number
    const row = this.addPatient(owner, {
      name: body.name,
      id_number: n,
      phone: body.phone,
      sex: Number(n[16]) % 2 === 1 ? 'male' : 'female',
      birth_date: `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}`,
      verified: false,
    })
    return { status: 201, body: this.patientView(row) }
  }

  private ownsPatient(owner: string, id: number): PatientRow | undefined {
    return this.patients.find((p) => p.id === Number(id) && p.owner === owner)
  }

  private createOrder(owner: string, body: { patient_id: number; package_code: string }): FakeResponse {
    const patient = this.ownsPatient(owner, body.patient_id)
    if (!patient) return error(404, 'NOT_FOUND', '就诊人不存在')
    const pkg = this.packages.find((p) => p.code === body.package_code)
    if (!pkg) return error(409, 'PACKAGE_UNAVAILABLE', '该体检套餐暂不可预约')
    if (pkg.sex !== 'any' && pkg.sex !== patient.sex) return error(409, 'SEX_MISMATCH', '该套餐不适用于此就诊人的性别')
    const charge = this.addCharge({ patient_id: patient.id, amount_fen: pkg.price_fen, package_code: pkg.code })
    return { status: 201, body: { charge: this.chargeView(charge) } }
  }

  private chargeView(c: ChargeRow) {
    const booking = [...this.bookings].reverse().find((b) => b.bill_no === c.bill_no)
    const pkg = this.packages.find((p) => p.code === c.package_code)
    return {
      ...c,
      status_text: CHARGE_STATUS_TEXT[c.status] ?? c.status,
      package_name: pkg ? pkg.name : null,
      ...(booking ? { booking: this.bookingView(booking) } : {}),
    }
  }

  private listCharges(owner: string, query: Record<string, string>): FakeResponse {
    const patient = this.ownsPatient(owner, Number(query.patient_id))
    if (!patient) return error(404, 'NOT_FOUND', '就诊人不存在')
    const wanted = query.status === 'unpaid' ? ['unpaid'] : ['paying', 'paid', 'refunding', 'refunded']
    const items = this.charges
      .filter((c) => c.patient_id === patient.id && wanted.includes(c.status))
      .map((c) => this.chargeView(c))
    return { status: 200, body: { items, total: items.length } }
  }

  private createPayment(owner: string, body: { patient_id: number; bill_nos: string[] }): FakeResponse {
    const patient = this.ownsPatient(owner, body.patient_id)
    if (!patient) return error(404, 'NOT_FOUND', '就诊人不存在')
    const charges = body.bill_nos.map((no) => this.charges.find((c) => c.bill_no === no && c.patient_id === patient.id))
    if (charges.some((c) => !c)) return error(404, 'NOT_FOUND', '缴费项目不存在')
    if (charges.some((c) => c!.status !== 'unpaid')) return error(409, 'CHARGE_ALREADY_PAID', '该项目已缴费')
    const payment: PaymentRow = {
      payment_no: `P${this.seq++}`,
      owner,
      bill_nos: body.bill_nos,
      amount_fen: charges.reduce((s, c) => s + c!.amount_fen, 0),
      status: 'pending',
      paid_at: null,
      prepay_id: `wx${this.seq++}`,
    }
    this.payments.push(payment)
    return {
      status: 201,
      body: {
        payment_no: payment.payment_no,
        amount_fen: payment.amount_fen,
        status: payment.status,
        pay_params: {
          timeStamp: '1700000000',
          nonceStr: 'nonce',
          package: `prepay_id=${payment.prepay_id}`,
          signType: 'RSA',
          paySign: 'signature',
        },
      },
    }
  }

  private getPayment(owner: string, no: string): FakeResponse {
    const payment = this.payments.find((p) => p.payment_no === no && p.owner === owner)
    if (!payment) return error(404, 'NOT_FOUND', '支付记录不存在')
    const left = this.pendingPolls.get(no)
    if (left !== undefined) {
      if (left > 0) {
        this.pendingPolls.set(no, left - 1)
        payment.status = 'paying'
      } else {
        this.pendingPolls.delete(no)
        payment.status = this.paymentResult
        if (this.paymentResult === 'paid') {
          payment.paid_at = new Date().toISOString()
          payment.bill_nos.forEach((b) => (this.charges.find((c) => c.bill_no === b)!.status = 'paid'))
        }
      }
    }
    const { owner: _o, prepay_id: _p, ...view } = payment
    return { status: 200, body: view }
  }

  private calendar(from: string, to: string): FakeResponse {
    const days = []
    const first = addDays(this.today, 1)
    const last = addDays(this.today, this.bookingWindowDays)
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const row = this.day(d)
      const remaining = Math.max(row.capacity - row.booked, 0)
      const inWindow = d >= first && d <= last
      days.push({ date: d, open: row.open, capacity: row.capacity, remaining, bookable: row.open && remaining > 0 && inWindow })
    }
    return { status: 200, body: { days } }
  }

  private bookingView(b: BookingRow) {
    const charge = this.charges.find((c) => c.bill_no === b.bill_no)
    const pkg = this.packages.find((p) => p.code === charge?.package_code)
    return {
      ...b,
      status_text: BOOKING_STATUS_TEXT[b.status],
      package_code: pkg?.code,
      package_name: pkg?.name,
      can_change: b.status === 'booked' && !this.cutoffPassed.has(b.id),
      change_deadline: addDays(b.date, -1),
    }
  }

  private checkDay(date: string): FakeResponse | null {
    const row = this.day(date)
    if (!row.open) return error(409, 'DAY_CLOSED', '该日不开放预约')
    if (date <= this.today || date > addDays(this.today, this.bookingWindowDays)) {
      return error(409, 'OUTSIDE_BOOKING_WINDOW', '该日期不在可预约范围内')
    }
    if (row.booked >= row.capacity) return error(409, 'QUOTA_FULL', '该日号源已满')
    return null
  }

  private createBooking(body: { bill_no: string; date: string }): FakeResponse {
    const charge = this.charges.find((c) => c.bill_no === body.bill_no)
    if (!charge) return error(404, 'NOT_FOUND', '缴费项目不存在')
    if (charge.status !== 'paid') return error(409, 'CHARGE_NOT_PAID', '该项目尚未缴费，请先缴费')
    if (this.bookings.some((b) => b.bill_no === body.bill_no && b.status !== 'cancelled')) {
      return error(409, 'ALREADY_BOOKED', '该缴费项目已有预约')
    }
    const refused = this.checkDay(body.date)
    if (refused) return refused
    const row = this.addBooking({ bill_no: charge.bill_no, patient_id: charge.patient_id, date: body.date })
    return { status: 201, body: this.bookingView(row) }
  }

  private changeBooking(id: number, action: string, body: { date?: string }): FakeResponse {
    const booking = this.bookings.find((b) => b.id === id)
    if (!booking) return error(404, 'NOT_FOUND', '预约不存在')
    if (booking.status !== 'booked') return error(409, 'BOOKING_NOT_CHANGEABLE', '该预约当前状态不能修改')
    if (this.cutoffPassed.has(id)) return error(409, 'CHANGE_CUTOFF_PASSED', '已过改约/取消截止时间')
    if (action === 'cancel') {
      booking.status = 'cancelled'
      this.day(booking.date).booked -= 1
      return { status: 200, body: this.bookingView(booking) }
    }
    const date = body.date || ''
    if (date === booking.date) return error(409, 'SAME_DAY', '新日期与原预约日期相同')
    const refused = this.checkDay(date)
    if (refused) return refused
    this.day(booking.date).booked -= 1
    this.day(date).booked += 1
    booking.date = date
    return { status: 200, body: this.bookingView(booking) }
  }

  private refund(body: { bill_no: string; reason?: string }): FakeResponse {
    const charge = this.charges.find((c) => c.bill_no === body.bill_no)
    if (!charge) return error(404, 'NOT_FOUND', '缴费项目不存在')
    if (charge.status !== 'paid') return error(409, 'CHARGE_NOT_REFUNDABLE', '该项目当前不能退费')
    if (this.bookings.some((b) => b.bill_no === charge.bill_no && b.status !== 'cancelled')) {
      return error(409, 'HAS_ACTIVE_BOOKING', '该项目已有预约，请先取消预约再申请退费')
    }
    charge.status = 'refunding'
    return { status: 201, body: { refund_no: `R${this.seq++}`, status: 'processing' } }
  }
}

/**
 * The centre's 体检须知 and phone number come from the backend (GET /api/centre, one setting each), not
 * from the mini-program's source; the phone is offered wherever the patient is told to call; each
 * charge card is titled with its package.
 */

import * as fs from 'fs'
import * as path from 'path'
import { config } from '../../miniprogram/config'
import { forgetCentre } from '../../miniprogram/services/centre'
import { addDays } from '../../miniprogram/utils/date'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { MINIPROGRAM_ROOT, renderPage, tap, textOf } from '../helpers/render'

const OWNER = 'openid-patient-code'

describe('the centre from the backend', () => {
  let server: FakeServer
  let fake: FakeWx
  beforeEach(() => {
    forgetCentre()
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  it('体检须知 shows the centre-wide notes the server sends, numbered, and its phone', async () => {
    server.centre = { name: '某医院体检中心', phone: '0571-86001234', notice: '第一条须知。\n\n第二条须知。' }
    const page = renderPage('notice/index')
    await page.instance.onLoad()
    expect(page.querySelectorAll('.notice-line')).toHaveLength(2)
    expect(textOf(page.querySelector('.notice-line'))).toBe('1.第一条须知。')
    tap(page, '.call')
    await waitFor(() => expect(fake.phoneCalls).toEqual(['0571-86001234']))
    expect(server.log.filter((r) => r.path === '/api/centre')).toHaveLength(1)
  })

  it('no phone set: no call button', async () => {
    server.centre = { ...server.centre, phone: '' }
    const page = renderPage('notice/index')
    await page.instance.onLoad()
    expect(page.querySelectorAll('.notice-line')).toHaveLength(2)
    expect(page.querySelector('.call')).toBeFalsy()
  })

  it('the centre unreachable: says so and retries', async () => {
    fake.networkDown = true
    const page = renderPage('notice/index')
    await page.instance.onLoad()
    expect(textOf(page)).toContain('读取体检须知失败')
    fake.networkDown = false
    tap(page, '.reload')
    await waitFor(() => expect(page.querySelectorAll('.notice-line')).toHaveLength(2))
  })

  it('a booking past its cutoff tells the patient to call, and offers the centre’s number', async () => {
    const patient = server.addPatient(OWNER, { name: '张三' })
    const charge = server.addCharge({ patient_id: patient.id, status: 'paid' })
    const booking = server.addBooking({ bill_no: charge.bill_no, patient_id: patient.id, date: addDays(server.today, 3) })
    server.cutoffPassed.add(booking.id)
    const page = renderPage('booking/detail')
    await page.instance.onLoad({ id: String(booking.id) })
    expect(textOf(page)).toContain('请联系体检中心')
    expect(textOf(page.querySelector('.call'))).toContain('0571-87000000')
    tap(page, '.call')
    await waitFor(() => expect(fake.phoneCalls).toEqual(['0571-87000000']))
  })

  it('a booking that can still be changed online needs no call', async () => {
    const patient = server.addPatient(OWNER, { name: '张三' })
    const charge = server.addCharge({ patient_id: patient.id, status: 'paid' })
    const booking = server.addBooking({ bill_no: charge.bill_no, patient_id: patient.id, date: addDays(server.today, 3) })
    const page = renderPage('booking/detail')
    await page.instance.onLoad({ id: String(booking.id) })
    expect(page.querySelector('.call')).toBeFalsy()
  })

  it('a booking without package notes falls back to the centre-wide notes', async () => {
    const patient = server.addPatient(OWNER, { name: '张三' })
    const charge = server.addCharge({ patient_id: patient.id, status: 'paid', package_code: 'NO-SUCH' })
    const booking = server.addBooking({ bill_no: charge.bill_no, patient_id: patient.id, date: addDays(server.today, 3) })
    const page = renderPage('booking/detail')
    await page.instance.onLoad({ id: String(booking.id) })
    expect(page.data.notes).toEqual(['体检当日早晨请空腹。', '请携带本人身份证。'])
  })

  it('the mini-program’s source carries no notes and no phone number of its own', () => {
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['servicePhone']))
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['checkupNotice']))
    const source = fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'config.ts'), 'utf8')
    expect(source).not.toMatch(/空腹|\d{3,4}-\d{7,8}/)
  })
})

describe('charge cards show their package', () => {
  it('待缴费 and 已缴费 cards are titled with the package name', async () => {
    const server = new FakeServer()
    installFakeWx(server)
    const patient = server.addPatient(OWNER, { name: '张三' })
    const pkg = server.packages[0]
    server.addCharge({ patient_id: patient.id, package_code: pkg.code, item_name: '体检中心体检费' })
    server.addCharge({ patient_id: patient.id, package_code: pkg.code, item_name: '体检中心体检费', status: 'paid' })
    const page = renderPage('pay/index')
    await page.instance.onLoad({})
    expect(textOf(page.querySelector('.charge-unpaid .charge-name'))).toBe(pkg.name)
    expect(textOf(page.querySelector('.charge-unpaid'))).toContain('体检中心体检费')
    tap(page, '.tab-paid')
    await waitFor(() => expect(page.querySelector('.charge-paid')).toBeTruthy())
    expect(textOf(page.querySelector('.charge-paid .charge-name'))).toBe(pkg.name)
  })
})

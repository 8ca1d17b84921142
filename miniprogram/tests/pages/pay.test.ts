import { config } from '../../miniprogram/config'
import { addDays } from '../../miniprogram/utils/date'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'

const OWNER = 'openid-patient-code'

describe('体检缴费 page', () => {
  let server: FakeServer
  let fake: FakeWx
  let patientId: number
  let billNo: string

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
    patientId = server.addPatient(OWNER, { name: '张三' }).id
    billNo = server.addCharge({ patient_id: patientId, amount_fen: 29900, item_name: '体检中心体检费' }).bill_no
  })

  async function open(query: Record<string, string> = {}) {
    const page = renderPage('pay/index')
    await page.instance.onLoad(query)
    return page
  }

  const panelState = (page: any) => page.data.panel.state

  it('lists the 待缴费 charges of the default 就诊人 with yuan amounts', async () => {
    const page = await open()
    expect(page.data.patientName).toBe('张三')
    const text = textOf(page)
    expect(text).toContain('体检中心体检费')
    expect(text).toContain('¥299.00')
    expect(text).toContain('待缴费（1）')
    expect(page.querySelectorAll('.charge-unpaid')).toHaveLength(1)
  })

  it('switches between 待缴费 and 已缴费', async () => {
    server.addCharge({ patient_id: patientId, status: 'paid', item_name: '入职体检费', amount_fen: 15000 })
    const page = await open()
    expect(page.querySelector('.list-unpaid')).toBeTruthy()
    expect(page.querySelector('.list-paid')).toBeFalsy()

    tap(page, '.tab-paid')
    await waitFor(() => expect(page.data.tab).toBe('paid'))
    expect(page.querySelector('.list-unpaid')).toBeFalsy()
    expect(textOf(page)).toContain('入职体检费')
    expect(textOf(page)).toContain('¥150.00')
    expect(page.querySelector('.tab-paid').dom.className).toContain('tab-active')

    tap(page, '.tab-unpaid')
    await waitFor(() => expect(page.data.tab).toBe('unpaid'))
    expect(textOf(page)).toContain('体检中心体检费')
  })

  it('pays: consent, WeChat cashier with the server parameters, server confirmation, then 支付成功', async () => {
    server.confirmAfterPolls = 2 // the notification arrives a little after the cashier closes
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('paid'))

    expect(fake.subscribeCalls).toEqual([['TPL-PAY']])
    expect(fake.payments).toHaveLength(1)
    const created = server.payments[0]
    expect(fake.payments[0].params).toMatchObject({ package: `prepay_id=${created.prepay_id}`, signType: 'RSA', paySign: 'signature' })
    // The page asked the server until it said paid.
    const polls = server.log.filter((r) => r.path === `/api/me/payments/${created.payment_no}`)
    expect(polls.length).toBe(3)

    const text = textOf(page)
    expect(text).toContain('支付成功')
    expect(text).toContain('¥299.00')
    expect(page.querySelector('.book-now')).toBeTruthy()
    // The charge moved to 已缴费, offered for booking.
    expect(page.data.tab).toBe('paid')
    await waitFor(() => expect(page.data.unpaid).toHaveLength(0))
    expect(page.data.paid).toEqual([expect.objectContaining({ bill_no: billNo, statusText: '已缴费', canBook: true })])
  })

  it('shows 支付确认中 while the server has not confirmed, and the result after 刷新结果', async () => {
    server.confirmAfterPolls = 10_000
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('unknown'))
    expect(textOf(page)).toContain('支付确认中')
    expect(textOf(page)).toContain('不要重复支付')
    expect(page.querySelector('.refresh-result')).toBeTruthy()
    expect(page.querySelector('.pay-again')).toBeFalsy()

    server.settlePending()
    tap(page, '.refresh-result')
    await waitFor(() => expect(panelState(page)).toBe('paid'))
    expect(textOf(page)).toContain('支付成功')
  })

  it('after 支付确认中, tapping 缴费 again does not start a second payment', async () => {
    server.confirmAfterPolls = 10_000
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('unknown'))
    tap(page, '.close-panel')
    await waitFor(() => expect(page.data.panel.visible).toBe(false))

    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('unknown'))
    expect(textOf(page)).toContain('上次的支付还在确认中')
    expect(server.payments).toHaveLength(1)
    expect(fake.payments).toHaveLength(1)
  })

  it('cancel in the cashier: 已取消支付, nothing paid, can pay again', async () => {
    fake.payBehaviour = 'cancel'
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('cancelled'))
    expect(textOf(page)).toContain('已取消支付')
    expect(textOf(page)).toContain('没有扣款')
    // The server was still asked before saying so.
    expect(server.log.some((r) => r.path.startsWith('/api/me/payments/P'))).toBe(true)
    expect(server.charges[0].status).toBe('unpaid')

    fake.payBehaviour = 'ok'
    tap(page, '.pay-again')
    await waitFor(() => expect(panelState(page)).toBe('paid'))
    expect(fake.payments).toHaveLength(2)
  })

  it('failure in the cashier: 支付失败 with what to do', async () => {
    fake.payBehaviour = 'fail'
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('failed'))
    const text = textOf(page)
    expect(text).toContain('支付失败')
    expect(text).toContain('请不要重复支付')
    expect(page.querySelector('.pay-again')).toBeTruthy()
    expect(page.data.unpaid).toHaveLength(1)
  })

  it('the server refusing the payment after WeChat success is shown as a failure', async () => {
    server.paymentResult = 'closed'
    const page = await open()
    tap(page, '.pay')
    await waitFor(() => expect(panelState(page)).toBe('failed'))
    expect(textOf(page)).toContain('支付失败')
  })

  it('with sandboxPay the sandbox control pays instead of wx.requestPayment', async () => {
    config.sandboxPay = true
    try {
      const page = await open()
      tap(page, '.pay')
      await waitFor(() => expect(panelState(page)).toBe('paid'))
      expect(fake.payments).toHaveLength(0)
      const control = server.log.find((r) => r.path === '/sandbox/control/pay')
      expect(control?.body).toEqual({ payment_no: server.payments[0].payment_no, wait: true })
    } finally {
      config.sandboxPay = false
    }
  })

  it('已缴费 offers 预约 and 申请退费 for an unbooked charge, and the booking for a booked one', async () => {
    const free = server.addCharge({ patient_id: patientId, status: 'paid', item_name: '未预约体检费' })
    const booked = server.addCharge({ patient_id: patientId, status: 'paid', item_name: '已预约体检费' })
    const date = addDays(server.today, 4)
    const booking = server.addBooking({ bill_no: booked.bill_no, patient_id: patientId, date })
    const page = await open({ tab: 'paid' })

    const cards = page.querySelectorAll('.charge-paid')
    expect(cards).toHaveLength(2)
    const [freeView, bookedView] = page.data.paid
    expect(freeView).toMatchObject({ bill_no: free.bill_no, canBook: true, canRefund: true, booking: null })
    expect(bookedView).toMatchObject({ bill_no: booked.bill_no, canBook: false, canRefund: false })
    expect(bookedView.booking).toMatchObject({ id: booking.id, statusText: '已预约' })
    expect(page.querySelectorAll('.book')).toHaveLength(1)
    expect(page.querySelectorAll('.refund')).toHaveLength(1)
    expect(textOf(page)).toContain('预约日期')

    tap(page, '.book')
    await waitFor(() => expect(fake.navigations).toEqual([{ kind: 'navigateTo', url: `/pages/booking/create/index?bill_no=${free.bill_no}` }]))
  })

  it('a cancelled booking makes the charge bookable again', async () => {
    const charge = server.addCharge({ patient_id: patientId, status: 'paid' })
    server.addBooking({ bill_no: charge.bill_no, patient_id: patientId, date: addDays(server.today, 2), status: 'cancelled' })
    const page = await open({ tab: 'paid' })
    expect(page.data.paid[0]).toMatchObject({ canBook: true, booking: null })
  })

  it('a refunded charge shows 已退款, as staff see it, and offers no booking or refund', async () => {
    server.addCharge({ patient_id: patientId, status: 'refunded' })
    const page = await open({ tab: 'paid' })
    expect(page.data.paid[0]).toMatchObject({ statusText: '已退款', canBook: false })
    expect(page.querySelector('.refund')).toBeFalsy()
  })

  it('申请退费 after confirming: the charge becomes 退款处理中', async () => {
    const charge = server.addCharge({ patient_id: patientId, status: 'paid' })
    const page = await open({ tab: 'paid' })
    tap(page, '.refund')
    await waitFor(() => expect(page.data.paid[0].statusText).toBe('退款处理中'))
    expect(fake.modals[0].title).toBe('申请退费')
    expect(server.log.find((r) => r.path === '/api/me/refunds')?.body).toMatchObject({ bill_no: charge.bill_no })
    expect(page.querySelector('.refund')).toBeFalsy()
    expect(page.querySelector('.book')).toBeFalsy()
  })

  it('申请退费 dismissed: nothing is sent', async () => {
    server.addCharge({ patient_id: patientId, status: 'paid' })
    fake.modalAnswers = [false]
    const page = await open({ tab: 'paid' })
    tap(page, '.refund')
    await waitFor(() => expect(fake.modals).toHaveLength(1))
    await new Promise((r) => setTimeout(r, 20))
    expect(server.log.some((r) => r.path === '/api/me/refunds')).toBe(false)
  })

  it('switches 就诊人 with the picker and reads their charges', async () => {
    const other = server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
    server.addCharge({ patient_id: other.id, item_name: '女性体检费', amount_fen: 128850 })
    const page = await open()
    page.querySelector('.patient-picker').dispatchEvent('change', { detail: { value: 1 } })
    await waitFor(() => expect(page.data.patientName).toBe('李梅'))
    await waitFor(() => expect(textOf(page)).toContain('¥1288.50'))
    expect(textOf(page)).not.toContain('¥299.00')
  })

  it('starts with the 就诊人 and the new bill from 个人体检', async () => {
    const other = server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
    const charge = server.addCharge({ patient_id: other.id })
    const page = await open({ patient_id: String(other.id), bill_no: charge.bill_no })
    expect(page.data.patientName).toBe('李梅')
    expect(page.querySelector('.charge-new')).toBeTruthy()
    expect(textOf(page)).toContain('刚开单')
  })

  it('asks to add a 就诊人 when there is none', async () => {
    server.patients = []
    const page = await open()
    expect(textOf(page)).toContain('还没有就诊人')
    tap(page, '.add-patient')
    await waitFor(() => expect(fake.navigations[0].url).toBe('/pages/patient/edit/index?from=pay'))
  })
})

import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'

const OWNER = 'openid-patient-code'

describe('个人体检 pages', () => {
  let server: FakeServer
  let fake: FakeWx

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  async function openList() {
    const page = renderPage('package/list')
    await page.instance.onLoad({})
    return page
  }

  const chooserOf = (page: any) => page.querySelector('.chooser')

  it('lists online packages with yuan prices and sex limits', async () => {
    const page = await openList()
    expect(page.querySelectorAll('.package')).toHaveLength(2)
    const text = textOf(page)
    expect(text).toContain('基础体检套餐')
    expect(text).toContain('¥299.00')
    expect(text).toContain('男女均可')
    expect(text).toContain('¥1288.50')
    expect(text).toContain('仅限女性')
    expect(page.querySelectorAll('.buy')).toHaveLength(2)
  })

  it('缴费: pick the 就诊人, open the order, go to 体检缴费', async () => {
    const patient = server.addPatient(OWNER, { name: '张三' })
    const page = await openList()
    tap(page, '.package-PKG-BASIC .buy')
    const chooser = chooserOf(page)
    await waitFor(() => expect(chooser.data.options).toHaveLength(1))
    expect(textOf(chooser)).toContain('为谁缴费')
    expect(chooser.data.selectedId).toBe(patient.id)

    chooser.querySelector('.confirm-order').dispatchEvent('tap')
    await waitFor(() => expect(fake.navigations).toHaveLength(1))
    const order = server.log.find((r) => r.path === '/api/me/orders')!
    expect(order.body).toEqual({ patient_id: patient.id, package_code: 'PKG-BASIC' })
    const charge = server.charges[0]
    expect(charge).toMatchObject({ patient_id: patient.id, amount_fen: 29900, status: 'unpaid' })
    expect(fake.navigations[0]).toEqual({
      kind: 'navigateTo',
      url: `/pages/pay/index/index?patient_id=${patient.id}&tab=unpaid&bill_no=${charge.bill_no}`,
    })
  })

  it('a package for women cannot be chosen for a man', async () => {
    server.addPatient(OWNER, { name: '张三', sex: 'male' })
    const li = server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
    const page = await openList()
    tap(page, '.package-PKG-FEMALE .buy')
    const chooser = chooserOf(page)
    await waitFor(() => expect(chooser.data.options).toHaveLength(2))
    expect(chooser.data.options.map((o: any) => o.fits)).toEqual([false, true])
    expect(chooser.data.selectedId).toBe(li.id)
    expect(textOf(chooser)).toContain('性别不符')

    chooser.querySelector('.option-disabled').dispatchEvent('tap')
    await waitFor(() => expect(fake.lastToast()).toContain('仅限女性'))
    expect(chooser.data.selectedId).toBe(li.id)
  })

  it('without a 就诊人 offers to add one', async () => {
    const page = await openList()
    tap(page, '.package-PKG-BASIC .buy')
    const chooser = chooserOf(page)
    await waitFor(() => expect(textOf(chooser)).toContain('还没有就诊人'))
    chooser.querySelector('.add-patient').dispatchEvent('tap')
    await waitFor(() => expect(fake.navigations[0].url).toBe('/pages/patient/edit/index?from=order'))
    expect(server.log.some((r) => r.path === '/api/me/orders')).toBe(false)

    // Back from 添加就诊人: the sheet shows the new 就诊人, chosen.
    const added = server.addPatient(OWNER, { name: '王五' })
    page.triggerPageLifeTime('show')
    await waitFor(() => expect(chooser.data.selectedId).toBe(added.id))
    expect(textOf(chooser)).toContain('王五')
  })

  it('a refused order keeps the patient on the page with the server message', async () => {
    server.addPatient(OWNER, { name: '张三' })
    server.packages[0].code = 'PKG-GONE' // went offline meanwhile
    const page = await openList()
    server.packages[0].code = 'PKG-OTHER'
    tap(page, '.package-PKG-GONE .buy')
    const chooser = chooserOf(page)
    await waitFor(() => expect(chooser.data.selectedId).toBeTruthy())
    chooser.querySelector('.confirm-order').dispatchEvent('tap')
    await waitFor(() => expect(fake.lastToast()).toBe('该体检套餐暂不可预约'))
    expect(fake.navigations).toHaveLength(0)
    expect(page.data.chooser.visible).toBe(true)
  })

  it('detail shows the items and 须知', async () => {
    const page = renderPage('package/detail')
    await page.instance.onLoad({ code: 'PKG-BASIC' })
    const text = textOf(page)
    expect(text).toContain('基础体检套餐')
    expect(text).toContain('检查项目（5项）')
    expect(text).toContain('胸部DR')
    expect(text).toContain('1. 体检前一天晚上十点后禁食')
    expect(text).toContain('2. 请携带身份证')
    expect(text).toContain('缴费 ¥299.00')
    tap(page, '.buy')
    await waitFor(() => expect(page.data.chooserVisible).toBe(true))
  })

  it('详情 opens the detail page', async () => {
    const page = await openList()
    tap(page, '.package-PKG-FEMALE .detail')
    await waitFor(() => expect(fake.navigations[0].url).toBe('/pages/package/detail/index?code=PKG-FEMALE'))
  })
})

import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'

const OWNER = 'openid-patient-code'

describe('就诊人管理', () => {
  let server: FakeServer
  let fake: FakeWx

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  async function openList() {
    const page = renderPage('patient/list')
    await page.instance.onLoad({})
    return page
  }

  it('lists 就诊人 with the masked values from the server only', async () => {
    server.addPatient(OWNER, { name: '张三', id_number: '110105196003070013', phone: '13812345678' })
    server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X', phone: '13900001111' })
    const page = await openList()
    const text = textOf(page)
    expect(text).toContain('张三（男）')
    expect(text).toContain('李梅（女）')
    expect(text).toContain('110105********0013')
    expect(text).toContain('138****5678')
    expect(text).not.toContain('13812345678')
    expect(page.querySelectorAll('.default-tag')).toHaveLength(1)
    expect(page.querySelectorAll('.set-default')).toHaveLength(1)
  })

  it('设为默认 moves the default', async () => {
    server.addPatient(OWNER, { name: '张三' })
    const li = server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
    const page = await openList()
    tap(page, '.set-default')
    await waitFor(() => expect(page.data.patients.find((p: any) => p.id === li.id).isDefault).toBe(true))
    expect(server.log.some((r) => r.method === 'PUT' && r.path === `/api/me/patients/${li.id}/default`)).toBe(true)
    expect(page.data.patients.filter((p: any) => p.isDefault)).toHaveLength(1)
  })

  it('删除 after confirming', async () => {
    const p = server.addPatient(OWNER, { name: '张三' })
    const page = await openList()
    tap(page, `.patient-${p.id} .delete`)
    await waitFor(() => expect(page.data.patients).toHaveLength(0))
    expect(fake.modals[0].content).toContain('张三')
    expect(textOf(page)).toContain('还没有就诊人')
  })

  it('删除 refused by the server shows why and keeps the row', async () => {
    const p = server.addPatient(OWNER, { name: '张三' })
    const charge = server.addCharge({ patient_id: p.id, status: 'paid' })
    server.addBooking({ bill_no: charge.bill_no, patient_id: p.id, date: '2099-01-01' })
    const page = await openList()
    tap(page, '.delete')
    await waitFor(() => expect(fake.lastToast()).toBe('该就诊人还有未完成的预约，请先取消预约'))
    expect(page.data.patients).toHaveLength(1)
  })

  describe('添加就诊人', () => {
    async function openEdit() {
      server.consent(OWNER)
      const page = renderPage('patient/edit')
      await page.instance.onLoad({})
      return page
    }

    function type(page: any, selector: string, value: string) {
      page.querySelector(selector).dispatchEvent('input', { detail: { value } })
    }

    async function fill(page: any, name: string, id: string, phone: string) {
      type(page, '.input-name', name)
      type(page, '.input-id', id)
      type(page, '.input-phone', phone)
      await waitFor(() => expect(page.data.form).toEqual({ name, id_number: id, phone }))
    }

    it('refuses an ID number with a wrong check digit on the phone, without asking the server', async () => {
      const page = await openEdit()
      await fill(page, '张三', '110105196003070014', '13812345678')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.id_number).toBe('身份证号码校验位不正确，请核对'))
      expect(page.querySelector('.error-id').dom.textContent).toContain('校验位不正确')
      expect(fake.lastToast()).toBe('身份证号码校验位不正确，请核对')
      expect(server.log.some((r) => r.path === '/api/me/patients')).toBe(false)
    })

    it('refuses a bad phone and an empty name', async () => {
      const page = await openEdit()
      await fill(page, '', '110105196003070013', '2381234567')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.phone).not.toBe(''))
      expect(page.data.errors.name).toBe('请输入姓名')
      expect(page.data.errors.id_number).toBe('')
      expect(server.log).toHaveLength(0)
    })

    it('typing again clears the field error', async () => {
      const page = await openEdit()
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.name).toBe('请输入姓名'))
      type(page, '.input-name', '张')
      await waitFor(() => expect(page.data.errors.name).toBe(''))
    })

    it('saves a valid 就诊人 and goes on to verify them', async () => {
      const page = await openEdit()
      await fill(page, '李梅', '11010519491231002x', '13900001111')
      tap(page, '.submit')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      const post = server.log.find((r) => r.method === 'POST' && r.path === '/api/me/patients')!
      expect(post.body).toEqual({ name: '李梅', id_number: '11010519491231002X', phone: '13900001111' })
      expect(server.patients[0]).toMatchObject({ name: '李梅', sex: 'female', verified: false })
      const id = server.patients[0].id
      expect(fake.navigations[0]).toEqual({
        kind: 'redirectTo',
        url: `/pages/patient/verify/index?id=${id}&name=${encodeURIComponent('李梅')}&phone=${encodeURIComponent('139****1111')}`,
      })
    })

    it('shows a server refusal under the field it concerns', async () => {
      server.addPatient(OWNER, { name: '李梅', sex: 'female', id_number: '11010519491231002X' })
      const page = await openEdit()
      await fill(page, '李梅', '11010519491231002X', '13900001111')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.id_number).toBe('该身份证号的就诊人已添加'))
      expect(fake.navigations).toHaveLength(0)
    })

    it('offers the document types and asks for sex and birth date where the number lacks them', async () => {
      const page = await openEdit()
      expect(page.data.docLabels).toEqual([
        '居民身份证', '港澳台居民居住证', '外国人永久居留身份证', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '护照',
      ])
      expect(page.querySelector('.sex-picker')).toBeFalsy() // the ID card carries them
      page.querySelector('.doc-picker').dispatchEvent('change', { detail: { value: 5 } })
      await waitFor(() => expect(page.data.doc.key).toBe('passport'))
      await waitFor(() => expect(page.querySelector('.sex-picker')).toBeTruthy())
      expect(page.querySelector('.birth-picker')).toBeTruthy()
      await fill(page, 'John Smith', 'e1234567', '13900002222')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.sex).toBe('请选择性别'))
      expect(page.data.errors.birth_date).toBe('请选择出生日期')
      expect(page.querySelector('.error-sex').dom.textContent).toContain('请选择性别')
      expect(server.log.some((r) => r.path === '/api/me/patients')).toBe(false)
      page.querySelector('.sex-picker').dispatchEvent('change', { detail: { value: 1 } })
      page.querySelector('.birth-picker').dispatchEvent('change', { detail: { value: '1979-11-30' } })
      await waitFor(() => expect(page.data.errors.sex).toBe(''))
      tap(page, '.submit')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      const post = server.log.find((r) => r.method === 'POST' && r.path === '/api/me/patients')!
      expect(post.body).toEqual({
        name: 'John Smith', id_number: 'E1234567', phone: '13900002222', doc_type: 'passport', sex: 'female',
        birth_date: '1979-11-30',
      })
    })

    it('checks the number against the chosen document type and clears the error on a new type', async () => {
      const page = await openEdit()
      page.querySelector('.doc-picker').dispatchEvent('change', { detail: { value: 3 } })
      await fill(page, '陈大文', 'H1234567', '13900003333')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.id_number).toBe('港澳居民来往内地通行证号码应为H或M加8位或10位数字'))
      page.querySelector('.doc-picker').dispatchEvent('change', { detail: { value: 1 } })
      await waitFor(() => expect(page.data.errors.id_number).toBe(''))
      // the residence permit carries sex and birth date: not asked for
      await waitFor(() => expect(page.querySelector('.sex-picker')).toBeFalsy())
      expect(server.log.some((r) => r.path === '/api/me/patients')).toBe(false)
    })

    it('shows a schema refusal (details.fields) under each field it names', async () => {
      server.refusedNames.add('李梅')
      const page = await openEdit()
      await fill(page, '李梅', '11010519491231002X', '13900001111')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.errors.name).toBe('姓名格式不正确'))
      expect(page.data.errors.id_number).toBe('')
      expect(fake.navigations).toHaveLength(0)
    })
  })
})

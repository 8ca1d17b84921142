import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'
import { forgetCentre } from '../../miniprogram/services/centre'

const OWNER = 'openid-patient-code'

describe('就诊人身份：隐私同意与短信验证', () => {
  let server: FakeServer
  let fake: FakeWx

  beforeEach(() => {
    server = new FakeServer()
    fake = installFakeWx(server)
  })

  describe('个人信息处理规则 (consent)', () => {
    async function openConsent() {
      const page = renderPage('patient/consent')
      await page.instance.onLoad({})
      return page
    }

    it('shows the notice and asks for a separate tick before consenting', async () => {
      const page = await openConsent()
      expect(textOf(page)).toContain('敏感个人信息')
      tap(page, '.accept')
      await waitFor(() => expect(page.data.error).toBe('请先勾选同意'))
      expect(server.log.some((r) => r.method === 'POST' && r.path === '/api/me/consents')).toBe(false)
      tap(page, '.agree')
      tap(page, '.accept')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      const post = server.log.find((r) => r.method === 'POST' && r.path === '/api/me/consents')!
      expect(post.body).toEqual({ version: server.noticeVersion })
      expect(server.consents.has(OWNER)).toBe(true)
      expect(fake.navigations[0]).toEqual({ kind: 'redirectTo', url: '/pages/patient/edit/index' })
    })

    it('不同意 leaves without consenting', async () => {
      const page = await openConsent()
      tap(page, '.decline')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(server.consents.size).toBe(0)
    })

    it('添加就诊人 opens the notice first when the user has not consented, the form once they have', async () => {
      const list = renderPage('patient/list')
      await list.instance.onLoad({})
      tap(list, '.add')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(fake.navigations[0]).toEqual({ kind: 'navigateTo', url: '/pages/patient/consent/index' })
      server.consent(OWNER)
      tap(list, '.add')
      await waitFor(() => expect(fake.navigations).toHaveLength(2))
      expect(fake.navigations[1]).toEqual({ kind: 'navigateTo', url: '/pages/patient/edit/index' })
    })

    it('the form sends the user to the notice when the server asks for consent', async () => {
      const page = renderPage('patient/edit')
      await page.instance.onLoad({})
      for (const [selector, value] of [['.input-name', '李梅'], ['.input-id', '11010519491231002X'], ['.input-phone', '13900001111']]) {
        page.querySelector(selector).dispatchEvent('input', { detail: { value } })
      }
      tap(page, '.submit')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(fake.navigations[0]).toEqual({ kind: 'redirectTo', url: '/pages/patient/consent/index' })
      expect(server.patients).toHaveLength(0)
    })
  })

  describe('验证就诊人 (SMS code)', () => {
    function unverified() {
      return server.addPatient(OWNER, { name: '张三', phone: '13812345678', verified: false })
    }

    async function openVerify(id: number) {
      const page = renderPage('patient/verify')
      await page.instance.onLoad({ id: String(id), name: encodeURIComponent('张三'), phone: encodeURIComponent('138****5678') })
      return page
    }

    function typeCode(page: any, value: string) {
      page.querySelector('.input-code').dispatchEvent('input', { detail: { value } })
    }

    it('the list marks an unverified 就诊人 and opens its verification', async () => {
      const p = unverified()
      const list = renderPage('patient/list')
      await list.instance.onLoad({})
      expect(textOf(list)).toContain('未验证')
      expect(textOf(list)).toContain('验证手机号后才能缴费、预约')
      tap(list, `.patient-${p.id} .verify`)
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(fake.navigations[0].url).toBe(`/pages/patient/verify/index?id=${p.id}&name=${encodeURIComponent('张三')}&phone=${encodeURIComponent('138****5678')}`)
    })

    it('sends the code, counts down before a resend, and verifies', async () => {
      const p = unverified()
      const page = await openVerify(p.id)
      expect(textOf(page)).toContain('138****5678')
      tap(page, '.send')
      await waitFor(() => expect(page.data.sentTo).toBe('138****5678'))
      expect(page.data.countdown).toBeGreaterThan(55)
      expect(textOf(page)).toMatch(/\d+秒后重发/)
      tap(page, '.send') // during the countdown: nothing is sent
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(server.log.filter((r) => r.path.endsWith('/verification-code'))).toHaveLength(1)
      typeCode(page, server.texted.get(p.id)!)
      tap(page, '.submit')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(server.patients[0].verified).toBe(true)
      expect(fake.lastToast()).toBe('验证成功')
      page.instance.onUnload()
    })

    it('a wrong code is said next to the box, not in a toast, and clears the box', async () => {
      const p = unverified()
      const page = await openVerify(p.id)
      tap(page, '.send')
      await waitFor(() => expect(page.data.sentTo).not.toBe(''))
      typeCode(page, '000000')
      tap(page, '.submit')
      await waitFor(() => expect(page.data.error).toContain('验证未通过'))
      expect(page.querySelector('.error-code').dom.textContent).toContain('验证未通过')
      expect(page.data.code).toBe('')
      expect(fake.toasts).toEqual([])
      typeCode(page, '1')
      await waitFor(() => expect(page.data.error).toBe(''))
      page.instance.onUnload()
    })

    it('refuses a code that is not six digits without asking the server', async () => {
      const p = unverified()
      const page = await openVerify(p.id)
      typeCode(page, '12a45')
      await waitFor(() => expect(page.data.code).toBe('1245'))
      tap(page, '.submit')
      await waitFor(() => expect(page.data.error).toBe('请输入6位数字验证码'))
      expect(server.log.some((r) => r.path.endsWith('/verify'))).toBe(false)
    })

    it('too frequent: waits as long as the server says', async () => {
      const p = unverified()
      server.sendWait = 42
      const page = await openVerify(p.id)
      tap(page, '.send')
      await waitFor(() => expect(page.data.error).toBe('验证码已发送，请稍后再试'))
      expect(page.data.countdown).toBeGreaterThan(38)
      expect(page.data.countdown).toBeLessThanOrEqual(42)
      page.instance.onUnload()
    })

    it('five wrong codes lock the verification and say for how long', async () => {
      const p = unverified()
      const page = await openVerify(p.id)
      tap(page, '.send')
      await waitFor(() => expect(page.data.sentTo).not.toBe(''))
      for (let i = 0; i < 6; i += 1) {
        typeCode(page, '000000')
        tap(page, '.submit')
        await waitFor(() => expect(page.data.submitting).toBe(false))
        await waitFor(() => expect(page.data.error).not.toBe(''))
      }
      expect(page.data.locked).toBe(true)
      expect(page.data.error).toBe('验证失败次数过多，请30分钟后再试')
      const asked = server.log.filter((r) => r.path.endsWith('/verify')).length
      typeCode(page, '123456')
      tap(page, '.submit') // locked: the page does not ask again
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(server.log.filter((r) => r.path.endsWith('/verify'))).toHaveLength(asked)
      page.instance.onUnload()
    })

    it('the chooser of a package offers only verified 就诊人', async () => {
      server.addPatient(OWNER, { name: '王五' })
      unverified()
      const { onlyVerified } = await import('../../miniprogram/services/patients')
      const { listPatients } = await import('../../miniprogram/services/patients')
      expect(onlyVerified(await listPatients()).map((p) => p.name)).toEqual(['王五'])
    })
  })

  describe('用微信实名信息验证 (the holder themselves)', () => {
    beforeEach(() => forgetCentre())
    afterEach(() => forgetCentre())

    async function openVerify(id: number) {
      const page = renderPage('patient/verify')
      await page.instance.onLoad({ id: String(id), name: encodeURIComponent('张三'), phone: encodeURIComponent('138****5678') })
      return page
    }

    it('is not offered unless the centre has WeChat’s real-name check', async () => {
      const p = server.addPatient(OWNER, { name: '张三', verified: false })
      const page = await openVerify(p.id)
      expect(page.data.realname).toBe(false)
      expect(page.querySelector('.realname')).toBeFalsy()
    })

    it('opens WeChat’s consent page and verifies with the code it hands back', async () => {
      server.centre.realname_verification = true
      server.realnameCode = 'consent-ok'
      fake.miniProgramReturns = { code: 'consent-ok' }
      const p = server.addPatient(OWNER, { name: '张三', verified: false })
      const page = await openVerify(p.id)
      await waitFor(() => expect(page.querySelector('.realname')).toBeTruthy())
      expect(textOf(page)).toContain('用微信实名信息验证（仅限本人）')
      tap(page, '.realname')
      await waitFor(() => expect(fake.navigations).toHaveLength(1))
      expect(fake.miniProgramsOpened).toEqual([{ appId: 'wx308bd2aeb83d3345', path: 'subPages/city/wxpay-auth/main' }])
      const post = server.log.find((r) => r.path === `/api/me/patients/${p.id}/verify-realname`)!
      expect(post.body).toEqual({ code: 'consent-ok' })
      expect(server.patients.find((x) => x.id === p.id)!.verified).toBe(true)
      expect(fake.lastToast()).toBe('验证成功')
    })

    it('says so when the real name is someone else’s, and when the user did not agree', async () => {
      server.centre.realname_verification = true
      server.realnameCode = 'consent-ok'
      fake.miniProgramReturns = { code: 'someone-else' }
      const p = server.addPatient(OWNER, { name: '张三', verified: false })
      const page = await openVerify(p.id)
      await waitFor(() => expect(page.querySelector('.realname')).toBeTruthy())
      tap(page, '.realname')
      await waitFor(() => expect(page.data.error).toBe('微信实名信息与该就诊人不一致，请使用短信验证码验证'))
      expect(page.querySelector('.error-code').dom.textContent).toContain('短信验证码')
      fake.miniProgramReturns = null // came back without agreeing
      tap(page, '.realname')
      await waitFor(() => expect(page.data.error).toBe('未完成微信实名授权，可改用短信验证码验证'))
      expect(server.log.filter((r) => r.path.endsWith('/verify-realname'))).toHaveLength(1)
      expect(fake.navigations).toHaveLength(0)
    })
  })
})

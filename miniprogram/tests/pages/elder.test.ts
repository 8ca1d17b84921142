/**
 * 适老化: every page follows WeChat's font size setting (and 关怀模式) through the font-scale module, 长辈模式
 * (a switch on the home page, remembered in storage) adds a step and simplifies the pages, and every
 * tappable element carries an accessible role and label.
 */

import * as fs from 'fs'
import * as path from 'path'
import { FakeServer } from '../helpers/fake-server'
import { FakeWx, installFakeWx, waitFor } from '../helpers/fake-wx'
import { MINIPROGRAM_ROOT, renderPage, textOf } from '../helpers/render'

const APP = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_ROOT, 'app.json'), 'utf8')) as { pages: string[] }
/** 'pages/pay/index/index' → 'pay/index' (what renderPage takes). */
const PAGES = APP.pages.map((p) => p.replace(/^pages\//, '').replace(/\/index$/, ''))

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name)
    return d.isDirectory() ? files(full, ext) : d.name.endsWith(ext) ? [full] : []
  })
}

function withFontScale(fake: FakeWx, factor: number): void {
  fake.fontSizeScaleFactor = factor
}

const rootClass = (page: any): string => page.querySelector('.page').dom.className

describe('font scale on every page', () => {
  let fake: FakeWx
  beforeEach(() => {
    fake = installFakeWx(new FakeServer())
  })

  it('the app has the twelve pages this test walks', () => {
    expect(PAGES).toHaveLength(12)
  })

  it.each(PAGES)('%s follows WeChat’s font size (关怀模式 ×1.5)', (page) => {
    withFontScale(fake, 1.5)
    const comp = renderPage(page)
    expect(comp.data.rootFontSize).toBe('24px')
    expect(comp.data.elder).toBe(false)
    expect(rootClass(comp)).not.toMatch(/\belder\b/)
  })

  it.each(PAGES)('%s is larger and simpler in 长辈模式', (page) => {
    withFontScale(fake, 1.5)
    fake.storage.set('elderMode', true)
    const comp = renderPage(page)
    expect(comp.data.rootFontSize).toBe('30px')
    expect(comp.data.elder).toBe(true)
    expect(rootClass(comp)).toMatch(/\belder\b/)
  })

  it('a page shown again picks up a change made elsewhere', () => {
    const comp = renderPage('booking/list')
    expect(comp.data.rootFontSize).toBe('16px')
    fake.storage.set('elderMode', true)
    comp.triggerPageLifeTime('show')
    expect(comp.data.rootFontSize).toBe('20px')
  })

  it.each(PAGES)('%s sets the root font size and sizes text in rem', (page) => {
    const dir = path.join(MINIPROGRAM_ROOT, 'pages', page, 'index')
    const wxml = fs.readFileSync(`${dir}.wxml`, 'utf8')
    expect(wxml.trimStart().startsWith('<page-meta root-font-size="{{rootFontSize}}"')).toBe(true)
    const ts = fs.readFileSync(`${dir}.ts`, 'utf8')
    expect(ts).toMatch(/behaviors: \[fontScale\]/)
  })

  it('no style sizes text in rpx or px (they ignore WeChat’s setting)', () => {
    for (const file of files(MINIPROGRAM_ROOT, '.wxss')) {
      const css = fs.readFileSync(file, 'utf8')
      const sizes = css.match(/font-size:\s*[^;]+/g) || []
      for (const size of sizes) expect(`${path.relative(MINIPROGRAM_ROOT, file)}: ${size}`).toMatch(/: font-size:\s*[\d.]+(rem|em|%)$/)
    }
  })
})

describe('长辈模式 switch', () => {
  let fake: FakeWx
  beforeEach(() => {
    fake = installFakeWx(new FakeServer())
  })

  it('is on the home page, remembered, and makes the text larger and the page simpler', async () => {
    const page = renderPage('home/index')
    expect(page.querySelectorAll('.entry-desc')).toHaveLength(5)
    const sw = page.querySelector('.elder-switch')
    sw.dispatchEvent('change', { detail: { value: true } })
    await waitFor(() => expect(page.data.elder).toBe(true))
    expect(fake.storage.get('elderMode')).toBe(true)
    expect(page.data.rootFontSize).toBe('20px')
    expect(page.querySelectorAll('.entry-desc')).toHaveLength(0) // simpler: titles only
    expect(textOf(page)).toContain('长辈模式')

    const again = renderPage('home/index') // the next time the app opens
    expect(again.data.elder).toBe(true)
    again.querySelector('.elder-switch').dispatchEvent('change', { detail: { value: false } })
    await waitFor(() => expect(again.data.rootFontSize).toBe('16px'))
    expect(fake.storage.get('elderMode')).toBe(false)
  })

  it('the 体检缴费 card keeps the package and the amount and drops the bill number', async () => {
    const server = fake.server
    const patient = server.addPatient('openid-patient-code', { name: '李奶奶' })
    server.addCharge({ patient_id: patient.id, package_code: server.packages[0].code })
    fake.storage.set('elderMode', true)
    const page = renderPage('pay/index')
    await page.instance.onLoad({})
    const card = page.querySelector('.charge-unpaid')
    expect(textOf(card)).toContain(server.packages[0].name)
    expect(textOf(card)).toContain('¥')
    expect(textOf(card)).not.toContain('单号')
  })
})

describe('accessible roles and labels', () => {
  const TAPPABLE = /\b(bindtap|catchtap|bind:tap|catch:tap|bindchange|bindlongpress)=/
  const CONTROLS = new Set(['button', 'picker', 'switch', 'navigator', 'checkbox', 'radio', 'input', 'textarea'])
  const wxmls = files(MINIPROGRAM_ROOT, '.wxml')

  it.each(wxmls.map((f) => [path.relative(MINIPROGRAM_ROOT, f), f]))('%s: every tappable element has aria-role and aria-label', (_name, file) => {
    const source = fs.readFileSync(file, 'utf8')
    const tags = source.match(/<[a-z][a-z-]*(?:[^>"']|"[^"]*"|'[^']*')*>/g) || []
    const missing = tags.filter((tag) => {
      const name = tag.slice(1).split(/[\s>/]/)[0]
      if (!TAPPABLE.test(tag) && !CONTROLS.has(name)) return false
      return !/\saria-role="[^"]+"/.test(tag) || !/\saria-label="[^"]+"/.test(tag)
    })
    expect(missing).toEqual([])
  })
})

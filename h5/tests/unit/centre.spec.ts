import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import CentreNotice from '@/components/CentreNotice.vue'
import CheckupNotice from '@/components/CheckupNotice.vue'
import { resetCentre } from '@/centre'

function answer(body: unknown): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } })
}

const CENTRE = { name: '某医院体检中心', phone: '0571-87654321', notice: '体检前一天清淡饮食。\n请带身份证。' }

describe('the centre’s phone and 体检须知 come from the backend (GET /api/centre)', () => {
  afterEach(() => resetCentre())

  it('shows the centre phone wherever the patient is told to call', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => answer(CENTRE))
    const one = mount(CentreNotice, { props: { text: '如需退费，请致电体检中心' } })
    const two = mount(CentreNotice)
    await flushPromises()
    for (const w of [one, two]) {
      const link = w.get('a')
      expect(link.attributes('href')).toBe('tel:0571-87654321')
      expect(link.attributes('aria-label')).toBe('拨打体检中心电话 0571-87654321')
    }
    expect(one.text()).toContain('如需退费，请致电体检中心')
    expect(String(fetch.mock.calls[0][0])).toMatch(/\/api\/centre$/)
    expect(fetch).toHaveBeenCalledTimes(1) // asked once, shared by every page
  })

  it('shows no number when the centre has none set', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => answer({ ...CENTRE, phone: '' }))
    const w = mount(CentreNotice)
    await flushPromises()
    expect(w.find('a').exists()).toBe(false)
  })

  it('lists the centre-wide notes, one a line', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => answer(CENTRE))
    const w = mount(CheckupNotice)
    await flushPromises()
    expect(w.findAll('li').map((li) => li.text())).toEqual(['体检前一天清淡饮食。', '请带身份证。'])
  })

  it('no page or setting carries its own phone number or notes', () => {
    const src = resolve(__dirname, '../../src')
    const files = ['config.ts', ...readdirSync(resolve(src, 'views')).map((f) => `views/${f}`), ...readdirSync(resolve(src, 'components')).map((f) => `components/${f}`)]
    for (const f of files) {
      const text = readFileSync(resolve(src, f), 'utf8')
      expect(text, f).not.toMatch(/VITE_CENTRE_PHONE|\d{3,4}-\d{7,8}|空腹/)
    }
  })
})

import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import PatientsView from '@/views/PatientsView.vue'
import { ApiError } from '@/api/client'
import { privacyNotice, requestCode } from '@/api/identity'

function answer(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

const NOT_FOUND = { error: { code: 'NOT_FOUND', message: '就诊人不存在', details: {} } }
const PATIENT = {
  id: 7, name: 'John Smith', sex: 'female', birth_date: '1979-11-30', doc_type: 'passport', id_number_masked: '********',
  phone_masked: '139****2222', is_default: true, verified: false, verification: { channel: 'sms', phone_masked: '139****2222' },
}

/** A fake backend: answers by method and path, records the requests. */
function backend(routes: Record<string, () => Response>) {
  const seen: { method: string; path: string; body: unknown }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const path = new URL(String(input)).pathname.replace(/^.*?(\/api\/)/, '/api/')
    const method = init?.method ?? 'GET'
    seen.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined })
    const route = routes[`${method} ${path}`]
    return route ? route() : answer(NOT_FOUND, 404)
  })
  return seen
}

describe('verification routes are always there', () => {
  afterEach(() => vi.restoreAllMocks())

  it('a 404 from sending a code is an error, not "this backend does not verify"', async () => {
    backend({})
    await expect(requestCode(5)).rejects.toBeInstanceOf(ApiError)
    await expect(requestCode(5)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' })
  })

  it('a missing privacy notice is an error too', async () => {
    backend({})
    await expect(privacyNotice()).rejects.toMatchObject({ status: 404 })
  })
})

describe('adding a 就诊人 with another document', () => {
  afterEach(() => vi.restoreAllMocks())

  it('offers the document types, asks for sex and birth date for a passport and opens the code step', async () => {
    const seen = backend({
      'GET /api/me/patients': () => answer({ items: [], total: 0 }),
      'GET /api/privacy-notice': () => answer({ version: 'v1', text: '规则' }),
      'POST /api/me/consents': () => answer({ version: 'v1', purposes: [], consented_at: '2026-12-03T08:00:00+08:00' }, 201),
      'POST /api/me/patients': () => answer(PATIENT, 201),
      'POST /api/me/patients/7/verification-code': () => answer({ channel: 'sms', phone_masked: '139****2222', expires_in: 300, resend_after: 60 }, 202),
      'GET /api/centre': () => answer({ name: '', phone: '', notice: '' }),
    })
    const w = mount(PatientsView)
    await flushPromises()
    const select = w.get('select[aria-label="证件类型"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual([
      '居民身份证', '港澳台居民居住证', '外国人永久居留身份证', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '护照',
    ])
    expect(w.find('select[aria-label="性别"]').exists()).toBe(false) // the ID card carries them
    await select.setValue('passport')
    expect(w.find('select[aria-label="性别"]').exists()).toBe(true)
    const inputs = w.findAll('input')
    await inputs[0].setValue('John Smith')
    await inputs[1].setValue('E12345678')
    await inputs[2].setValue('1979-11-30')
    await inputs[3].setValue('13900002222')
    await w.get('select[aria-label="性别"]').setValue('female')
    await w.get('input[role="checkbox"], [role="checkbox"]').trigger('click')
    await w.get('form').trigger('submit')
    await flushPromises()
    const post = seen.find((r) => r.method === 'POST' && r.path === '/api/me/patients')
    expect(post?.body).toEqual({
      name: 'John Smith', id_number: 'E12345678', phone: '13900002222', doc_type: 'passport', sex: 'female',
      birth_date: '1979-11-30',
    })
    expect(w.text()).toContain('验证码已发送到 139****2222')
  })
})

import { describe, expect, it, vi } from 'vitest'
import type { OpenClient } from '@/api/openClients'
import { CLIENT_COLUMNS, clientBody, copyText, credentialsText, emptyForm, formOf, scopesText, secretTitle } from './data'

const client: OpenClient = {
  id: 3,
  app_key: 'ck_0123456789abcdef',
  name: '市卫健委监管平台',
  remark: '王工',
  scopes: ['payments:read', 'bookings:read'],
  rate_limit_per_minute: 30,
  enabled: true,
  created_by: 'admin',
  created_at: '2026-03-01T09:00:00+08:00',
  secret_rotated_at: null,
  last_used_at: null,
}

describe('数据共享 form and table', () => {
  it('checks the form with the bounds of the server and orders the scopes', () => {
    expect(clientBody({ ...emptyForm(), name: '  省平台 ', scopes: ['payments:read', 'counts:read'] })).toEqual({
      body: { name: '省平台', remark: '', scopes: ['counts:read', 'payments:read'], rate_limit_per_minute: 60 },
    })
    expect(clientBody({ ...emptyForm(), name: '   ' })).toEqual({ error: '请输入平台名称' })
    expect(clientBody({ ...emptyForm(), name: 'x', scopes: [] })).toEqual({ error: '请至少选择一项授权范围' })
    expect(clientBody({ ...emptyForm(), name: 'x', rate_limit_per_minute: 0 })).toHaveProperty('error')
    expect(clientBody({ ...emptyForm(), name: 'x', rate_limit_per_minute: 10001 })).toHaveProperty('error')
    expect(clientBody({ ...emptyForm(), name: 'x', rate_limit_per_minute: 1.5 })).toHaveProperty('error')
    expect(clientBody({ ...emptyForm(), name: 'x'.repeat(101) })).toHaveProperty('error')
  })

  it('edits a copy of the client', () => {
    const form = formOf(client)
    form.scopes.push('counts:read')
    expect(client.scopes).toEqual(['payments:read', 'bookings:read'])
    expect(form).toMatchObject({ name: '市卫健委监管平台', remark: '王工', rate_limit_per_minute: 30 })
  })

  it('shows scopes in Chinese and never a secret in the table', () => {
    expect(scopesText(client.scopes)).toBe('预约明细（脱敏）、每日缴费与退款金额')
    expect(scopesText([])).toBe('—')
    const cells = CLIENT_COLUMNS.map((c) => c.value(client))
    expect(cells).toContain('ck_0123456789abcdef')
    expect(cells).toContain('从未调用')
    expect(CLIENT_COLUMNS.map((c) => c.key)).not.toContain('secret')
  })

  it('titles the secret dialog and builds the text handed to the platform', () => {
    expect(secretTitle('created')).toBe('接入应用已创建')
    expect(secretTitle('rotated')).toBe('密钥已重置')
    expect(credentialsText('ck_1', 'abc')).toBe('AppKey: ck_1\nSecret: abc\n接口规范：docs/interfaces/data-sharing.md（数据共享接口规范）')
  })

  it('copies to the clipboard and says when the browser refuses', async () => {
    const writeText = vi.fn(async () => undefined)
    await expect(copyText('abc', { writeText })).resolves.toBe(true)
    expect(writeText).toHaveBeenCalledWith('abc')
    await expect(copyText('abc', { writeText: vi.fn(async () => Promise.reject(new Error('denied'))) })).resolves.toBe(false)
    await expect(copyText('abc', null)).resolves.toBe(false) // no clipboard (plain HTTP)
  })
})

import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as api from '@/api/openClients'
import OpenDataPage from '@/views/opendata/index.vue'
import { mountPage, visibleDialog } from './helpers'

vi.mock('@/api/openClients', () => ({
  listOpenClients: vi.fn(),
  createOpenClient: vi.fn(),
  updateOpenClient: vi.fn(),
  rotateOpenClientSecret: vi.fn(),
  deleteOpenClient: vi.fn(),
}))

const client: api.OpenClient = {
  id: 1,
  app_key: 'ck_5f2a9c1e7b3d4a60',
  name: '市卫健委监管平台',
  remark: '',
  scopes: ['counts:read'],
  rate_limit_per_minute: 60,
  enabled: true,
  created_by: 'admin',
  created_at: '2026-03-01T09:00:00+08:00',
  secret_rotated_at: null, last_used_at: null,
}
const SECRET = 'dS7kQ2v9Xc4mN8bT1rLp6yHw3zJf5aGe0uKi2oVs9qE'

let wrapper: VueWrapper | null = null
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  document.body.innerHTML = ''
  vi.clearAllMocks()
})

function byTestId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.querySelector<T>(`[data-testid="${id}"]`)
  if (!el) throw new Error(`no element ${id}`)
  return el
}

/** The <input> of an Element Plus field (the test id lands on the input or on its wrapper). */
function inputOf(id: string): HTMLInputElement {
  const el = byTestId(id)
  return (el instanceof HTMLInputElement ? el : el.querySelector('input')) as HTMLInputElement
}

describe('数据共享 page', () => {
  it('lists the clients without any secret', async () => {
    vi.mocked(api.listOpenClients).mockResolvedValue({ items: [client], total: 1 })
    wrapper = await mountPage(OpenDataPage, { roles: ['admin'], path: '/opendata' })
    const table = wrapper.get('[data-testid="open-client-table"]').text()
    expect(table).toContain('市卫健委监管平台')
    expect(table).toContain('ck_5f2a9c1e7b3d4a60')
    expect(table).toContain('每日预约统计')
    expect(table).toContain('从未调用')
  })

  it('creates a client, shows its secret once with a warning, and forgets it when closed', async () => {
    vi.mocked(api.listOpenClients).mockResolvedValue({ items: [], total: 0 })
    vi.mocked(api.createOpenClient).mockResolvedValue({ ...client, secret: SECRET })
    wrapper = await mountPage(OpenDataPage, { roles: ['admin'], path: '/opendata' })

    await wrapper.get('[data-testid="open-client-create"]').trigger('click')
    await flushPromises()
    const name = inputOf('open-client-name')
    name.value = '市卫健委监管平台'
    name.dispatchEvent(new Event('input'))
    byTestId('open-client-save').click()
    await flushPromises()
    expect(api.createOpenClient).toHaveBeenCalledWith({
      name: '市卫健委监管平台',
      remark: '',
      scopes: ['counts:read'],
      rate_limit_per_minute: 60,
    })

    const dialog = visibleDialog()
    expect(dialog?.textContent).toContain('接入应用已创建')
    expect(dialog?.textContent).toContain('只显示这一次')
    expect(byTestId('open-secret').textContent).toBe(SECRET)
    expect(byTestId<HTMLButtonElement>('open-secret-close').disabled).toBe(true) // not before "saved" is ticked

    const saved = inputOf('open-secret-saved')
    saved.click()
    await flushPromises()
    expect(byTestId<HTMLButtonElement>('open-secret-close').disabled).toBe(false)
    byTestId('open-secret-close').click()
    await vi.waitFor(() => expect(document.querySelector('[data-testid="open-secret"]')).toBeNull())
    expect(document.body.innerHTML).not.toContain(SECRET)
  })
})

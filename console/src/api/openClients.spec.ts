import { afterEach, describe, expect, it, vi } from 'vitest'
import { createOpenClient, deleteOpenClient, listOpenClients, rotateOpenClientSecret, updateOpenClient } from './openClients'

function stubFetch(status: number, body: unknown) {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(status === 204 ? null : JSON.stringify(body), { status }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

const call = (mock: ReturnType<typeof stubFetch>) => {
  const [url, init] = mock.mock.calls[0]
  return { url: String(url), method: init?.method, body: init?.body ? JSON.parse(String(init.body)) : undefined }
}

afterEach(() => vi.unstubAllGlobals())

describe('data-sharing clients API', () => {
  it('lists with paging', async () => {
    const mock = stubFetch(200, { items: [], total: 0 })
    await expect(listOpenClients({ page: 2, page_size: 20 })).resolves.toEqual({ items: [], total: 0 })
    expect(call(mock)).toEqual({ url: '/api/console/open-clients?page=2&page_size=20', method: 'GET', body: undefined })
  })

  it('creates and gets the secret back once', async () => {
    const mock = stubFetch(201, { id: 1, app_key: 'ck_1', secret: 's3cret' })
    const created = await createOpenClient({ name: '监管平台', scopes: ['counts:read'], rate_limit_per_minute: 60 })
    expect(created.secret).toBe('s3cret')
    expect(call(mock)).toEqual({
      url: '/api/console/open-clients',
      method: 'POST',
      body: { name: '监管平台', scopes: ['counts:read'], rate_limit_per_minute: 60 },
    })
  })

  it('updates, rotates and deletes by id', async () => {
    let mock = stubFetch(200, { id: 7, enabled: false })
    await updateOpenClient(7, { enabled: false })
    expect(call(mock)).toEqual({ url: '/api/console/open-clients/7', method: 'PUT', body: { enabled: false } })

    mock = stubFetch(200, { id: 7, secret: 'new' })
    expect((await rotateOpenClientSecret(7)).secret).toBe('new')
    expect(call(mock)).toMatchObject({ url: '/api/console/open-clients/7/rotate-secret', method: 'POST' })

    mock = stubFetch(204, null)
    await expect(deleteOpenClient(7)).resolves.toBeUndefined()
    expect(call(mock)).toMatchObject({ url: '/api/console/open-clients/7', method: 'DELETE' })
  })
})

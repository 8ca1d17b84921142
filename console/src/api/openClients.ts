import { http, type Page } from './client'
import type { components } from './schema'

/** A data-sharing client as the server sends it (never its secret; generated from the OpenAPI document). */
export type OpenClient = components['schemas']['OpenClientOut']

/** What a data-sharing client may read (the open API's scopes). */
export type OpenScope = OpenClient['scopes'][number]

/** A client with its secret: only the answers of create and rotate-secret carry it, once. */
export interface OpenClientWithSecret extends OpenClient {
  secret: string
}

export interface OpenClientCreate {
  name: string
  remark?: string
  scopes: OpenScope[]
  rate_limit_per_minute?: number
}

export interface OpenClientUpdate {
  name?: string
  remark?: string
  scopes?: OpenScope[]
  rate_limit_per_minute?: number
  enabled?: boolean
}

const BASE = '/api/console/open-clients'

/** GET /api/console/open-clients (never a secret) */
export function listOpenClients(query: { page?: number; page_size?: number } = {}): Promise<Page<OpenClient>> {
  return http.get<Page<OpenClient>>(BASE, query)
}

/** POST /api/console/open-clients → 201 the client and its secret (shown this once) */
export function createOpenClient(body: OpenClientCreate): Promise<OpenClientWithSecret> {
  return http.post<OpenClientWithSecret>(BASE, body)
}

/** PUT /api/console/open-clients/{id}: name, remark, scopes, rate limit, enabled */
export function updateOpenClient(id: number, body: OpenClientUpdate): Promise<OpenClient> {
  return http.put<OpenClient>(`${BASE}/${id}`, body)
}

/** POST /api/console/open-clients/{id}/rotate-secret → the client and its new secret (shown this once) */
export function rotateOpenClientSecret(id: number): Promise<OpenClientWithSecret> {
  return http.post<OpenClientWithSecret>(`${BASE}/${id}/rotate-secret`)
}

/** DELETE /api/console/open-clients/{id} → 204 */
export function deleteOpenClient(id: number): Promise<void> {
  return http.delete<void>(`${BASE}/${id}`)
}

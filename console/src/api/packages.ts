import { http } from './client'

export interface ConsolePackage {
  code: string
  name: string
  price_fen: number
  sex: 'any' | 'male' | 'female'
  online: boolean
  summary?: string | null
  synced_at?: string | null
}

/** GET /api/console/packages → {items} */
export function listPackages(): Promise<{ items: ConsolePackage[] }> {
  return http.get<{ items: ConsolePackage[] }>('/api/console/packages')
}

/** PUT /api/console/packages/{code} {online} */
export function setPackageOnline(code: string, online: boolean): Promise<ConsolePackage> {
  return http.put<ConsolePackage>(`/api/console/packages/${encodeURIComponent(code)}`, { online })
}

export interface PackageSyncResult {
  synced?: number
  created?: number
  updated?: number
}

/** POST /api/console/packages/sync (beyond API.md): pull the package list from PEIS now. */
export function syncPackages(): Promise<PackageSyncResult> {
  return http.post<PackageSyncResult>('/api/console/packages/sync')
}

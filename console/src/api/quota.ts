import { http } from './client'

export interface DayQuota {
  date: string
  capacity: number
  booked: number
  remaining: number
  open: boolean
}

export interface QuotaRange {
  days: DayQuota[]
}

export interface DayQuotaUpdate {
  capacity: number
  open: boolean
}

export interface QuotaBatch {
  from: string
  to: string
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: number[]
  capacity: number
  open: boolean
}

/** GET /api/console/quota?from=&to= */
export function listQuota(from: string, to: string): Promise<QuotaRange> {
  return http.get<QuotaRange>('/api/console/quota', { from, to })
}

/** PUT /api/console/quota/{date}; CAPACITY_BELOW_BOOKED when capacity < booked. */
export function updateDayQuota(date: string, body: DayQuotaUpdate): Promise<DayQuota> {
  return http.put<DayQuota>(`/api/console/quota/${encodeURIComponent(date)}`, body, { silent: true })
}

/** POST /api/console/quota/batch */
export function batchSetQuota(body: QuotaBatch): Promise<{ updated: number }> {
  return http.post<{ updated: number }>('/api/console/quota/batch', body)
}

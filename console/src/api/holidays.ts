/** Closed days (holidays). An addition to API.md: GET/POST/DELETE /api/console/holidays. */
import { http } from './client'

export interface Holiday {
  date: string
  name: string
}

/** GET /api/console/holidays?from=&to= → {items} */
export function listHolidays(from?: string, to?: string): Promise<{ items: Holiday[] }> {
  return http.get<{ items: Holiday[] }>('/api/console/holidays', { from, to })
}

/** POST /api/console/holidays {date, name} → the holiday */
export function addHoliday(body: Holiday): Promise<Holiday> {
  return http.post<Holiday>('/api/console/holidays', body)
}

/** DELETE /api/console/holidays/{date} → 204 */
export function deleteHoliday(date: string): Promise<void> {
  return http.delete<void>(`/api/console/holidays/${encodeURIComponent(date)}`)
}

import { http, type JsonValue, type Page } from './client'

/** The durable job table (worker): pending → running → done, or failed once its retries are used up. */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed'

export interface JobRow {
  id: number
  /** his_writeback / refund / send_message … (new kinds are shown as sent) */
  kind: string
  payload: Record<string, JsonValue>
  status: JobStatus
  attempts: number
  max_attempts?: number
  last_error: string
  run_after: string
  created_at?: string
  updated_at: string
}

export interface JobsQuery {
  status: JobStatus
  page?: number
  page_size?: number
}

/** GET /api/console/jobs?status= */
export function listJobs(query: JobsQuery): Promise<Page<JobRow>> {
  return http.get<Page<JobRow>>('/api/console/jobs', { ...query })
}

/** POST /api/console/jobs/{id}/retry: a failed job runs again now (409 JOB_NOT_RETRYABLE otherwise). */
export function retryJob(id: number): Promise<JobRow> {
  return http.post<JobRow>(`/api/console/jobs/${id}/retry`)
}

import { http, type Page } from './client'
import type { components } from './schema'

/** The durable job table (worker): pending → running → done, or failed once its retries are used up. */
export type JobStatus = 'pending' | 'running' | 'done' | 'failed'

/** A job as the server sends it (generated from the OpenAPI document); status is one of JobStatus. */
export type JobRow = components['schemas']['JobOut']

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

import type { JobRow, JobStatus } from '@/api/jobs'
import { formatDateTime } from '@/utils/format'
import { can } from '@/utils/permission'

/** The worker's job kinds in Chinese; a kind not listed here is shown as the server sends it. */
export const JOB_KINDS: Record<string, string> = {
  his_writeback: '回写HIS',
  refund: '退款',
  send_message: '订阅消息',
  peis_booked_day: '告知PEIS预约日期',
}

export function kindText(kind: string): string {
  return JOB_KINDS[kind] ?? kind
}

export interface JobTab {
  status: JobStatus
  label: string
  empty: string
}

/** Failed first: those are the ones that need a person. */
export const JOB_TABS: JobTab[] = [
  { status: 'failed', label: '失败', empty: '没有失败的任务' },
  { status: 'pending', label: '等待中', empty: '没有等待执行的任务' },
  { status: 'running', label: '运行中', empty: '没有正在执行的任务' },
  { status: 'done', label: '已完成', empty: '没有已完成的任务' },
]

const PAYLOAD_NAMES: Record<string, string> = {
  payment_no: '支付单号',
  refund_no: '退款单号',
}

function plain(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
}

/** The records a job works on: payment_no / refund_no by name, anything else as compact JSON. */
export function payloadSummary(payload: Record<string, unknown> | null | undefined): string {
  if (!payload) return '—'
  const named = Object.keys(PAYLOAD_NAMES)
    .filter((key) => payload[key] !== undefined && payload[key] !== null && payload[key] !== '')
    .map((key) => `${PAYLOAD_NAMES[key]} ${plain(payload[key])}`)
  if (named.length) return named.join('，')
  const text = JSON.stringify(payload)
  if (text === '{}') return '—'
  return text.length > 80 ? `${text.slice(0, 79)}…` : text
}

export function attemptsText(row: Pick<JobRow, 'attempts'> & { max_attempts?: number }): string {
  return row.max_attempts ? `${row.attempts} / ${row.max_attempts}` : String(row.attempts)
}

export interface JobColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  /** long text: one line with the whole text in a tooltip */
  overflow?: boolean
  value: (row: JobRow) => string
}

export const JOB_COLUMNS: JobColumn[] = [
  { key: 'id', label: '编号', width: 80, value: (r) => String(r.id) },
  { key: 'kind', label: '类型', width: 100, value: (r) => kindText(r.kind) },
  { key: 'payload', label: '业务单号', minWidth: 220, overflow: true, value: (r) => payloadSummary(r.payload) },
  { key: 'attempts', label: '已执行次数', width: 100, value: attemptsText },
  { key: 'last_error', label: '最后错误', minWidth: 220, overflow: true, value: (r) => r.last_error || '—' },
  { key: 'created_at', label: '创建时间', width: 170, value: (r) => formatDateTime(r.created_at) },
  { key: 'updated_at', label: '更新时间', width: 170, value: (r) => formatDateTime(r.updated_at) },
]

/** 重新执行 is offered on failed jobs only, to finance and admin (the server checks both again). */
export function canRetry(row: Pick<JobRow, 'status'>, roles: readonly string[]): boolean {
  return row.status === 'failed' && can(roles, 'jobs.retry')
}

/** The confirmation before re-queueing: what will happen, and why running it again is safe. */
export function retryConfirmMessage(row: JobRow): string {
  const summary = payloadSummary(row.payload)
  const what = `「${kindText(row.kind)}」任务 #${row.id}${summary === '—' ? '' : `（${summary}）`}`
  return [
    `${what}将立即重新排队执行，执行次数从 0 开始计算。`,
    '重新执行是安全的：回写HIS以本系统支付单号作为幂等键，HIS 不会重复入账，结果未知时先查询再决定；'
      + '退款以退款单号作为幂等键，HIS 和微信支付都不会重复退款。',
    '请先确认导致失败的原因（见“最后错误”）已经排除，否则任务可能再次失败。',
  ].join('\n')
}

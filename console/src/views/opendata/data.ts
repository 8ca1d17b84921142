import type { OpenClient, OpenClientCreate, OpenScope } from '@/api/openClients'
import { formatDateTime } from '@/utils/format'

export const SCOPE_LABELS: Record<OpenScope, string> = {
  'bookings:read': '预约明细（脱敏）',
  'counts:read': '每日预约统计',
  'payments:read': '每日缴费与退款金额',
}

export const SCOPES = Object.keys(SCOPE_LABELS) as OpenScope[]
export const SCOPE_OPTIONS = SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] }))

export const DEFAULT_RATE_LIMIT = 60
export const MAX_RATE_LIMIT = 10000

export function scopesText(scopes: readonly OpenScope[]): string {
  const known = SCOPES.filter((s) => scopes.includes(s))
  return known.length ? known.map((s) => SCOPE_LABELS[s]).join('、') : '—'
}

export interface ClientColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: OpenClient) => string
}

export const CLIENT_COLUMNS: ClientColumn[] = [
  { key: 'name', label: '平台名称', minWidth: 160, value: (r) => r.name },
  { key: 'app_key', label: '应用标识（AppKey）', width: 200, value: (r) => r.app_key },
  { key: 'scopes', label: '授权范围', minWidth: 220, value: (r) => scopesText(r.scopes) },
  { key: 'rate_limit_per_minute', label: '每分钟上限', width: 100, value: (r) => String(r.rate_limit_per_minute) },
  { key: 'last_used_at', label: '最近调用', width: 170, value: (r) => (r.last_used_at ? formatDateTime(r.last_used_at) : '从未调用') },
  { key: 'created', label: '创建', width: 200, value: (r) => `${formatDateTime(r.created_at)} ${r.created_by}` },
]

export interface ClientForm {
  name: string
  remark: string
  scopes: OpenScope[]
  rate_limit_per_minute: number
}

export function emptyForm(): ClientForm {
  return { name: '', remark: '', scopes: ['counts:read'], rate_limit_per_minute: DEFAULT_RATE_LIMIT }
}

export function formOf(client: OpenClient): ClientForm {
  return { name: client.name, remark: client.remark, scopes: [...client.scopes], rate_limit_per_minute: client.rate_limit_per_minute }
}

/** The form as the API takes it, or the first problem in Chinese (the same bounds as the server). */
export function clientBody(form: ClientForm): { body: OpenClientCreate } | { error: string } {
  const name = form.name.trim()
  if (!name) return { error: '请输入平台名称' }
  if (name.length > 100) return { error: '平台名称不能超过100个字' }
  if (form.remark.length > 200) return { error: '备注不能超过200个字' }
  const scopes = SCOPES.filter((s) => form.scopes.includes(s))
  if (!scopes.length) return { error: '请至少选择一项授权范围' }
  const limit = form.rate_limit_per_minute
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RATE_LIMIT) return { error: `每分钟上限应为1至${MAX_RATE_LIMIT}的整数` }
  return { body: { name, remark: form.remark.trim(), scopes, rate_limit_per_minute: limit } }
}

export type SecretReason = 'created' | 'rotated'

export function secretTitle(reason: SecretReason): string {
  return reason === 'created' ? '接入应用已创建' : '密钥已重置'
}

export const SECRET_WARNING =
  '签名密钥只显示这一次，关闭后无法再查看。请立即复制并通过安全渠道交给平台，不要通过普通聊天工具或邮件明文发送。遗失时只能重置密钥。'

/** The text handed to the platform: app key and secret, with where the spec is. */
export function credentialsText(appKey: string, secret: string): string {
  return `AppKey: ${appKey}\nSecret: ${secret}\n接口规范：docs/interfaces/data-sharing.md（数据共享接口规范）`
}

/** Copy to the clipboard; false when the browser refuses (e.g. not HTTPS), so the page can say so. */
export async function copyText(
  text: string,
  clipboard: Pick<Clipboard, 'writeText'> | null = globalThis.navigator?.clipboard ?? null,
): Promise<boolean> {
  if (!clipboard) return false
  try {
    await clipboard.writeText(text)
    return true
  } catch {
    return false
  }
}

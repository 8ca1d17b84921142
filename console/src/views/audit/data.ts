import type { AuditLogRow } from '@/api/audit'
import type { JsonValue } from '@/api/client'
import { addDays, formatDateTime } from '@/utils/format'

export function detailText(detail: JsonValue): string {
  if (detail === null || detail === undefined || detail === '') return ''
  return typeof detail === 'string' ? detail : JSON.stringify(detail)
}

/** Audit actions in Chinese; the raw code is shown only in the 详情 popover. */
export const AUDIT_ACTIONS: Record<string, string> = {
  login: '登录',
  login_account: '登录（按账号限频）',
  logout: '退出登录',
  'staff.create': '新建账号',
  'staff.update': '修改账号',
  'staff.password_change': '修改密码',
  'quota.update': '设置当日号源',
  'quota.batch': '批量设置号源',
  'holiday.add': '设置休息日',
  'holiday.add_range': '设置休息日（区间）',
  'holiday.import': '导入年度节假日',
  'holiday.delete': '取消休息日',
  'rules.update': '修改预约规则',
  'report.export': '导出/查看预约患者报表',
  'report.monthly': '下载系统运行报告',
  'audit.export': '导出安全审计数据',
  'staff.cli_unlock': '服务器端解锁账号',
  'staff.cli_reset_password': '服务器端重置密码',
  'patient_security.token_refused': '患者端登录凭证被拒绝',
  'patient_security.verification_failed': '就诊人验证码错误',
  'patient_security.verification_locked': '就诊人验证被锁定',
  'booking.confirm': '确认患者',
  'booking.confirm_many': '批量确认患者',
  'booking.unconfirm': '撤销确认',
  'booking.staff_reschedule': '代患者改约',
  'booking.staff_cancel': '代患者取消预约',
  'booking.no_show': '标记未到检',
  'package.update': '修改套餐上下线',
  'package.sync': '同步套餐',
  'patient.reveal_pii': '查看完整身份证号/手机号',
  'payment.refund': '财务退款',
  'job.retry': '重新执行任务',
  'open_client.create': '新建数据共享平台',
  'open_client.update': '修改数据共享平台',
  'open_client.delete': '删除数据共享平台',
  'open_client.rotate_secret': '重置数据共享密钥',
  'open.ping': '数据共享：连通测试',
  'open.bookings': '数据共享：预约明细',
  'open.booking_counts': '数据共享：每日预约人数',
  'open.payment_totals': '数据共享：缴费汇总',
}

/** The Chinese name of an audit action; an unknown one is shown as "其他操作" (its code in the popover). */
export function actionText(action: string): string {
  return AUDIT_ACTIONS[action] ?? '其他操作'
}

export const OUTCOME_LABELS: Record<string, { text: string; type: 'success' | 'danger' | 'info' }> = {
  success: { text: '成功', type: 'success' },
  failure: { text: '失败', type: 'danger' },
  failed: { text: '失败', type: 'danger' },
  denied: { text: '拒绝', type: 'danger' },
}

export interface AuditColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: AuditLogRow) => string
}

export const AUDIT_COLUMNS: AuditColumn[] = [
  { key: 'at', label: '时间', width: 170, value: (r) => formatDateTime(r.at) },
  { key: 'actor', label: '操作人', width: 110, value: (r) => r.actor },
  { key: 'ip', label: '来源地址', width: 130, value: (r) => r.ip },
  { key: 'action', label: '操作', width: 170, value: (r) => actionText(r.action) },
  { key: 'target', label: '对象', width: 160, value: (r) => r.target },
]

export interface AuditFilter {
  range: string[]
  actor: string
  action: string
}

/** The last 7 days by default. */
export function defaultAuditFilter(today: string): AuditFilter {
  return { range: [addDays(today, -6), today], actor: '', action: '' }
}

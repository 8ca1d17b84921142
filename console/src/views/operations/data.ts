import type { MonthlyReport } from '@/api/operations'

/** Route families of the report in Chinese (services/ops_report.py FAMILY_TEXT). */
export const FAMILY_TEXT: Record<string, string> = {
  patient: '患者端接口',
  console: '管理后台接口',
  open: '数据共享开放接口',
  wechatpay: '微信支付通知',
  his_notify: '医院系统通知',
  system: '健康检查与监控',
  static: '页面与静态文件',
  unmatched: '未匹配路径',
}

export const SYSTEM_TEXT: Record<string, string> = { his: 'HIS', peis: 'PEIS' }

export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '未记录' : `${value}%`)

export const yuan = (fen: number | undefined): string => ((fen ?? 0) / 100).toFixed(2)

/** The headline figures of a month, in the order the page shows them. */
export function headline(report: MonthlyReport): { label: string; value: string }[] {
  return [
    { label: '服务可用率', value: percent(report.availability.percent) },
    { label: '新增预约', value: String(report.bookings.booked ?? 0) },
    { label: '支付成功', value: `${report.payments.paid ?? 0} 笔 / ${yuan(report.payments.paid_fen)} 元` },
    { label: '退款成功', value: `${report.refunds.succeeded ?? 0} 笔 / ${yuan(report.refunds.succeeded_fen)} 元` },
    { label: '回写HIS失败', value: String(report.payments.his_failed ?? 0) },
    { label: '任务失败', value: String(report.jobs.failed ?? 0) },
    { label: '对账差异（未解决）', value: `${report.reconciliation.differences}（${report.reconciliation.open}）` },
    { label: '号源使用率', value: percent(report.capacity.use_percent) },
    {
      label: '安全事件',
      value: String(
        (report.security.login_failures ?? 0) + (report.security.login_throttled ?? 0) + (report.security.open_refused ?? 0) +
          (report.security.patient_events ?? 0),
      ),
    },
  ]
}

/** "2026-11" -> "2026年11月" */
export function monthText(month: string): string {
  const [year, mon] = month.split('-')
  return `${year}年${Number(mon)}月`
}

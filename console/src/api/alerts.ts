import { http } from './client'

/** An open finance alert (server: checkup.services.alerts), raised once per episode. */
export interface FinanceAlert {
  /** WECHAT_NOT_ENOUGH: the merchant balance is too low for refunds, which wait and retry */
  kind: string
  /** what happened and what to do, in Chinese */
  text: string
  /** how often it was seen since it was raised */
  times: number
  /** the latest refund it held up */
  refund_no: string
  first_at: string
  last_at: string
}

/** GET /api/console/alerts (finance and admin): the open alerts, oldest first. */
export function listAlerts(): Promise<{ items: FinanceAlert[] }> {
  return http.get<{ items: FinanceAlert[] }>('/api/console/alerts')
}

/** The line an alert shows: its text, since when and how often (Asia/Shanghai wall time). */
export function alertLine(alert: FinanceAlert, formatTime: (iso: string) => string): string {
  const since = `自 ${formatTime(alert.first_at)} 起`
  const times = alert.times > 1 ? `，已发生 ${alert.times} 次` : ''
  const last = alert.refund_no ? `，最近受影响的退款 ${alert.refund_no}` : ''
  return `${alert.text}（${since}${times}${last}）`
}

/** The 首页 figures, composed from the quota and payments endpoints (no dashboard endpoint needed). */
import { addDays } from '@/utils/format'
import { listPayments, type PaymentRow } from './payments'
import { listQuota, type DayQuota } from './quota'

export interface DashboardData {
  today: string
  /** today and the next 7 days */
  days: DayQuota[]
  todayBooked: number
  weekBooked: number
  paymentsCount: number
  paymentsFen: number
}

/** Payments WeChat took (the server's summary counts the same: held ones go back in full). */
const TAKEN: ReadonlySet<PaymentRow['status']> = new Set(['paid'])

export function paidTotals(items: PaymentRow[]): { count: number; amount_fen: number } {
  const paid = items.filter((p) => TAKEN.has(p.status))
  return { count: paid.length, amount_fen: paid.reduce((sum, p) => sum + p.amount_fen, 0) }
}

export interface DashboardParts {
  /** staff and admin see bookings (quota) */
  bookings: boolean
  /** finance and admin see payments */
  payments: boolean
}

export async function loadDashboard(today: string, parts: DashboardParts): Promise<DashboardData> {
  const to = addDays(today, 7)
  const [quota, payments] = await Promise.all([
    parts.bookings ? listQuota(today, to) : Promise.resolve({ days: [] as DayQuota[] }),
    // page_size: the server allows at most 200; its summary counts every payment of the day
    parts.payments ? listPayments({ from: today, to: today, page: 1, page_size: 200 }) : Promise.resolve(null),
  ])
  const days = quota.days
  const totals = payments ? (payments.summary ?? paidTotals(payments.items)) : { count: 0, amount_fen: 0 }
  return {
    today,
    days,
    todayBooked: days.find((d) => d.date === today)?.booked ?? 0,
    weekBooked: days.reduce((sum, d) => sum + d.booked, 0),
    paymentsCount: totals.count,
    paymentsFen: totals.amount_fen,
  }
}

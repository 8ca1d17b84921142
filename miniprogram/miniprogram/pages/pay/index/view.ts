/** What the 体检缴费 page shows, built from service data (kept apart so the page file stays short). */

import { activeBooking, canBook, canRefund, Charge } from '../../../services/charges'
import { FinalPayState, PAY_STATE_TEXT, PayState } from '../../../services/flows/pay'
import { Patient, SEX_TEXT } from '../../../services/patients'
import { dayLongText } from '../../../utils/date'
import { formatFen } from '../../../utils/money'

export interface UnpaidView {
  bill_no: string
  item_name: string
  /** The card's title: the package name, else the HIS item name. */
  title: string
  /** The HIS item (when it differs from the title) and the bill number: left out in 长辈模式. */
  billLine: string
  amountText: string
  isNew: boolean
}

export interface PaidView {
  bill_no: string
  item_name: string
  title: string
  billLine: string
  amountText: string
  status: string
  statusText: string
  booking: { id: number; dateText: string; statusText: string } | null
  canBook: boolean
  canRefund: boolean
}

export interface PayPanel {
  visible: boolean
  state: PayState | ''
  /** pending | success | fail | neutral: the colour and icon. */
  tone: string
  icon: string
  title: string
  message: string
  amountText: string
  paymentNo: string
  billNo: string
  busy: boolean
}

export const HIDDEN_PANEL: PayPanel = {
  visible: false,
  state: '',
  tone: '',
  icon: '',
  title: '',
  message: '',
  amountText: '',
  paymentNo: '',
  billNo: '',
  busy: false,
}

function billLine(charge: Charge): string {
  const title = charge.package_name || charge.item_name
  return `${title === charge.item_name ? '' : `${charge.item_name} · `}单号 ${charge.bill_no}`
}

export function patientLabel(p: Patient): string {
  return `${p.name}（${SEX_TEXT[p.sex] || ''}）${p.is_default ? ' 默认' : ''}`
}

export function unpaidView(charge: Charge, newBillNo: string): UnpaidView {
  return {
    bill_no: charge.bill_no,
    item_name: charge.item_name,
    title: charge.package_name || charge.item_name,
    billLine: billLine(charge),
    amountText: formatFen(charge.amount_fen),
    isNew: charge.bill_no === newBillNo,
  }
}

export function paidView(charge: Charge): PaidView {
  const booking = activeBooking(charge)
  return {
    bill_no: charge.bill_no,
    item_name: charge.item_name,
    title: charge.package_name || charge.item_name,
    billLine: billLine(charge),
    amountText: formatFen(charge.amount_fen),
    status: charge.status,
    statusText: charge.status_text || charge.status,
    booking: booking
      ? { id: booking.id, dateText: dayLongText(booking.date), statusText: booking.status_text || booking.status }
      : null,
    canBook: canBook(charge),
    canRefund: canRefund(charge),
  }
}

const TONE: Record<PayState, { tone: string; icon: string }> = {
  creating: { tone: 'pending', icon: '…' },
  paying: { tone: 'pending', icon: '…' },
  confirming: { tone: 'pending', icon: '…' },
  unknown: { tone: 'pending', icon: '?' },
  paid: { tone: 'success', icon: '✓' },
  failed: { tone: 'fail', icon: '✕' },
  refunded: { tone: 'fail', icon: '!' },
  cancelled: { tone: 'neutral', icon: '—' },
}

/** The panel while the payment is under way. */
export function busyPanel(state: PayState, billNo: string, amountText: string): PayPanel {
  return {
    ...HIDDEN_PANEL,
    visible: true,
    state,
    ...TONE[state],
    title: PAY_STATE_TEXT[state],
    message: '请不要关闭本页，也不要重复缴费。',
    amountText,
    billNo,
    busy: true,
  }
}

/** The panel once the server's answer (or its absence) is known. */
export function finalPanel(
  state: FinalPayState,
  message: string,
  billNo: string,
  amountText: string,
  paymentNo: string,
): PayPanel {
  return {
    ...HIDDEN_PANEL,
    visible: true,
    state,
    ...TONE[state],
    title: PAY_STATE_TEXT[state],
    message,
    amountText,
    paymentNo,
    billNo,
    busy: false,
  }
}

/** Charges (缴费项目): HIS bills of a 就诊人, unpaid ones read from HIS. */

import { Booking, BOOKING_STATUS } from './bookings'
import { http, ListAnswer } from './request'
import type { components } from './schema'

export const CHARGE_STATUS = {
  UNPAID: 'unpaid',
  /** Money taken, HIS write-back pending. */
  PAYING: 'paying',
  PAID: 'paid',
  REFUNDING: 'refunding',
  REFUNDED: 'refunded',
  CANCELLED: 'cancelled',
} as const satisfies Record<string, components['schemas']['ChargeOut']['status']>
/** A charge's state as the server sends it (generated from the OpenAPI document). */
export type ChargeStatus = components['schemas']['ChargeOut']['status']

export type ChargeListStatus = 'unpaid' | 'paid'

export interface Charge {
  bill_no: string
  patient_id: number
  item_name: string
  amount_fen: number
  status: ChargeStatus
  /** The server's words for the status (checkup.domain.booking.CHARGE_STATUS_TEXT): shown as sent. */
  status_text?: string
  package_code?: string | null
  /** The 体检套餐 the bill was opened for (null for a bill PEIS did not open from a package). */
  package_name?: string | null
  booking?: Booking | null
  /** When the bill was opened, if the server sends it. */
  created_at?: string
  paid_at?: string
}

export function listCharges(patientId: number, status: ChargeListStatus): Promise<Charge[]> {
  return http
    .get<ListAnswer<Charge>>('/api/me/charges', { patient_id: patientId, status })
    .then((answer) => answer.items)
}

/** The charge's booking unless it was cancelled. */
export function activeBooking(charge: Charge): Booking | null {
  const booking = charge.booking
  return booking && booking.status !== BOOKING_STATUS.CANCELLED ? booking : null
}

/** 预约 is offered for a paid charge without an active booking. */
export function canBook(charge: Charge): boolean {
  return charge.status === CHARGE_STATUS.PAID && !activeBooking(charge)
}

/** 申请退费 is offered for a paid charge without an active booking. */
export function canRefund(charge: Charge): boolean {
  return charge.status === CHARGE_STATUS.PAID && !activeBooking(charge)
}

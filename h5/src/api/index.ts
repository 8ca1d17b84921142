// One function per endpoint; the types come from the OpenAPI document (schema.d.ts, generated).
import type { components } from './schema'
import { request } from './client'

type S = components['schemas']
export type Package = S['PackageOut']
export type Patient = S['PatientOut']
export type Charge = S['ChargeOut']
export type Payment = S['PaymentCreatedOut']
export type PaymentStatus = S['PaymentOut']
export type Booking = S['BookingOut']
export type CalendarDay = S['CalendarDayOut']
export type Refund = S['RefundOut']
export type OAuthStart = S['OAuthStartOut']
export type Token = S['TokenOut']
export type PatientIn = S['PatientIn']
export type Centre = S['CentreOut']

export const api = {
  oauthStart: () => request<OAuthStart>('GET', '/api/auth/wechat-oa/authorize'),
  oauthLogin: (code: string, state: string) => request<Token>('POST', '/api/auth/wechat-oa', { code, state }),
  centre: () => request<Centre>('GET', '/api/centre'),
  packages: () => request<S['PackageList']>('GET', '/api/packages').then((r) => r.items),
  patients: () => request<S['PatientList']>('GET', '/api/me/patients').then((r) => r.items),
  addPatient: (body: PatientIn) => request<Patient>('POST', '/api/me/patients', body),
  removePatient: (id: number) => request<void>('DELETE', `/api/me/patients/${id}`),
  openOrder: (patientId: number, packageCode: string) =>
    request<S['OrderOut']>('POST', '/api/me/orders', { patient_id: patientId, package_code: packageCode }),
  charges: (patientId: number, status: 'unpaid' | 'paid') =>
    request<S['ChargeList']>('GET', '/api/me/charges', undefined, { patient_id: patientId, status }).then((r) => r.items),
  pay: (patientId: number, billNos: string[]) => request<Payment>('POST', '/api/me/payments', { patient_id: patientId, bill_nos: billNos }),
  payment: (paymentNo: string) => request<PaymentStatus>('GET', `/api/me/payments/${encodeURIComponent(paymentNo)}`),
  calendar: () => request<S['CalendarOut']>('GET', '/api/calendar').then((r) => r.days),
  book: (billNo: string, date: string) => request<Booking>('POST', '/api/me/bookings', { bill_no: billNo, date }),
  bookings: () => request<S['BookingList']>('GET', '/api/me/bookings').then((r) => r.items),
  booking: (id: number) => request<Booking>('GET', `/api/me/bookings/${id}`),
  cancelBooking: (id: number) => request<Booking>('POST', `/api/me/bookings/${id}/cancel`),
  refund: (billNo: string, reason: string) => request<Refund>('POST', '/api/me/refunds', { bill_no: billNo, reason }),
}

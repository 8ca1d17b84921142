/**
 * Payments whose result the server had not confirmed when the patient left the 支付确认中 screen.
 * Before paying the same bill again, the earlier payment is looked up, so nobody pays twice
 * for one checkup because a notification was late.
 */

export const PENDING_PAYMENTS_KEY = 'checkup.pendingPayments'
// A WeChat prepay order lives 2 hours; after that an unconfirmed payment cannot still complete.
export const PENDING_MAX_AGE_MS = 2 * 3600 * 1000

export interface PendingPayment {
  paymentNo: string
  billNos: string[]
  at: number
}

export interface PendingStore {
  /** The unexpired pending payment covering any of these bills. */
  find(billNos: string[], now: number): PendingPayment | null
  remember(payment: PendingPayment): void
  forget(paymentNo: string): void
}

function read(): PendingPayment[] {
  try {
    const value = wx.getStorageSync(PENDING_PAYMENTS_KEY)
    return Array.isArray(value) ? (value as PendingPayment[]) : []
  } catch (e) {
    return []
  }
}

function write(list: PendingPayment[]): void {
  try {
    wx.setStorageSync(PENDING_PAYMENTS_KEY, list)
  } catch (e) {
    // storage full or unavailable: the server remains the source of truth
  }
}

/** The store kept in wx storage, on this phone. */
export const storagePendingStore: PendingStore = {
  find(billNos, now) {
    const fresh = read().filter((p) => now - p.at < PENDING_MAX_AGE_MS)
    return fresh.find((p) => p.billNos.some((b) => billNos.includes(b))) || null
  },
  remember(payment) {
    write(read().filter((p) => p.paymentNo !== payment.paymentNo).concat(payment))
  },
  forget(paymentNo) {
    const list = read()
    const kept = list.filter((p) => p.paymentNo !== paymentNo)
    if (kept.length !== list.length) write(kept)
  },
}

/** An in-memory store, for tests and for Node. */
export function memoryPendingStore(): PendingStore & { items: PendingPayment[] } {
  const items: PendingPayment[] = []
  return {
    items,
    find(billNos, now) {
      return items.find((p) => now - p.at < PENDING_MAX_AGE_MS && p.billNos.some((b) => billNos.includes(b))) || null
    },
    remember(payment) {
      this.forget(payment.paymentNo)
      items.push(payment)
    },
    forget(paymentNo) {
      const i = items.findIndex((p) => p.paymentNo === paymentNo)
      if (i >= 0) items.splice(i, 1)
    },
  }
}

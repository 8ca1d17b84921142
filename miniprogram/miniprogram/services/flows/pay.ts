/**
 * Pay and confirm. The WeChat cashier's answer is never taken as proof: after it (success,
 * failure or cancel alike) the server is asked for the payment's real state, and on success it is
 * polled until the payment is paid or failed, or the time is up.
 */

import { config } from '../../config'
import { messageOf } from '../errors'
import { ClientPayOutcome, envVersion, PayParams, wxRequestPayment } from '../platform'
import { askSubscription } from '../subscribe'
import { createPayment, CreatedPayment, getPayment, Payment, paymentOutcome, sandboxPay } from '../payments'
import { PendingStore, storagePendingStore } from './pending-payments'

/** Every state the pay page shows. */
export type PayState =
  | 'creating' // asking the server for a payment
  | 'paying' // the WeChat cashier is open
  | 'confirming' // asking the server whether the money arrived (支付确认中)
  | 'paid' // the server confirmed (支付成功)
  | 'failed' // not paid (支付失败)
  | 'cancelled' // the patient closed the cashier and the server has no payment (已取消)
  | 'refunded' // money came in but the bill could not be settled: it is being returned
  | 'unknown' // no answer in time: still 支付确认中, never "failed"

export type FinalPayState = Exclude<PayState, 'creating' | 'paying' | 'confirming'>

export interface PayResult {
  state: FinalPayState
  message: string
  paymentNo?: string
  amountFen?: number
  payment?: Payment
}

export const PAY_STATE_TEXT: Record<PayState, string> = {
  creating: '正在发起支付…',
  paying: '请在微信支付中完成付款',
  confirming: '支付确认中，请稍候',
  paid: '支付成功',
  failed: '支付失败',
  cancelled: '已取消支付',
  refunded: '缴费未完成，款项将原路退回',
  unknown: '支付确认中',
}

export interface PayDeps {
  createPayment: (input: { patientId: number; billNos: string[] }) => Promise<CreatedPayment>
  requestPayment: (params: PayParams) => Promise<ClientPayOutcome>
  sandboxPay: (paymentNo: string) => Promise<unknown>
  getPayment: (paymentNo: string) => Promise<Payment>
  sleep: (ms: number) => Promise<void>
  now: () => number
  /** Subscription consent before paying; never fails. */
  subscribe: () => Promise<void>
  /** Payments left in 支付确认中, looked up before paying the same bill again. */
  pending: PendingStore
}

export const defaultPayDeps: PayDeps = {
  createPayment,
  requestPayment: wxRequestPayment,
  sandboxPay,
  getPayment,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  subscribe: () => askSubscription('payment'),
  pending: storagePendingStore,
}

export interface ConfirmOptions {
  intervalMs?: number
  timeoutMs?: number
  deps?: Partial<PayDeps>
}

export interface PayOptions extends ConfirmOptions {
  /** Pay through the sandbox control instead of wx.requestPayment (default: sandboxPayEnabled()). */
  sandbox?: boolean
  onState?: (state: PayState) => void
}

/** config.sandboxPay, except in a released build, which always pays through WeChat. */
export function sandboxPayEnabled(): boolean {
  return config.sandboxPay && envVersion() !== 'release'
}

function paidResult(payment: Payment): PayResult {
  return {
    state: 'paid',
    message: '支付成功，医院已收到您的缴费',
    paymentNo: payment.payment_no,
    amountFen: payment.amount_fen,
    payment,
  }
}

function resultFromPayment(payment: Payment): PayResult | null {
  switch (paymentOutcome(payment.status)) {
    case 'paid':
      return paidResult(payment)
    case 'failed':
      return {
        state: 'failed',
        message: '支付未成功，本次没有扣款，可以重新支付',
        paymentNo: payment.payment_no,
        amountFen: payment.amount_fen,
        payment,
      }
    case 'refunded':
      return {
        state: 'refunded',
        message: '医院未能完成这笔缴费，已为您发起退款，款项将原路退回',
        paymentNo: payment.payment_no,
        amountFen: payment.amount_fen,
        payment,
      }
    default:
      return null
  }
}

/** Ask the server once; null when it cannot say (yet). */
async function askOnce(deps: PayDeps, paymentNo: string): Promise<Payment | null> {
  try {
    return await deps.getPayment(paymentNo)
  } catch (e) {
    return null
  }
}

/** Poll GET /api/me/payments/{no} until paid / failed / refunded, or until the time is up. */
export async function confirmPayment(paymentNo: string, options: ConfirmOptions = {}): Promise<PayResult> {
  const deps: PayDeps = { ...defaultPayDeps, ...options.deps }
  const intervalMs = options.intervalMs ?? config.payPollIntervalMs
  const timeoutMs = options.timeoutMs ?? config.payPollTimeoutMs
  const started = deps.now()
  let last: Payment | null = null
  for (;;) {
    const payment = await askOnce(deps, paymentNo)
    if (payment) {
      last = payment
      const result = resultFromPayment(payment)
      if (result) {
        deps.pending.forget(paymentNo)
        return result
      }
    }
    if (deps.now() - started >= timeoutMs) break
    await deps.sleep(intervalMs)
  }
  return {
    state: 'unknown',
    message: '暂未收到支付结果。如果微信已扣款，请不要重复支付，稍后点“刷新结果”或在“已缴费”中查看。',
    paymentNo,
    amountFen: last ? last.amount_fen : undefined,
    payment: last || undefined,
  }
}

/** After the cashier closed without success: the server's word decides, once. */
async function settleAfterNoSuccess(
  deps: PayDeps,
  created: CreatedPayment,
  state: 'failed' | 'cancelled',
): Promise<PayResult> {
  const payment = await askOnce(deps, created.payment_no)
  const known = payment ? resultFromPayment(payment) : null
  if (known && known.state !== 'failed') return known
  return {
    state,
    message:
      state === 'cancelled'
        ? '您已取消支付，本次没有扣款。需要缴费时请再点“缴费”。'
        : '支付未完成。如果微信已提示扣款，请不要重复支付，稍后在“已缴费”中查看；否则可以重新支付。',
    paymentNo: created.payment_no,
    amountFen: created.amount_fen,
    payment: payment || undefined,
  }
}

/**
 * A payment of these bills still 支付确认中 from an earlier try: its answer now, or null when
 * there is none (or it ended unpaid) and a new payment may be made.
 */
async function earlierPayment(deps: PayDeps, billNos: string[]): Promise<PayResult | null> {
  const earlier = deps.pending.find(billNos, deps.now())
  if (!earlier) return null
  const payment = await askOnce(deps, earlier.paymentNo)
  const known = payment ? resultFromPayment(payment) : null
  if (known) {
    deps.pending.forget(earlier.paymentNo)
    return known.state === 'paid' ? known : null
  }
  return {
    state: 'unknown',
    message: '您上次的支付还在确认中，请不要重复支付。请稍后点“刷新结果”，或到“已缴费”中查看。',
    paymentNo: earlier.paymentNo,
    amountFen: payment ? payment.amount_fen : undefined,
    payment: payment || undefined,
  }
}

/** The whole payment of some charges of one 就诊人: create, pay in WeChat (or the sandbox), confirm. */
export async function payCharges(input: { patientId: number; billNos: string[] }, options: PayOptions = {}): Promise<PayResult> {
  const deps: PayDeps = { ...defaultPayDeps, ...options.deps }
  const onState = options.onState || (() => undefined)
  const sandbox = options.sandbox ?? sandboxPayEnabled()

  // Asked before any await: WeChat shows the consent dialog only right after the patient's tap.
  const consent = deps.subscribe()
  onState('creating')
  await consent

  const before = await earlierPayment(deps, input.billNos)
  if (before) return before

  let created: CreatedPayment
  try {
    created = await deps.createPayment(input)
  } catch (error) {
    return { state: 'failed', message: `未能发起支付：${messageOf(error)}。本次没有扣款。` }
  }

  if (paymentOutcome(created.status) !== 'paid') {
    onState('paying')
    if (sandbox) {
      try {
        await deps.sandboxPay(created.payment_no)
      } catch (error) {
        return settleAfterNoSuccess(deps, created, 'failed')
      }
    } else {
      const outcome = await deps.requestPayment(created.pay_params)
      if (outcome.kind === 'cancel') return settleAfterNoSuccess(deps, created, 'cancelled')
      if (outcome.kind === 'fail') return settleAfterNoSuccess(deps, created, 'failed')
    }
  }

  onState('confirming')
  const result = await confirmPayment(created.payment_no, options)
  if (result.state === 'unknown') {
    deps.pending.remember({ paymentNo: created.payment_no, billNos: input.billNos, at: deps.now() })
  }
  return result
}

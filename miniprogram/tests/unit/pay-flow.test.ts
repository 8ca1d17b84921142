import { config } from '../../miniprogram/config'
import { confirmPayment, PayDeps, payCharges, PayState, sandboxPayEnabled } from '../../miniprogram/services/flows/pay'
import { ApiError } from '../../miniprogram/services/errors'
import { CreatedPayment, Payment, paymentOutcome } from '../../miniprogram/services/payments'
import { ClientPayOutcome } from '../../miniprogram/services/platform'
import { memoryPendingStore, PENDING_MAX_AGE_MS } from '../../miniprogram/services/flows/pending-payments'

const CREATED: CreatedPayment = {
  payment_no: 'P1',
  amount_fen: 29900,
  status: 'pending',
  status_text: '待支付',
  bill_nos: ['B1'],
  paid_at: null,
  expires_at: null,
  pay_params: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 's' },
}

function payment(status: string): Payment {
  // a string: the flow must also survive a state the server may add later
  return {
    payment_no: 'P1',
    status: status as Payment['status'],
    status_text: '',
    amount_fen: 29900,
    bill_nos: ['B1'],
    paid_at: status === 'paid' ? '2025-01-01T10:00:00+08:00' : null,
    expires_at: null,
  }
}

/** Deps with a fake clock: sleep advances time instead of waiting. */
function makeDeps(opts: { cashier?: ClientPayOutcome; statuses?: (string | Error)[] } = {}) {
  let clock = 0
  const statuses = [...(opts.statuses || ['paid'])]
  const log: string[] = []
  const deps: PayDeps = {
    subscribe: jest.fn(async () => {
      log.push('subscribe')
    }),
    createPayment: jest.fn(async () => {
      log.push('create')
      return CREATED
    }),
    requestPayment: jest.fn(async (): Promise<ClientPayOutcome> => {
      log.push('cashier')
      return opts.cashier || { kind: 'ok' }
    }),
    sandboxPay: jest.fn(async () => {
      log.push('sandbox')
      return { transaction_id: 'T1' }
    }),
    getPayment: jest.fn(async () => {
      log.push('query')
      const next = statuses.length > 1 ? statuses.shift()! : statuses[0]
      if (next instanceof Error) throw next
      return payment(next)
    }),
    sleep: jest.fn(async (ms: number) => {
      clock += ms
    }),
    now: () => clock,
    pending: memoryPendingStore(),
  }
  return { deps, log, advance: (ms: number) => (clock += ms) }
}

const INPUT = { patientId: 7, billNos: ['B1'] }

describe('payCharges', () => {
  it('asks consent, creates, opens the cashier with the server parameters, then polls until paid', async () => {
    const { deps, log } = makeDeps({ statuses: ['pending', 'paying', 'paid'] })
    const states: PayState[] = []
    const result = await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 30000, onState: (s) => states.push(s) })
    expect(result).toMatchObject({ state: 'paid', paymentNo: 'P1', amountFen: 29900 })
    expect(log).toEqual(['subscribe', 'create', 'cashier', 'query', 'query', 'query'])
    expect(deps.createPayment).toHaveBeenCalledWith(INPUT)
    expect(deps.requestPayment).toHaveBeenCalledWith(CREATED.pay_params)
    expect(states).toEqual(['creating', 'paying', 'confirming'])
    expect(deps.sleep).toHaveBeenCalledTimes(2)
  })

  it('does not believe the cashier: success there but failed on the server is a failure', async () => {
    const { deps } = makeDeps({ statuses: ['paying', 'closed'] })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result.state).toBe('failed')
    expect(result.message).toMatch(/没有扣款/)
  })

  it('reports a refund when the hospital could not settle the bill', async () => {
    const { deps } = makeDeps({ statuses: ['refunding'] })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result.state).toBe('refunded')
    expect(result.message).toMatch(/原路退回/)
  })

  it('gives up polling after the timeout with 支付确认中, never "failed"', async () => {
    const { deps } = makeDeps({ statuses: ['paying'] })
    const result = await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 5000 })
    expect(result.state).toBe('unknown')
    expect(result.message).toMatch(/不要重复支付/)
    expect(deps.getPayment).toHaveBeenCalledTimes(6) // at t = 0, 1, 2, 3, 4, 5 s
  })

  it('keeps polling through transient errors', async () => {
    const { deps } = makeDeps({ statuses: [new ApiError(0, 'NETWORK_ERROR', '网络连接失败'), 'paid'] })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result.state).toBe('paid')
    expect(deps.getPayment).toHaveBeenCalledTimes(2)
  })

  it('cancel in the cashier: asks the server once and reports 已取消', async () => {
    const { deps } = makeDeps({ cashier: { kind: 'cancel' }, statuses: ['pending'] })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result).toMatchObject({ state: 'cancelled', paymentNo: 'P1' })
    expect(result.message).toMatch(/取消支付/)
    expect(deps.getPayment).toHaveBeenCalledTimes(1)
    expect(deps.sleep).not.toHaveBeenCalled()
  })

  it('cancel in the cashier but the server has the money: paid wins', async () => {
    const { deps } = makeDeps({ cashier: { kind: 'cancel' }, statuses: ['paid'] })
    expect((await payCharges(INPUT, { deps, sandbox: false })).state).toBe('paid')
  })

  it('a cashier failure is a failure unless the server says otherwise', async () => {
    const { deps } = makeDeps({ cashier: { kind: 'fail', errMsg: 'requestPayment:fail 余额不足' }, statuses: ['pending'] })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result.state).toBe('failed')
    expect(deps.getPayment).toHaveBeenCalledTimes(1)
  })

  it('in the sandbox pays through the control API instead of the cashier', async () => {
    const { deps, log } = makeDeps({ statuses: ['paid'] })
    const result = await payCharges(INPUT, { deps, sandbox: true })
    expect(result.state).toBe('paid')
    expect(log).toEqual(['subscribe', 'create', 'sandbox', 'query'])
    expect(deps.sandboxPay).toHaveBeenCalledWith('P1')
    expect(deps.requestPayment).not.toHaveBeenCalled()
  })

  it('when the payment cannot be created, says nothing was charged', async () => {
    const { deps } = makeDeps()
    deps.createPayment = jest.fn(async () => {
      throw new ApiError(409, 'CHARGE_ALREADY_PAID', '该项目已缴费')
    })
    const result = await payCharges(INPUT, { deps, sandbox: false })
    expect(result.state).toBe('failed')
    expect(result.message).toBe('未能发起支付：该项目已缴费。本次没有扣款。')
    expect(deps.requestPayment).not.toHaveBeenCalled()
  })

  it('a refused subscription does not stop the payment', async () => {
    const { deps } = makeDeps()
    deps.subscribe = jest.fn(() => Promise.resolve())
    expect((await payCharges(INPUT, { deps, sandbox: false })).state).toBe('paid')
    expect(deps.subscribe).toHaveBeenCalledTimes(1)
  })
})

describe('a payment left 支付确认中', () => {
  it('is remembered, and paying the same bill again asks about it instead of charging twice', async () => {
    const { deps, log } = makeDeps({ statuses: ['paying'] })
    const first = await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })
    expect(first.state).toBe('unknown')
    expect(deps.pending.find(['B1'], deps.now())).toMatchObject({ paymentNo: 'P1', billNos: ['B1'] })

    log.length = 0
    const again = await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })
    expect(again.state).toBe('unknown')
    expect(again.message).toMatch(/上次的支付还在确认中/)
    expect(log).toEqual(['subscribe', 'query'])
    expect(deps.createPayment).toHaveBeenCalledTimes(1)
  })

  it('once confirmed paid, paying again shows 支付成功 and creates nothing', async () => {
    const { deps } = makeDeps({ statuses: ['paying', 'paying', 'paying', 'paid'] })
    expect((await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })).state).toBe('unknown')
    const again = await payCharges(INPUT, { deps, sandbox: false })
    expect(again.state).toBe('paid')
    expect(deps.createPayment).toHaveBeenCalledTimes(1)
    expect(deps.pending.find(['B1'], deps.now())).toBeNull()
  })

  it('once it ended unpaid, a new payment is made', async () => {
    const { deps } = makeDeps({ statuses: ['paying', 'paying', 'paying', 'closed', 'paid'] })
    await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })
    const again = await payCharges(INPUT, { deps, sandbox: false })
    expect(again.state).toBe('paid')
    expect(deps.createPayment).toHaveBeenCalledTimes(2)
  })

  it('is forgotten after two hours, when WeChat can no longer complete it', async () => {
    const { deps, advance } = makeDeps({ statuses: ['paying'] })
    await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })
    advance(PENDING_MAX_AGE_MS)
    expect(deps.pending.find(['B1'], deps.now())).toBeNull()
  })

  it('a refreshed confirmation that succeeds clears it', async () => {
    const { deps } = makeDeps({ statuses: ['paying', 'paying', 'paying', 'paid'] })
    await payCharges(INPUT, { deps, sandbox: false, intervalMs: 1000, timeoutMs: 2000 })
    expect((await confirmPayment('P1', { deps })).state).toBe('paid')
    expect(deps.pending.find(['B1'], deps.now())).toBeNull()
  })
})

describe('confirmPayment', () => {
  it('answers at once when the payment is already paid', async () => {
    const { deps } = makeDeps({ statuses: ['paid'] })
    const result = await confirmPayment('P1', { deps })
    expect(result).toMatchObject({ state: 'paid', payment: { paid_at: '2025-01-01T10:00:00+08:00' } })
    expect(deps.sleep).not.toHaveBeenCalled()
  })

  it('knows the server states, and takes one it does not know for pending, never for failed', () => {
    expect(['pending', 'paying', 'paid', 'refunding', 'refunded', 'closed'].map(paymentOutcome)).toEqual([
      'pending',
      'pending',
      'paid',
      'refunded',
      'refunded',
      'failed',
    ])
    expect(paymentOutcome('SUCCESS')).toBe('pending')
  })
})

describe('sandboxPayEnabled', () => {
  const saved = { wx: (globalThis as any).wx, sandbox: config.sandboxPay }
  afterEach(() => {
    ;(globalThis as any).wx = saved.wx
    config.sandboxPay = saved.sandbox
  })

  function withEnv(envVersion: string) {
    ;(globalThis as any).wx = { getAccountInfoSync: () => ({ miniProgram: { appId: 'wx1', envVersion, version: '' } }) }
  }

  it('follows config.sandboxPay in development and trial builds', () => {
    config.sandboxPay = true
    withEnv('develop')
    expect(sandboxPayEnabled()).toBe(true)
    withEnv('trial')
    expect(sandboxPayEnabled()).toBe(true)
    config.sandboxPay = false
    expect(sandboxPayEnabled()).toBe(false)
  })

  it('is never on in a released build, whatever the config says', () => {
    config.sandboxPay = true
    withEnv('release')
    expect(sandboxPayEnabled()).toBe(false)
  })
})

import { listCharges } from '../../../services/charges'
import { confirmPayment, payCharges, PayResult } from '../../../services/flows/pay'
import { choosePatient, listPatients, onlyVerified, Patient, rememberPatient } from '../../../services/patients'
import { requestRefund } from '../../../services/refunds'
import { formatFen } from '../../../utils/money'
import { confirmModal, PAGES, goTo, toastSuccess, withQuery } from '../../../utils/ui'
import {
  busyPanel,
  finalPanel,
  HIDDEN_PANEL,
  PaidView,
  paidView,
  patientLabel,
  UnpaidView,
  unpaidView,
} from './view'
import { fontScale } from '../../../behaviors/font-scale'

type Tab = 'unpaid' | 'paid'

interface PayQuery {
  patient_id?: string
  tab?: string
  bill_no?: string
}

type Tap<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.BaseEvent<Record<string, never>, T>

Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    noPatient: false,
    patients: [] as Patient[],
    patientNames: [] as string[],
    patientIndex: 0,
    patientId: 0,
    patientName: '',
    tab: 'unpaid' as Tab,
    newBillNo: '',
    chargesLoading: false,
    chargesFailed: false,
    unpaid: [] as UnpaidView[],
    paid: [] as PaidView[],
    panel: HIDDEN_PANEL,
    shown: false,
  },
  methods: {
    onLoad(query: PayQuery = {}): Promise<void> {
      this.setData({
        tab: query.tab === 'paid' ? 'paid' : 'unpaid',
        newBillNo: query.bill_no ? decodeURIComponent(query.bill_no) : '',
      })
      return this.loadPatients(query.patient_id ? Number(query.patient_id) : null)
    },
    /** Coming back (e.g. after booking): refresh what may have changed. */
    onShow(): Promise<void> {
      if (!this.data.shown) {
        this.setData({ shown: true })
        return Promise.resolve()
      }
      if (this.data.panel.busy) return Promise.resolve()
      if (!this.data.patientId) return this.loadPatients(null) // a 就诊人 may have just been added
      return this.loadCharges()
    },
    async loadPatients(wanted: number | null): Promise<void> {
      this.setData({ loading: true })
      try {
        const patients = onlyVerified(await listPatients())
        const chosen = choosePatient(patients, wanted)
        this.setData({
          patients,
          patientNames: patients.map(patientLabel),
          noPatient: !chosen,
        })
        if (chosen) await this.usePatient(chosen)
      } catch (e) {
        this.setData({ chargesFailed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    async usePatient(patient: Patient): Promise<void> {
      rememberPatient(patient.id)
      this.setData({
        patientId: patient.id,
        patientName: patient.name,
        patientIndex: Math.max(0, this.data.patients.findIndex((p) => p.id === patient.id)),
      })
      await this.loadCharges()
    },
    async loadCharges(): Promise<void> {
      const patientId = this.data.patientId
      this.setData({ chargesLoading: true, chargesFailed: false })
      try {
        const [unpaid, paid] = await Promise.all([listCharges(patientId, 'unpaid'), listCharges(patientId, 'paid')])
        if (patientId !== this.data.patientId) return // the patient was switched meanwhile
        this.setData({
          unpaid: unpaid.map((c) => unpaidView(c, this.data.newBillNo)),
          paid: paid.map(paidView),
        })
      } catch (e) {
        this.setData({ chargesFailed: true })
      } finally {
        this.setData({ chargesLoading: false })
      }
    },
    onPatientChange(e: WechatMiniprogram.PickerChange): Promise<void> {
      const patient = this.data.patients[Number(e.detail.value)]
      if (patient && patient.id !== this.data.patientId) return this.usePatient(patient)
      return Promise.resolve()
    },
    onTab(e: Tap<{ tab: Tab }>): void {
      this.setData({ tab: e.currentTarget.dataset.tab })
    },
    onPay(e: Tap<{ bill: string }>): Promise<void> {
      return this.startPay(e.currentTarget.dataset.bill)
    },
    /** Called straight from a tap: payCharges asks for subscription consent before any await. */
    async startPay(billNo: string): Promise<void> {
      if (this.data.panel.busy) return
      const charge = this.data.unpaid.find((c) => c.bill_no === billNo)
      if (!charge) return
      const amountText = charge.amountText
      const result = await payCharges(
        { patientId: this.data.patientId, billNos: [billNo] },
        { onState: (state) => this.setData({ panel: busyPanel(state, billNo, amountText) }) },
      )
      await this.showResult(result, billNo, amountText)
    },
    async showResult(result: PayResult, billNo: string, amountText: string): Promise<void> {
      const amount = result.amountFen !== undefined ? formatFen(result.amountFen) : amountText
      this.setData({ panel: finalPanel(result.state, result.message, billNo, amount, result.paymentNo || '') })
      if (result.state === 'paid') this.setData({ tab: 'paid' })
      if (result.state !== 'cancelled') await this.loadCharges()
    },
    /** 支付确认中 after the time ran out: ask the server again. */
    async onRefreshResult(): Promise<void> {
      const { paymentNo, billNo, amountText } = this.data.panel
      if (!paymentNo || this.data.panel.busy) return
      this.setData({ panel: busyPanel('confirming', billNo, amountText) })
      const result = await confirmPayment(paymentNo)
      await this.showResult(result, billNo, amountText)
    },
    onClosePanel(): void {
      if (this.data.panel.busy) return
      this.setData({ panel: HIDDEN_PANEL })
    },
    onPayAgain(): Promise<void> {
      const billNo = this.data.panel.billNo
      this.setData({ panel: HIDDEN_PANEL })
      return this.startPay(billNo)
    },
    onBook(e: Tap<{ bill: string }>): void {
      const billNo = e.currentTarget.dataset.bill
      this.setData({ panel: HIDDEN_PANEL })
      goTo(withQuery(PAGES.bookingCreate, { bill_no: billNo }))
    },
    onBookingDetail(e: Tap<{ id: number }>): void {
      goTo(withQuery(PAGES.bookingDetail, { id: e.currentTarget.dataset.id }))
    },
    async onRefund(e: Tap<{ bill: string }>): Promise<void> {
      const billNo = e.currentTarget.dataset.bill
      const charge = this.data.paid.find((c) => c.bill_no === billNo)
      if (!charge) return
      const yes = await confirmModal({
        title: '申请退费',
        content: `确定为“${charge.title}”申请退费 ${charge.amountText} 吗？退费后款项原路退回，需重新缴费才能预约。`,
        confirmText: '申请退费',
      })
      if (!yes) return
      try {
        await requestRefund({ billNo, reason: '患者在小程序申请退费' })
        toastSuccess('已提交退费')
        await this.loadCharges()
      } catch (err) {
        // the server's message was shown
      }
    },
    onAddPatient(): void {
      goTo(withQuery(PAGES.patientEdit, { from: 'pay' }))
    },
    onGoPackages(): void {
      goTo(PAGES.packageList)
    },
  },
})

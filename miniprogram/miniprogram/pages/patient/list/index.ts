import { deletePatient, listPatients, Patient, setDefaultPatient, SEX_TEXT, verifyPageQuery } from '../../../services/patients'
import { hasCurrentConsent } from '../../../services/privacy'
import { confirmModal, PAGES, goTo, toastSuccess, withQuery } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'

interface PatientView {
  id: number
  name: string
  sexText: string
  birthDate: string
  idMasked: string
  phoneMasked: string
  isDefault: boolean
  verified: boolean
  verifyUrl: string
}

function toView(p: Patient): PatientView {
  return {
    id: p.id,
    name: p.name,
    sexText: SEX_TEXT[p.sex] || '',
    birthDate: p.birth_date,
    idMasked: p.id_number_masked,
    phoneMasked: p.phone_masked,
    isDefault: p.is_default,
    verified: p.verified !== false,
    verifyUrl: withQuery(PAGES.patientVerify, verifyPageQuery(p)),
  }
}

type Tap = WechatMiniprogram.BaseEvent<Record<string, never>, { id: number }>

Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    patients: [] as PatientView[],
    working: false,
    shown: false,
  },
  methods: {
    onLoad(): Promise<void> {
      return this.load()
    },
    onShow(): Promise<void> {
      // Back from 添加就诊人: show the new one.
      if (!this.data.shown) {
        this.setData({ shown: true })
        return Promise.resolve()
      }
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        this.setData({ patients: (await listPatients()).map(toView) })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    async onAdd(): Promise<void> {
      // The privacy notice and the separate consent come before the first 就诊人 (PIPL).
      let consented = false
      try {
        consented = await hasCurrentConsent()
      } catch (e) {
        return // message shown by the request wrapper
      }
      goTo(consented ? PAGES.patientEdit : PAGES.patientConsent)
    },
    onVerify(e: Tap): void {
      const patient = this.data.patients.find((p) => p.id === Number(e.currentTarget.dataset.id))
      if (patient) goTo(patient.verifyUrl)
    },
    async onSetDefault(e: Tap): Promise<void> {
      if (this.data.working) return
      this.setData({ working: true })
      try {
        await setDefaultPatient(Number(e.currentTarget.dataset.id))
        toastSuccess('已设为默认')
        await this.load()
      } catch (err) {
        // message shown by the request wrapper
      } finally {
        this.setData({ working: false })
      }
    },
    async onDelete(e: Tap): Promise<void> {
      const patient = this.data.patients.find((p) => p.id === Number(e.currentTarget.dataset.id))
      if (!patient || this.data.working) return
      const yes = await confirmModal({
        title: '删除就诊人',
        content: `确定删除就诊人“${patient.name}”吗？删除后不能再为其缴费和预约。`,
        confirmText: '删除',
        cancelText: '不删除',
      })
      if (!yes) return
      this.setData({ working: true })
      try {
        await deletePatient(patient.id)
        toastSuccess('已删除')
        await this.load()
      } catch (err) {
        // e.g. PATIENT_HAS_BOOKINGS: the server's message was shown
      } finally {
        this.setData({ working: false })
      }
    },
  },
})

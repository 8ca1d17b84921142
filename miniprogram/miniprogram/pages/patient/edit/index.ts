import { ApiError } from '../../../services/errors'
import { addPatient, verifyPageQuery } from '../../../services/patients'
import { PatientField, PatientFormErrors, serverFieldErrors, validatePatientForm } from '../../../utils/validate'
import { PAGES, replaceWith, toastSuccess, toastText, withQuery } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'
import { DOC_TYPES, carriesSexAndBirth } from '../../../utils/documents'
import { todayInShanghai } from '../../../utils/date'

type Field = PatientField

const NO_ERRORS: PatientFormErrors = { name: '', id_number: '', phone: '', sex: '', birth_date: '' }
const SEXES: Array<'male' | 'female'> = ['male', 'female']

Component({
  behaviors: [fontScale],
  data: {
    form: { name: '', id_number: '', phone: '' },
    errors: NO_ERRORS,
    submitting: false,
    // 证件类型: the ID card unless another is picked; sex and birth date where the number lacks them
    docLabels: DOC_TYPES.map((t) => t.label),
    docIndex: 0,
    doc: DOC_TYPES[0],
    askSexAndBirth: false,
    sexLabels: ['男', '女'],
    sexIndex: -1,
    sex: '' as '' | 'male' | 'female',
    birthDate: '',
    maxBirthDate: '',
  },
  methods: {
    onLoad(): Promise<void> {
      this.setData({ maxBirthDate: todayInShanghai() })
      return Promise.resolve()
    },
    onInput(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: Field } } }): void {
      const field = e.currentTarget.dataset.field
      this.setData({ [`form.${field}`]: e.detail.value, [`errors.${field}`]: '' })
      if (field === 'id_number') this.updateAsk()
    },
    onDocTypeChange(e: { detail: { value: number | string } }): void {
      const docIndex = Number(e.detail.value)
      this.setData({ docIndex, doc: DOC_TYPES[docIndex], 'errors.id_number': '' })
      this.updateAsk()
    },
    onSexChange(e: { detail: { value: number | string } }): void {
      const sexIndex = Number(e.detail.value)
      this.setData({ sexIndex, sex: SEXES[sexIndex], 'errors.sex': '' })
    },
    onBirthChange(e: { detail: { value: string } }): void {
      this.setData({ birthDate: e.detail.value, 'errors.birth_date': '' })
    },
    updateAsk(): void {
      const ask = !carriesSexAndBirth(this.data.doc.key, this.data.form.id_number)
      if (ask !== this.data.askSexAndBirth) this.setData({ askSexAndBirth: ask })
    },
    input() {
      return { ...this.data.form, doc_type: this.data.doc.key, sex: this.data.sex, birth_date: this.data.birthDate }
    },
    async onSubmit(): Promise<void> {
      if (this.data.submitting) return
      const { ok, errors } = validatePatientForm(this.input())
      this.setData({ errors: { ...NO_ERRORS, ...errors } })
      if (!ok) {
        toastText(errors.name || errors.id_number || errors.phone || errors.sex || errors.birth_date || '')
        return
      }
      this.setData({ submitting: true })
      try {
        const patient = await addPatient(this.input())
        toastSuccess('添加成功')
        // Next: the code texted to the phone the hospital holds for this person.
        replaceWith(withQuery(PAGES.patientVerify, verifyPageQuery(patient)))
      } catch (error) {
        if (error instanceof ApiError && error.code === 'CONSENT_REQUIRED') {
          replaceWith(PAGES.patientConsent)
          return
        }
        // The server checks again; put its message under the field it names.
        if (error instanceof ApiError) {
          const errors = serverFieldErrors(error)
          Object.keys(errors).forEach((field) => this.setData({ [`errors.${field}`]: errors[field as Field] }))
        }
      } finally {
        this.setData({ submitting: false })
      }
    },
  },
})

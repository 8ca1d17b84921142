import { ApiError } from '../../../services/errors'
import { addPatient, verifyPageQuery } from '../../../services/patients'
import { PatientField, PatientFormErrors, serverFieldErrors, validatePatientForm } from '../../../utils/validate'
import { PAGES, replaceWith, toastSuccess, toastText, withQuery } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'

type Field = PatientField

const NO_ERRORS: PatientFormErrors = { name: '', id_number: '', phone: '' }

Component({
  behaviors: [fontScale],
  data: {
    form: { name: '', id_number: '', phone: '' },
    errors: NO_ERRORS,
    submitting: false,
  },
  methods: {
    onLoad(): Promise<void> {
      return Promise.resolve()
    },
    onInput(e: WechatMiniprogram.Input & { currentTarget: { dataset: { field: Field } } }): void {
      const field = e.currentTarget.dataset.field
      this.setData({ [`form.${field}`]: e.detail.value, [`errors.${field}`]: '' })
    },
    async onSubmit(): Promise<void> {
      if (this.data.submitting) return
      const { ok, errors } = validatePatientForm(this.data.form)
      this.setData({ errors })
      if (!ok) {
        toastText(errors.name || errors.id_number || errors.phone)
        return
      }
      this.setData({ submitting: true })
      try {
        const patient = await addPatient(this.data.form)
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

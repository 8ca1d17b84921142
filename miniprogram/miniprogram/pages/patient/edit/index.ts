import { ApiError } from '../../../services/errors'
import { addPatient } from '../../../services/patients'
import { PatientField, PatientFormErrors, serverFieldErrors, validatePatientForm } from '../../../utils/validate'
import { goBackOr, PAGES, toastSuccess, toastText } from '../../../utils/ui'

type Field = PatientField

const NO_ERRORS: PatientFormErrors = { name: '', id_number: '', phone: '' }

Component({
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
        await addPatient(this.data.form)
        toastSuccess('添加成功')
        goBackOr(PAGES.patientList)
      } catch (error) {
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

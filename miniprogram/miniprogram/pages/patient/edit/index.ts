import { ApiError } from '../../../services/errors'
import { addPatient } from '../../../services/patients'
import { PatientFormErrors, validatePatientForm } from '../../../utils/validate'
import { goBackOr, PAGES, toastSuccess, toastText } from '../../../utils/ui'

type Field = 'name' | 'id_number' | 'phone'

const NO_ERRORS: PatientFormErrors = { name: '', id_number: '', phone: '' }

const FIELD_OF_CODE: Record<string, Field> = {
  INVALID_ID_NUMBER: 'id_number',
  PATIENT_EXISTS: 'id_number',
  INVALID_PHONE: 'phone',
}

/** The form field a server refusal is about: details.field when given, else from its code. */
function fieldOf(error: ApiError): Field | null {
  const named = error.details.field
  if (typeof named === 'string' && named in NO_ERRORS) return named as Field
  return FIELD_OF_CODE[error.code] || null
}

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
          const field = fieldOf(error)
          if (field) this.setData({ [`errors.${field}`]: error.message })
        }
      } finally {
        this.setData({ submitting: false })
      }
    },
  },
})

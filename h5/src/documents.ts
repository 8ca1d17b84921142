// Identity documents a 就诊人 may be added with (backend/checkup/domain/documents.py checks the numbers).
import type { PatientIn } from '@/api'

export type DocType = NonNullable<PatientIn['doc_type']>

export const DOC_TYPES: { key: DocType; label: string; placeholder: string }[] = [
  { key: 'id_card', label: '居民身份证', placeholder: '18位身份证号码' },
  { key: 'residence_permit', label: '港澳台居民居住证', placeholder: '18位，以81、82或83开头' },
  { key: 'foreign_permanent_resident', label: '外国人永久居留身份证', placeholder: '18位（新版）或15位（旧版）' },
  { key: 'hk_macau_permit', label: '港澳居民来往内地通行证', placeholder: 'H或M开头，加8位或10位数字' },
  { key: 'taiwan_permit', label: '台湾居民来往大陆通行证', placeholder: '8位数字' },
  { key: 'passport', label: '护照', placeholder: '5至17位字母或数字' },
]

/** Whether the number carries sex and birth date (then they are not asked for). */
export function carriesSexAndBirth(docType: DocType, number = ''): boolean {
  if (docType === 'id_card' || docType === 'residence_permit') return true
  return docType === 'foreign_permanent_resident' && /^9[0-9]{16}[0-9X]$/.test(number.replace(/\s/g, '').toUpperCase())
}

/** The request body: the ID card sends only name, number and phone, as before document types. */
export function patientBody(form: { name: string; id_number: string; phone: string; doc_type: DocType; sex: string; birth_date: string }): PatientIn {
  // The generated type lists the defaulted fields as present; the server fills them in when left out.
  const body: Partial<PatientIn> = { name: form.name, id_number: form.id_number, phone: form.phone }
  if (form.doc_type !== 'id_card') {
    body.doc_type = form.doc_type
    if (!carriesSexAndBirth(form.doc_type, form.id_number)) {
      if (form.sex === 'male' || form.sex === 'female') body.sex = form.sex
      if (form.birth_date) body.birth_date = form.birth_date
    }
  }
  return body as PatientIn
}

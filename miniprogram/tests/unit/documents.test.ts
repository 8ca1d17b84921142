import { idCheckChar } from '../../miniprogram/utils/id-card'
import { DOC_TYPES, carriesSexAndBirth, docNumberProblem } from '../../miniprogram/utils/documents'
import { validatePatientForm } from '../../miniprogram/utils/validate'

const TODAY = new Date(2025, 0, 15)
const withCheck = (first17: string): string => first17 + idCheckChar(first17)

describe('identity documents (the rules of backend/checkup/domain/documents.py)', () => {
  it('lists the six types, the ID card first', () => {
    expect(DOC_TYPES.map((t) => t.key)).toEqual([
      'id_card', 'residence_permit', 'foreign_permanent_resident', 'hk_macau_permit', 'taiwan_permit', 'passport',
    ])
  })

  it('checks the residence permit: 81/82/83, the ID card checksum', () => {
    const good = withCheck('81000019750102125')
    expect(docNumberProblem('residence_permit', good, TODAY)).toBe('')
    expect(docNumberProblem('residence_permit', good.slice(0, 17) + (good[17] === '0' ? '1' : '0'), TODAY)).toContain('校验位')
    expect(docNumberProblem('residence_permit', withCheck('11010519750102125'), TODAY)).toContain('81、82或83')
    expect(carriesSexAndBirth('residence_permit')).toBe(true)
  })

  it('takes both formats of the foreigner’s card; only the new one carries sex and birth date', () => {
    const fresh = withCheck('91115619880909012')
    expect(docNumberProblem('foreign_permanent_resident', fresh, TODAY)).toBe('')
    expect(carriesSexAndBirth('foreign_permanent_resident', fresh)).toBe(true)
    expect(docNumberProblem('foreign_permanent_resident', 'usa110880909012', TODAY)).toBe('')
    expect(carriesSexAndBirth('foreign_permanent_resident', 'USA110880909012')).toBe(false)
    expect(docNumberProblem('foreign_permanent_resident', 'US1110880909012', TODAY)).not.toBe('')
  })

  it.each([
    ['hk_macau_permit', ['H12345678', 'M1234567890', 'h 1234 5678'], ['H1234567', 'X12345678', 'H１2345678']],
    ['taiwan_permit', ['12345678'], ['1234567', 'T1234567', '１2345678']],
    ['passport', ['E12345678', 'G1234'], ['E123', 'E-1234567', 'AB1234567890CDEFGH']],
  ] as const)('%s: format only, sex and birth date asked for', (type, good, bad) => {
    good.forEach((n) => expect(docNumberProblem(type, n, TODAY)).toBe(''))
    bad.forEach((n) => expect(docNumberProblem(type, n, TODAY)).not.toBe(''))
    expect(carriesSexAndBirth(type, good[0])).toBe(false)
    const form = { name: '陈大文', id_number: good[0], phone: '13812345678', doc_type: type }
    expect(validatePatientForm(form, TODAY).errors).toMatchObject({ sex: '请选择性别', birth_date: '请选择出生日期' })
    expect(validatePatientForm({ ...form, sex: 'male', birth_date: '1980-01-01' }, TODAY).ok).toBe(true)
  })
})

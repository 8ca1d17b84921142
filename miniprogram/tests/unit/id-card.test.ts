import { checkIdNumber, idCheckChar } from '../../miniprogram/utils/id-card'
import { nameProblem, phoneProblem, validatePatientForm } from '../../miniprogram/utils/validate'

const TODAY = new Date(2025, 0, 15)

describe('ID number (GB 11643, ISO 7064 MOD 11-2)', () => {
  it('computes the check character of the standard example', () => {
    // GB 11643-1999 appendix example: 11010519491231002X
    expect(idCheckChar('11010519491231002')).toBe('X')
    expect(idCheckChar('44052419800101001')).toBe('3')
  })

  it('accepts valid numbers and derives sex and birth date', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toMatchObject({
      ok: true,
      number: '11010519491231002X',
      sex: 'female',
      birthDate: '1949-12-31',
    })
    expect(checkIdNumber('440524198001010013', TODAY)).toMatchObject({ ok: true, sex: 'male', birthDate: '1980-01-01' })
  })

  it('accepts a lower-case x and surrounding spaces', () => {
    expect(checkIdNumber(' 11010519491231002x ', TODAY)).toMatchObject({ ok: true, number: '11010519491231002X' })
  })

  it.each([
    ['', 'empty'],
    ['11010519491231002', 'length'],
    ['11010519491231002XX', 'length'],
    ['01010519491231002X', 'format'],
    ['1101051949123100AX', 'format'],
    ['110105194912310021', 'checksum'],
    ['110105194912310029', 'checksum'],
  ])('refuses %j (%s)', (value, problem) => {
    const check = checkIdNumber(value, TODAY)
    expect(check.ok).toBe(false)
    expect(check.problem).toBe(problem)
    expect(check.message).toMatch(/身份证/)
  })

  function withCheck(first17: string): string {
    return first17 + idCheckChar(first17)
  }

  it('refuses impossible birth dates even with a correct check character', () => {
    expect(checkIdNumber(withCheck('11010519490231002'), TODAY).problem).toBe('birth_date') // 31 Feb
    expect(checkIdNumber(withCheck('11010519491301002'), TODAY).problem).toBe('birth_date') // month 13
    expect(checkIdNumber(withCheck('11010518991231002'), TODAY).problem).toBe('birth_date') // before 1900
    expect(checkIdNumber(withCheck('11010520250116002'), TODAY).problem).toBe('birth_date') // tomorrow
    expect(checkIdNumber(withCheck('11010520000229002'), TODAY).ok).toBe(true) // leap day
    expect(checkIdNumber(withCheck('11010519000229002'), TODAY).problem).toBe('birth_date') // 1900 not leap
  })
})

describe('patient form', () => {
  it('checks phone numbers as 1[3-9] and 9 more digits', () => {
    expect(phoneProblem('13812345678')).toBe('')
    expect(phoneProblem('19912345678')).toBe('')
    expect(phoneProblem('12812345678')).not.toBe('')
    expect(phoneProblem('1381234567')).not.toBe('')
    expect(phoneProblem('')).toBe('请输入手机号码')
  })

  it('wants a name', () => {
    expect(nameProblem('张三')).toBe('')
    expect(nameProblem('阿依古丽·买买提')).toBe('')
    expect(nameProblem('')).toBe('请输入姓名')
    expect(nameProblem('张3')).not.toBe('')
  })

  it('reports every field at once', () => {
    const result = validatePatientForm({ name: '', id_number: '110105194912310021', phone: '123' }, TODAY)
    expect(result.ok).toBe(false)
    expect(result.errors.name).toBe('请输入姓名')
    expect(result.errors.id_number).toBe('身份证号码校验位不正确，请核对')
    expect(result.errors.phone).toMatch(/11位/)
    expect(validatePatientForm({ name: '李四', id_number: '11010519491231002X', phone: '13812345678' }, TODAY).ok).toBe(true)
  })
})

import * as fs from 'fs'
import * as path from 'path'
import { nameRuleProblem, normaliseName } from '../../miniprogram/utils/name-rule'
import { nameProblem, phoneProblem } from '../../miniprogram/utils/validate'
import { checkIdNumber } from '../../miniprogram/utils/id-card'

// The same cases the server's tests read (tests/unit/test_identity_rules.py): one rule on both sides.
const CASES = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../tests/fixtures/names.json'), 'utf8')) as {
  accepted: [string, string][]
  refused: string[]
}

describe('the name rule shared with the server', () => {
  it.each(CASES.accepted)('accepts %s as %s', (raw, stored) => {
    expect(normaliseName(raw)).toBe(stored)
    expect(nameRuleProblem(normaliseName(raw))).toBe('')
    expect(nameProblem(raw)).toBe('')
  })

  it.each(CASES.refused)('refuses %s', (raw) => {
    expect(nameProblem(raw)).not.toBe('')
  })

  it('counts characters, not UTF-16 units (𠮷 is one character)', () => {
    expect(nameRuleProblem('𠮷'.repeat(50))).toBe('')
    expect(nameRuleProblem('𠮷'.repeat(51))).toContain('50')
  })
})

describe('ASCII digits only', () => {
  it('refuses phones and ID numbers written with other digits', () => {
    expect(phoneProblem('13812345678')).toBe('')
    expect(phoneProblem('１３８１２３４５６７８')).not.toBe('')
    expect(phoneProblem('138١٢٣٤٥٦٧٨')).not.toBe('')
    expect(checkIdNumber('11010519491231002X').ok).toBe(true)
    expect(checkIdNumber('١١٠١٠٥١٩٤٩١٢٣١٠٠٢X').ok).toBe(false)
    expect(checkIdNumber('１１０１０５１９４９１２３１００２X').ok).toBe(false)
  })
})

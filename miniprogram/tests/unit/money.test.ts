import { fenToYuan, formatFen, sumFen } from '../../miniprogram/utils/money'

describe('money', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [99, '¥0.99'],
    [100, '¥1.00'],
    [29900, '¥299.00'],
    [128850, '¥1288.50'],
    [1234567, '¥12345.67'],
    [-500, '-¥5.00'],
  ])('shows %i fen as %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text)
  })

  it('never goes through floating point (0.1 + 0.2 style errors)', () => {
    expect(fenToYuan(30)).toBe('0.30')
    expect(fenToYuan(sumFen([10, 20]))).toBe('0.30')
    expect(fenToYuan(Number.MAX_SAFE_INTEGER)).toBe('90071992547409.91')
  })

  it('refuses amounts that are not whole fen', () => {
    expect(() => formatFen(1.5)).toThrow(TypeError)
    expect(() => formatFen(Number.NaN)).toThrow(TypeError)
  })

  it('sums fen', () => {
    expect(sumFen([])).toBe(0)
    expect(sumFen([29900, 128850])).toBe(158750)
  })
})

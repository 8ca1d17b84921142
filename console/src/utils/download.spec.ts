import { describe, expect, it } from 'vitest'
import { filenameFromContentDisposition } from './download'

describe('file name from Content-Disposition', () => {
  it('prefers the RFC 5987 filename* with Chinese characters', () => {
    const header = `attachment; filename="booked.xlsx"; filename*=UTF-8''%E9%A2%84%E7%BA%A6%E6%82%A3%E8%80%85.xlsx`
    expect(filenameFromContentDisposition(header, 'x')).toBe('预约患者.xlsx')
  })

  it('uses the plain filename when there is no filename*', () => {
    expect(filenameFromContentDisposition('attachment; filename="report.pdf"', 'x')).toBe('report.pdf')
    expect(filenameFromContentDisposition('attachment; filename=report.pdf', 'x')).toBe('report.pdf')
  })

  it('falls back when the header is missing', () => {
    expect(filenameFromContentDisposition(null, '预约患者.xlsx')).toBe('预约患者.xlsx')
  })
})

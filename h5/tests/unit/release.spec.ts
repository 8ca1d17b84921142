import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript build script
import { sandboxProblems } from '../../scripts/check-release.mjs'

describe('release build settings', () => {
  it('refuses sandbox values', () => {
    const problems = sandboxProblems({ VITE_SANDBOX: '1', VITE_OA_APPID: 'wx00000000000000oa', VITE_API_BASE: 'http://127.0.0.1:8000' })
    expect(problems.join(';')).toMatch(/VITE_SANDBOX/)
    expect(problems.join(';')).toMatch(/VITE_OA_APPID/)
    expect(problems.join(';')).toMatch(/VITE_API_BASE/)
    expect(problems.join(';')).toMatch(/VITE_CENTRE_PHONE/)
  })
  it('accepts a real configuration', () => {
    expect(sandboxProblems({ VITE_SANDBOX: '0', VITE_OA_APPID: 'wx8f3a2b1c4d5e6f70', VITE_API_BASE: '', VITE_CENTRE_PHONE: '0571-1' })).toEqual([])
  })
})

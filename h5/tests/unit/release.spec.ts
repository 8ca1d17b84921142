import { describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript build script
import { sandboxProblems } from '../../scripts/check-release.mjs'

describe('release build settings', () => {
  it('refuses sandbox values', () => {
    const problems = sandboxProblems({ VITE_SANDBOX: '1', VITE_OA_APPID: 'wx00000000000000oa', VITE_API_BASE: 'http://127.0.0.1:8000' })
    expect(problems.join(';')).toMatch(/VITE_SANDBOX/)
    expect(problems.join(';')).toMatch(/VITE_OA_APPID/)
    expect(problems.join(';')).toMatch(/VITE_API_BASE/)
  })
  it('refuses a plain-http API address (WeChat pay pages need HTTPS)', () => {
    const problems = sandboxProblems({ VITE_SANDBOX: '0', VITE_OA_APPID: 'wx8f3a2b1c4d5e6f70', VITE_API_BASE: 'http://tj.example-hospital.cn' })
    expect(problems).toEqual(['VITE_API_BASE must be https:// (or empty for the same origin)'])
  })
  it('accepts a real configuration: same-origin /api, or an https address', () => {
    expect(sandboxProblems({ VITE_SANDBOX: '0', VITE_OA_APPID: 'wx8f3a2b1c4d5e6f70', VITE_API_BASE: '' })).toEqual([])
    expect(sandboxProblems({ VITE_SANDBOX: '0', VITE_OA_APPID: 'wx8f3a2b1c4d5e6f70', VITE_API_BASE: 'https://tj.hospital.cn' })).toEqual([])
  })
})

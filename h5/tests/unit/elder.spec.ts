import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { applyElderMode, elderMode } from '@/elder'

describe('长辈模式 and font scale', () => {
  it('switches the root class and remembers it', () => {
    applyElderMode(true)
    expect(document.documentElement.classList.contains('elder')).toBe(true)
    expect(localStorage.getItem('checkup.h5.elder')).toBe('1')
    applyElderMode(false)
    expect(elderMode.value).toBe(false)
    expect(document.documentElement.classList.contains('elder')).toBe(false)
  })

  it('sizes text only in relative units, so WeChat’s font setting scales the pages', () => {
    const css = readFileSync(resolve(__dirname, '../../src/styles.css'), 'utf8')
    expect(css).not.toMatch(/\d+px/)
    expect(css).not.toMatch(/text-size-adjust:\s*(none|100%)/)
    expect(css).toMatch(/html\.elder\s*\{\s*font-size:\s*125%/)
  })
})

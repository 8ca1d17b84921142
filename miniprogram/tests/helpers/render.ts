/** Load and render a page of the mini-program with miniprogram-simulate. */

import * as path from 'path'

// Loaded with require, not import: its typings pull in j-component's own, older copy of
// miniprogram-api-typings, whose declarations clash with the project's copy.
interface Simulate {
  load(componentPath: string, options?: { rootPath?: string }): string
  render(id: string, properties?: Record<string, unknown>): any
}
// eslint-disable-next-line @typescript-eslint/no-var-requires
const simulate: Simulate = require('miniprogram-simulate')

export const MINIPROGRAM_ROOT = path.resolve(__dirname, '../../miniprogram')

// Jest caches modules, so a page's Component() runs once per test file: load once, render often.
const loaded = new Map<string, string>()

/** `page` like 'pay/index' → a rendered, attached component for pages/pay/index/index. */
export function renderPage(page: string): any {
  let id = loaded.get(page)
  if (!id) {
    id = simulate.load(path.join(MINIPROGRAM_ROOT, 'pages', page, 'index'), { rootPath: MINIPROGRAM_ROOT })
    loaded.set(page, id)
  }
  const comp: any = simulate.render(id)
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

/** Tap the first element matching `selector` (fails loudly if there is none). */
export function tap(comp: any, selector: string): void {
  const node = comp.querySelector(selector)
  if (!node) throw new Error(`nothing matches ${selector}`)
  node.dispatchEvent('tap')
}

/** The rendered text of the page (whitespace squeezed). */
export function textOf(comp: any): string {
  return (comp.dom.textContent || '').replace(/\s+/g, ' ').trim()
}

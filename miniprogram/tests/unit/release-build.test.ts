/**
 * Release configuration: the API address, appid, subscription template ids and the sandbox switch come
 * from a per-environment file (env/<name>.json) through scripts/build-env.js, never from edited source;
 * a release build refuses sandbox values.
 */

import { spawnSync } from 'child_process'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'

const ROOT = path.resolve(__dirname, '../..')
const SCRIPT = path.join(ROOT, 'scripts', 'build-env.js')
// eslint-disable-next-line @typescript-eslint/no-var-requires
const build = require(SCRIPT) as {
  loadEnv(nameOrFile: string): Record<string, unknown>
  releaseProblems(env: Record<string, unknown>): string[]
  renderModule(env: Record<string, unknown>, source: string): string
}

const GOOD = {
  appid: 'wx8f3a2b1c4d5e6f70',
  apiBaseUrl: 'https://tj.hospital.example.cn',
  sandboxPay: false,
  subscribeTemplates: { payment: ['Xk3fPq9-payment-template'], booking: ['Yb7LmW2-booking-template'] },
}

function run(args: string[]) {
  return spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' })
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mp-release-'))
}

describe('per-environment build settings', () => {
  it('the committed env module is exactly what env/dev.json generates (nobody edits it by hand)', () => {
    const committed = fs.readFileSync(path.join(ROOT, 'miniprogram', 'env.ts'), 'utf8')
    expect(committed).toBe(build.renderModule(build.loadEnv('dev'), 'env/dev.json'))
  })

  it('config.ts takes its environment values from the generated module', () => {
    const source = fs.readFileSync(path.join(ROOT, 'miniprogram', 'config.ts'), 'utf8')
    expect(source).toMatch(/from '\.\/env'/)
    expect(source).not.toMatch(/https?:\/\//)
  })

  it('a release build refuses every sandbox value, each with its reason', () => {
    const problems = build.releaseProblems({
      appid: 'wx0000000000sandbox',
      apiBaseUrl: 'http://127.0.0.1:8000/sandbox',
      sandboxPay: true,
      subscribeTemplates: { payment: ['sandbox-tmpl-payment'], booking: [] },
    }).join('\n')
    expect(problems).toMatch(/sandboxPay/)
    expect(problems).toMatch(/appid/)
    expect(problems).toMatch(/https:\/\//)
    expect(problems).toMatch(/127\.0\.0\.1|本机|this machine/)
    expect(problems).toMatch(/sandbox-tmpl-payment/)
    for (const appid of ['touristappid', '', 'wx00000000000000oa', 'not-an-appid']) {
      expect(build.releaseProblems({ ...GOOD, appid }).join()).toMatch(/appid/)
    }
    for (const apiBaseUrl of ['http://tj.hospital.example.cn', 'https://localhost', 'https://192.168.1.20', 'https://x.cn/sandbox']) {
      expect(build.releaseProblems({ ...GOOD, apiBaseUrl })).not.toEqual([])
    }
    expect(build.releaseProblems(GOOD)).toEqual([])
  })

  it('`build:release` with sandbox values stops with a clear message and writes nothing', () => {
    const out = tmp()
    const r = run(['--release', 'dev', '--out', out])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/发布构建被拒绝|release build refused/)
    expect(r.stderr).toMatch(/sandboxPay/)
    expect(fs.readdirSync(out)).toEqual([])
  })

  it('`build:release` with real values writes a release copy and leaves the source alone', () => {
    const dir = tmp()
    const file = path.join(dir, 'hospital.json')
    fs.writeFileSync(file, JSON.stringify(GOOD))
    const before = fs.readFileSync(path.join(ROOT, 'miniprogram', 'env.ts'), 'utf8')
    const out = path.join(dir, 'out')
    const r = run(['--release', file, '--out', out])
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const project = JSON.parse(fs.readFileSync(path.join(out, 'project.config.json'), 'utf8'))
    expect(project.appid).toBe(GOOD.appid)
    const env = fs.readFileSync(path.join(out, 'miniprogram', 'env.ts'), 'utf8')
    expect(env).toContain('"apiBaseUrl": "https://tj.hospital.example.cn"')
    expect(env).toContain('"sandboxPay": false')
    expect(env).toContain('Xk3fPq9-payment-template')
    expect(fs.existsSync(path.join(out, 'miniprogram', 'app.json'))).toBe(true)
    expect(fs.readFileSync(path.join(ROOT, 'miniprogram', 'env.ts'), 'utf8')).toBe(before)
  })

  it('a malformed environment file is refused before anything is written', () => {
    const dir = tmp()
    const file = path.join(dir, 'bad.json')
    fs.writeFileSync(file, JSON.stringify({ ...GOOD, subscribeTemplates: { payment: 'one' } }))
    const r = run(['--release', file, '--out', path.join(dir, 'out')])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/subscribeTemplates/)
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false)
  })
})

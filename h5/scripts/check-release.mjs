// A release build (vite --mode release, settings from .env.release) must not carry sandbox values.
import { loadEnv } from 'vite'
import { resolve } from 'node:path'

const mode = process.argv.includes('--mode') ? process.argv[process.argv.indexOf('--mode') + 1] : (process.env.H5_MODE ?? 'sandbox')
const env = loadEnv(mode, resolve(import.meta.dirname, '..'), 'VITE_')
export function sandboxProblems(e) {
  const problems = []
  if (e.VITE_SANDBOX === '1' || e.VITE_SANDBOX === 'true') problems.push('VITE_SANDBOX is on')
  if (!e.VITE_OA_APPID || /^wx0+/.test(e.VITE_OA_APPID) || e.VITE_OA_APPID.endsWith('sandbox')) problems.push('VITE_OA_APPID is missing or a sandbox appid')
  if ((e.VITE_API_BASE ?? '').includes('/sandbox') || /127\.0\.0\.1|localhost/.test(e.VITE_API_BASE ?? '')) problems.push('VITE_API_BASE points at a sandbox or this machine')
  else if (e.VITE_API_BASE && !e.VITE_API_BASE.startsWith('https://')) problems.push('VITE_API_BASE must be https:// (or empty for the same origin)')
  return problems
}
if (mode === 'release') {
  const problems = sandboxProblems(env)
  if (problems.length) {
    console.error(`release build refused: ${problems.join('; ')} (settings: h5/.env.release)`)
    process.exit(1)
  }
}

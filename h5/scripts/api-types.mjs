// API types for the H5 pages, generated from the backend's OpenAPI document (never written by hand).
// `node scripts/api-types.mjs` rewrites src/api/schema.d.ts; `--check` fails when it is stale.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'

const here = resolve(import.meta.dirname, '..')
const python = process.env.CHECKUP_BIN ? join(process.env.CHECKUP_BIN, 'checkup') : resolve(here, '../.venv/bin/checkup')
const target = join(here, 'src/api/schema.d.ts')
const dir = mkdtempSync(join(tmpdir(), 'h5-openapi-'))
const doc = execFileSync(python, ['openapi'], { encoding: 'utf8', env: { ...process.env, CHECKUP_VAR_DIR: dir } })
const schema = JSON.parse(doc)
// The backend names operations after their handlers, and the console and patient sides share a few names:
// types are by path, so operation ids are not needed here.
for (const item of Object.values(schema.paths ?? {})) for (const op of Object.values(item)) if (op && typeof op === 'object') delete op.operationId
const ast = await openapiTS(schema)
const text = '// Generated from the backend OpenAPI document by scripts/api-types.mjs: do not edit.\n' + astToString(ast)
if (process.argv.includes('--check')) {
  let current = ''
  try { current = readFileSync(target, 'utf8') } catch { /* missing = stale */ }
  if (current !== text) {
    console.error('src/api/schema.d.ts is stale: run `npm run api-types` in h5/ and commit it')
    process.exit(1)
  }
  console.log('src/api/schema.d.ts matches the OpenAPI document')
} else {
  writeFileSync(target, text)
  console.log(`wrote ${target}`)
}

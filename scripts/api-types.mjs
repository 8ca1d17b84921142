// API types of the three clients (console, H5, mini-program), generated from the backend's OpenAPI document
// (never written by hand). `node scripts/api-types.mjs <client>` rewrites the client's schema.d.ts;
// `--check` fails when it is stale (run by `make test-console`, `make test-h5`, `make test-miniprogram`).
// The backend is `$CHECKUP_BIN/checkup` (else .venv/bin/checkup); openapi-typescript comes from the
// client's own node_modules, so each client needs only its own `npm ci`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const TARGETS = {
  console: 'src/api/schema.d.ts',
  h5: 'src/api/schema.d.ts',
  miniprogram: 'miniprogram/services/schema.d.ts',
}
const client = process.argv.slice(2).find((arg) => !arg.startsWith('--'))
if (!client || !(client in TARGETS)) {
  console.error(`usage: node scripts/api-types.mjs <${Object.keys(TARGETS).join('|')}> [--check]`)
  process.exit(2)
}
const clientDir = join(root, client)
const target = join(clientDir, TARGETS[client])

// openapi-typescript is ESM only: find its package in the client's node_modules, then import its entry.
const requireFromClient = createRequire(join(clientDir, 'package.json'))
const pkgPath = requireFromClient.resolve('openapi-typescript/package.json')
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
const entry = pkg.exports?.['.']?.import?.default ?? pkg.exports?.['.']?.import ?? pkg.module ?? pkg.main
const { default: openapiTS, astToString } = await import(pathToFileURL(join(dirname(pkgPath), entry)).href)

const checkup = process.env.CHECKUP_BIN ? join(process.env.CHECKUP_BIN, 'checkup') : join(root, '.venv/bin/checkup')
const varDir = mkdtempSync(join(tmpdir(), 'api-types-'))
let doc
try {
  doc = execFileSync(checkup, ['openapi'], { encoding: 'utf8', env: { ...process.env, CHECKUP_VAR_DIR: varDir } })
} finally {
  rmSync(varDir, { recursive: true, force: true })
}
const schema = JSON.parse(doc)
// The backend names operations after their handlers, and the console and patient sides share a few names:
// types are by path, so operation ids are not needed here.
for (const item of Object.values(schema.paths ?? {})) {
  for (const op of Object.values(item)) if (op && typeof op === 'object') delete op.operationId
}
const ast = await openapiTS(schema)
const text = '// Generated from the backend OpenAPI document by scripts/api-types.mjs: do not edit.\n' + astToString(ast)
const shown = relative(root, target)
if (process.argv.includes('--check')) {
  let current = ''
  try {
    current = readFileSync(target, 'utf8')
  } catch {
    // missing = stale
  }
  if (current !== text) {
    console.error(`${shown} is stale: run \`node scripts/api-types.mjs ${client}\` at the repository root and commit it`)
    process.exit(1)
  }
  console.log(`${shown} matches the OpenAPI document`)
} else {
  writeFileSync(target, text)
  console.log(`wrote ${shown}`)
}

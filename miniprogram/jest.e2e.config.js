/**
 * End-to-end: the mini-program's own services/ in Node (tests/e2e/wx-node.ts) against a running
 * backend with the sandbox on. Needs CHECKUP_E2E_BASE_URL; `make test-miniprogram-e2e` starts a
 * throwaway backend and sets it.
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/e2e'],
  testMatch: ['<rootDir>/tests/e2e/**/*.e2e.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
  },
  testTimeout: 120000,
}

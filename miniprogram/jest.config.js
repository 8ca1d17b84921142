/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'jsdom',
  testEnvironmentOptions: { url: 'http://localhost/' },
  roots: ['<rootDir>/tests', '<rootDir>/miniprogram'],
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  // The end-to-end suite needs a running backend: npm run test:e2e (jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '\\.e2e\\.test\\.ts$'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tests/tsconfig.json' }],
  },
  setupFiles: ['<rootDir>/tests/setup.ts'],
  clearMocks: true,
  testTimeout: 10000,
}

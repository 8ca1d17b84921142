import { fileURLToPath, URL } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const backend = process.env.H5_BACKEND_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  base: '/h5/',
  plugins: [vue()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    port: 5174,
    proxy: { '/api': { target: backend, changeOrigin: true }, '/sandbox': { target: backend, changeOrigin: true } },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  test: { environment: 'happy-dom', include: ['src/**/*.spec.ts', 'tests/unit/**/*.spec.ts'], restoreMocks: true },
})

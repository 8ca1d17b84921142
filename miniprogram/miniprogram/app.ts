import { ensureToken } from './services/auth'

export interface CheckupAppOption {
  globalData: Record<string, never>
}

App<CheckupAppOption>({
  globalData: {},
  onLaunch() {
    // Log in early so the first page's requests do not wait for it; failures are retried on demand.
    ensureToken().catch(() => undefined)
  },
})

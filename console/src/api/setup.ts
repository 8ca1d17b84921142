/** Installs the request client's interceptors: token from the auth store, toast, 401 → login. */
import { ElMessage } from 'element-plus'
import type { Router } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { installHttpHooks } from './client'

export function setupHttp(router: Router, notify: (message: string) => void = defaultNotify): void {
  const auth = useAuthStore()
  installHttpHooks({
    getToken: () => auth.token,
    onUnauthorized: () => {
      auth.clear()
      const current = router.currentRoute.value
      if (current.name !== 'login') {
        void router.replace({ name: 'login', query: { redirect: current.fullPath } })
      }
    },
    notifyError: notify,
  })
}

function defaultNotify(message: string): void {
  ElMessage({ type: 'error', message, grouping: true, showClose: true })
}

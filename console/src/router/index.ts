import { createRouter, createWebHistory, type Router } from 'vue-router'
import { useAuthStore } from '@/stores/auth'
import { resolveNavigation } from './guard'
import { featureRoutes, routes } from './routes'

export function createAppRouter(): Router {
  const router = createRouter({ history: createWebHistory(import.meta.env.BASE_URL), routes })
  router.beforeEach((to) => {
    const auth = useAuthStore()
    return resolveNavigation(to, { isLoggedIn: auth.isLoggedIn, roles: auth.roles }, featureRoutes)
  })
  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · 体检预约管理后台` : '体检预约管理后台'
  })
  return router
}

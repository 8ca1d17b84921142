/** Where a navigation may go, given the session: login without a token, 403 without the role. */
import type { RouteLocationNormalized, RouteLocationRaw, RouteRecordRaw } from 'vue-router'
import { firstAllowedPath } from '@/utils/menu'
import { hasAnyRole } from '@/utils/permission'

export interface SessionView {
  isLoggedIn: boolean
  roles: readonly string[]
}

export function resolveNavigation(
  to: Pick<RouteLocationNormalized, 'name' | 'fullPath' | 'meta' | 'matched'>,
  session: SessionView,
  features: RouteRecordRaw[],
): true | RouteLocationRaw {
  if (to.meta.public) {
    if (to.name === 'login' && session.isLoggedIn) return firstAllowedPath(features, session.roles) ?? '/forbidden'
    return true
  }
  if (!session.isLoggedIn) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  if (to.name === 'root') return firstAllowedPath(features, session.roles) ?? { name: 'forbidden' }
  const allowed = to.matched.every((record) => hasAnyRole(session.roles, record.meta.roles))
  return allowed ? true : { name: 'forbidden' }
}

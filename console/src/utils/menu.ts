/** The side menu: feature routes with a menu position, filtered by the user's roles. */
import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'
import { hasAnyRole } from './permission'

export interface MenuItem {
  path: string
  title: string
  icon?: Component
}

export function buildMenu(routes: RouteRecordRaw[], roles: readonly string[]): MenuItem[] {
  return routes
    .filter((route) => route.meta?.menuOrder !== undefined && hasAnyRole(roles, route.meta.roles))
    .sort((a, b) => (a.meta?.menuOrder ?? 0) - (b.meta?.menuOrder ?? 0))
    .map((route) => ({
      path: route.path.startsWith('/') ? route.path : `/${route.path}`,
      title: route.meta?.title ?? route.path,
      icon: route.meta?.icon,
    }))
}

/** The page to open after login: the first menu entry the user may see. */
export function firstAllowedPath(routes: RouteRecordRaw[], roles: readonly string[]): string | null {
  return buildMenu(routes, roles)[0]?.path ?? null
}

import type { Component } from 'vue'
import type { Role } from '@/utils/permission'

export {}

declare module 'vue-router' {
  interface RouteMeta {
    /** Chinese page title, also the menu label */
    title?: string
    /** roles that may open the page (admin always may); none = any logged-in user */
    roles?: Role[]
    icon?: Component
    /** position in the side menu; pages without it are not in the menu */
    menuOrder?: number
    /** reachable without logging in */
    public?: boolean
  }
}

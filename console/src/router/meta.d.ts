import type { Component } from 'vue'
import type { Role } from '@/utils/permission'

export {}

declare module 'vue-router' {
  interface RouteMeta {
    /** Chinese page title, also the menu label */
    title?: string
    /** roles that may open the page (admin always may); none = any logged-in user */
    roles?: Role[]
    /**
     * The page's main list route(s), "METHOD /api/path" as the server's route table names them: every role
     * in `roles` must be allowed by one of them (checked against the server by tests/unit/test_console_menu_roles.py)
     */
    api?: string[]
    icon?: Component
    /** position in the side menu; pages without it are not in the menu */
    menuOrder?: number
    /** reachable without logging in */
    public?: boolean
  }
}

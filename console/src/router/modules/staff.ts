import { Avatar } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'staff',
    name: 'staff',
    component: () => import('@/views/staff/index.vue'),
    meta: { title: '账号', roles: ['admin'], api: ['GET /api/console/staff'], icon: Avatar, menuOrder: 70 },
  },
]

export default routes

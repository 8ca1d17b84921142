import { Calendar } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'quota',
    name: 'quota',
    component: () => import('@/views/quota/index.vue'),
    meta: { title: '号源管理', roles: ['admin', 'staff'], api: ['GET /api/console/quota'], icon: Calendar, menuOrder: 20 },
  },
]

export default routes

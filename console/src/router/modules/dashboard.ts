import { Odometer } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'dashboard',
    name: 'dashboard',
    component: () => import('@/views/dashboard/index.vue'),
    meta: {
      title: '首页',
      roles: ['admin', 'staff', 'finance'],
      api: ['GET /api/console/quota', 'GET /api/console/payments'],
      icon: Odometer,
      menuOrder: 10,
    },
  },
]

export default routes

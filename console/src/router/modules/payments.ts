import { Wallet } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'payments',
    name: 'payments',
    component: () => import('@/views/payments/index.vue'),
    meta: { title: '缴费记录', roles: ['admin', 'finance'], api: ['GET /api/console/payments'], icon: Wallet, menuOrder: 40 },
  },
]

export default routes

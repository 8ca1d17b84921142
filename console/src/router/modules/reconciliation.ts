import { Finished } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'reconciliation',
    name: 'reconciliation',
    component: () => import('@/views/reconciliation/index.vue'),
    meta: { title: '对账', roles: ['admin', 'finance'], api: ['GET /api/console/reconciliation'], icon: Finished, menuOrder: 50 },
  },
]

export default routes

import { DataAnalysis, Lock } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'operations/report',
    name: 'operations-report',
    component: () => import('@/views/operations/report.vue'),
    meta: { title: '运行报告', roles: ['admin', 'auditor'], api: ['GET /api/console/reports/monthly'], icon: DataAnalysis, menuOrder: 85 },
  },
  {
    path: 'operations/selfcheck',
    name: 'operations-selfcheck',
    component: () => import('@/views/operations/selfcheck.vue'),
    meta: { title: '安全自查', roles: ['admin', 'auditor'], api: ['GET /api/console/selfcheck'], icon: Lock, menuOrder: 90 },
  },
]

export default routes

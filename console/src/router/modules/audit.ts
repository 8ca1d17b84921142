import { Document } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'audit',
    name: 'audit',
    component: () => import('@/views/audit/index.vue'),
    meta: { title: '审计日志', roles: ['admin', 'auditor'], api: ['GET /api/console/audit-logs'], icon: Document, menuOrder: 80 },
  },
]

export default routes

import { Operation } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'jobs',
    name: 'jobs',
    component: () => import('@/views/jobs/index.vue'),
    meta: { title: '任务', roles: ['admin', 'finance'], api: ['GET /api/console/jobs'], icon: Operation, menuOrder: 55 },
  },
]

export default routes

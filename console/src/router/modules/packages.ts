import { Box } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'packages',
    name: 'packages',
    component: () => import('@/views/packages/index.vue'),
    meta: { title: '套餐', roles: ['admin'], api: ['GET /api/console/packages'], icon: Box, menuOrder: 60 },
  },
]

export default routes

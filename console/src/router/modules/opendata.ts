import { Share } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'opendata',
    name: 'opendata',
    component: () => import('@/views/opendata/index.vue'),
    meta: { title: '数据共享', roles: ['admin'], api: ['GET /api/console/open-clients'], icon: Share, menuOrder: 75 },
  },
]

export default routes

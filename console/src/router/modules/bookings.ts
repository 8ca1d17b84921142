import { User } from '@element-plus/icons-vue'
import type { RouteRecordRaw } from 'vue-router'

const routes: RouteRecordRaw[] = [
  {
    path: 'bookings',
    name: 'bookings',
    component: () => import('@/views/bookings/index.vue'),
    meta: {
      title: '预约患者',
      roles: ['admin', 'staff', 'auditor'],
      api: ['GET /api/console/reports/booked-patients', 'GET /api/console/bookings'],
      icon: User,
      menuOrder: 30,
    },
  },
]

export default routes

/** The route table: the layout with one module per feature (./modules/*.ts), login and error pages. */
import type { RouteRecordRaw } from 'vue-router'

const modules = import.meta.glob<{ default: RouteRecordRaw[] }>('./modules/*.ts', { eager: true })

export const featureRoutes: RouteRecordRaw[] = Object.values(modules).flatMap((m) => m.default)

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/login/index.vue'),
    meta: { title: '登录', public: true },
  },
  {
    path: '/',
    name: 'root',
    component: () => import('@/layouts/BasicLayout.vue'),
    children: [
      ...featureRoutes,
      {
        path: 'forbidden',
        name: 'forbidden',
        component: () => import('@/views/error/forbidden.vue'),
        meta: { title: '无权访问' },
      },
    ],
  },
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('@/views/error/not-found.vue'),
    meta: { title: '页面不存在', public: true },
  },
]

import { createRouter, createWebHashHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/packages' },
    { path: '/packages', component: () => import('./views/PackagesView.vue'), meta: { title: '个人体检' } },
    { path: '/charges', component: () => import('./views/ChargesView.vue'), meta: { title: '体检缴费' } },
    { path: '/book/:billNo', component: () => import('./views/BookView.vue'), meta: { title: '预约' } },
    { path: '/bookings', component: () => import('./views/BookingsView.vue'), meta: { title: '预约记录' } },
    { path: '/bookings/:id', component: () => import('./views/BookingsView.vue'), meta: { title: '预约记录' } },
    { path: '/patients', component: () => import('./views/PatientsView.vue'), meta: { title: '就诊人' } },
  ],
})

router.afterEach((to) => { document.title = String(to.meta.title ?? '体检中心') })

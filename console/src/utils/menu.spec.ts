import { describe, expect, it } from 'vitest'
import type { RouteLocationNormalized } from 'vue-router'
import { resolveNavigation } from '@/router/guard'
import { featureRoutes } from '@/router/routes'
import { buildMenu, firstAllowedPath } from './menu'
import { can } from './permission'

const titles = (roles: string[]) => buildMenu(featureRoutes, roles).map((m) => m.title)

describe('menu by role', () => {
  it('shows admin everything, in order', () => {
    expect(titles(['admin'])).toEqual(['首页', '号源管理', '预约患者', '缴费记录', '对账', '任务', '套餐', '账号', '数据共享', '审计日志', '运行报告', '安全自查'])
  })

  it('shows checkup staff the dashboard, quotas and booked patients', () => {
    expect(titles(['staff'])).toEqual(['首页', '号源管理', '预约患者'])
  })

  it('shows finance the dashboard, payments, reconciliation and jobs', () => {
    expect(titles(['finance'])).toEqual(['首页', '缴费记录', '对账', '任务'])
  })

  it('shows the auditor the report, the audit trail, the operation report and the self-check only', () => {
    expect(titles(['auditor'])).toEqual(['预约患者', '审计日志', '运行报告', '安全自查'])
    expect(firstAllowedPath(featureRoutes, ['auditor'])).toBe('/bookings')
  })

  it('joins the menus of several roles and shows nothing without a role', () => {
    expect(titles(['finance', 'auditor'])).toEqual(['首页', '预约患者', '缴费记录', '对账', '任务', '审计日志', '运行报告', '安全自查'])
    expect(titles([])).toEqual([])
  })

  it('lets only staff and admin confirm, and only admin undo', () => {
    expect(can(['staff'], 'bookings.confirm')).toBe(true)
    expect(can(['auditor'], 'bookings.confirm')).toBe(false)
    expect(can(['staff'], 'bookings.unconfirm')).toBe(false)
    expect(can(['admin'], 'bookings.unconfirm')).toBe(true)
    // the release schedule (开放时段) is the checkup staff's, not only the admins'
    expect(can(['staff'], 'rules.edit')).toBe(true)
    expect(can(['finance'], 'rules.edit')).toBe(false)
    expect(can(['staff'], 'bookings.act')).toBe(true)
    expect(can(['auditor'], 'bookings.act')).toBe(false)
  })
})

function location(name: string, path: string): Pick<RouteLocationNormalized, 'name' | 'fullPath' | 'meta' | 'matched'> {
  const route = featureRoutes.find((r) => r.name === name)
  const meta = route?.meta ?? (name === 'login' ? { public: true } : {})
  return { name, fullPath: path, meta, matched: [{ meta } as RouteLocationNormalized['matched'][number]] }
}

describe('router guard', () => {
  it('sends a visitor without a token to login, remembering where they were going', () => {
    expect(resolveNavigation(location('bookings', '/bookings?q=1'), { isLoggedIn: false, roles: [] }, featureRoutes)).toEqual({
      name: 'login',
      query: { redirect: '/bookings?q=1' },
    })
  })

  it('refuses a page the role may not open', () => {
    const finance = { isLoggedIn: true, roles: ['finance'] }
    expect(resolveNavigation(location('quota', '/quota'), finance, featureRoutes)).toEqual({ name: 'forbidden' })
    expect(resolveNavigation(location('payments', '/payments'), finance, featureRoutes)).toBe(true)
    expect(resolveNavigation(location('jobs', '/jobs'), finance, featureRoutes)).toBe(true)
    expect(resolveNavigation(location('jobs', '/jobs'), { isLoggedIn: true, roles: ['staff'] }, featureRoutes)).toEqual({ name: 'forbidden' })
  })

  it('opens the first allowed page at / and after login', () => {
    const auditor = { isLoggedIn: true, roles: ['auditor'] }
    expect(resolveNavigation({ ...location('root', '/'), meta: {}, matched: [] }, auditor, featureRoutes)).toBe('/bookings')
    expect(resolveNavigation(location('login', '/login'), auditor, featureRoutes)).toBe('/bookings')
  })
})

/** Mounting a console page as the app does: Pinia with a session, a router, Element Plus and dayjs in zh-CN. */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, type Component } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { elementLocale } from '@/locale'
import { useAuthStore } from '@/stores/auth'
import type { Role } from '@/utils/permission'

const Blank = defineComponent({ render: () => null })

export async function mountPage(
  page: Component,
  { roles, path = '/' }: { roles: Role[]; path?: string },
): Promise<VueWrapper> {
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().setSession({ token: 'test-token', staff: { username: 'tester', name: '测试', roles } })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Blank },
      { path: '/:page', component: Blank },
      { path: '/login', name: 'login', component: Blank },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(page, {
    attachTo: document.body,
    global: { plugins: [pinia, router, [ElementPlus, { locale: elementLocale }]] },
  })
  await flushPromises()
  return wrapper
}

/** The buttons of the ElMessageBox currently open (it renders outside the page, into body). */
export async function messageBoxButton(text: string): Promise<HTMLButtonElement> {
  await flushPromises()
  const boxes = [...document.querySelectorAll<HTMLElement>('.el-message-box')]
  const box = boxes[boxes.length - 1]
  if (!box) throw new Error('no message box is open')
  const button = [...box.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.textContent?.trim() === text)
  if (!button) throw new Error(`no "${text}" button in the message box`)
  return button
}

export function visibleDialog(): HTMLElement | null {
  const dialogs = [...document.querySelectorAll<HTMLElement>('.el-dialog')].filter((d) => d.offsetParent !== null || d.style.display !== 'none')
  return dialogs[dialogs.length - 1] ?? null
}

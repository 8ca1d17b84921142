import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type { StaffProfile } from '@/api/auth'
import { can as canDo, type Permission } from '@/utils/permission'

const STORAGE_KEY = 'checkup-console-session'

interface StoredSession {
  token: string
  staff: StaffProfile
}

// sessionStorage: closing the browser tab on a shared hospital PC ends the session.
function readSession(): StoredSession | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY)
    return raw ? (JSON.parse(raw) as StoredSession) : null
  } catch {
    return null
  }
}

export const useAuthStore = defineStore('auth', () => {
  const stored = readSession()
  const token = ref<string | null>(stored?.token ?? null)
  const staff = ref<StaffProfile | null>(stored?.staff ?? null)

  const isLoggedIn = computed(() => token.value !== null)
  const roles = computed<string[]>(() => staff.value?.roles ?? [])

  function setSession(session: StoredSession): void {
    token.value = session.token
    staff.value = session.staff
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session))
  }

  function clear(): void {
    token.value = null
    staff.value = null
    sessionStorage.removeItem(STORAGE_KEY)
  }

  async function login(username: string, password: string): Promise<StaffProfile> {
    const answer = await authApi.login({ username, password })
    setSession({ token: answer.token, staff: answer.staff })
    return answer.staff
  }

  async function logout(): Promise<void> {
    try {
      if (token.value) await authApi.logout()
    } catch {
      // the session may already be gone on the server; forget it here anyway
    } finally {
      clear()
    }
  }

  function can(permission: Permission): boolean {
    return canDo(roles.value, permission)
  }

  return { token, staff, isLoggedIn, roles, setSession, clear, login, logout, can }
})

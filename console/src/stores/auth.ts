import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type { StaffProfile } from '@/api/auth'
import { can as canDo, type Permission } from '@/utils/permission'

const STORAGE_KEY = 'checkup-console-session'

interface StoredSession {
  token: string
  staff: StaffProfile
  /** Until the password set by someone else is changed, the server answers 403 PASSWORD_CHANGE_REQUIRED. */
  mustChangePassword?: boolean
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
  const mustChangePassword = ref<boolean>(stored?.mustChangePassword ?? false)

  const isLoggedIn = computed(() => token.value !== null)
  const roles = computed<string[]>(() => staff.value?.roles ?? [])

  function setSession(session: StoredSession): void {
    token.value = session.token
    staff.value = session.staff
    mustChangePassword.value = session.mustChangePassword ?? false
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session))
  }

  function clear(): void {
    token.value = null
    staff.value = null
    mustChangePassword.value = false
    sessionStorage.removeItem(STORAGE_KEY)
  }

  async function login(username: string, password: string): Promise<StaffProfile> {
    const answer = await authApi.login({ username, password })
    setSession({ token: answer.token, staff: answer.staff, mustChangePassword: answer.must_change_password ?? false })
    return answer.staff
  }

  /** The password the administrator set has been replaced: the console is usable again. */
  function passwordChanged(): void {
    if (token.value && staff.value) setSession({ token: token.value, staff: staff.value, mustChangePassword: false })
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

  return { token, staff, mustChangePassword, isLoggedIn, roles, setSession, clear, login, logout, passwordChanged, can }
})

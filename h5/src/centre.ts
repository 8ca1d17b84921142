// The centre's name, phone number and centre-wide 体检须知: one backend setting each (GET /api/centre),
// asked once and shared by every page. Package notes come with each package from PEIS.
import { ref } from 'vue'
import { api, type Centre } from '@/api'

export const centre = ref<Centre>({ name: '体检中心', phone: '', notice: '', realname_verification: false })
let asked: Promise<void> | null = null

export function loadCentre(): Promise<void> {
  asked ??= api.centre().then(
    (c) => { centre.value = c },
    () => { asked = null }, // try again on the next page
  )
  return asked
}

/** The centre-wide notes, one a line. */
export function noticeLines(text: string = centre.value.notice): string[] {
  return text.split('\n').map((l) => l.trim()).filter(Boolean)
}

/** For tests: forget what was asked. */
export function resetCentre(): void {
  asked = null
  centre.value = { name: '体检中心', phone: '', notice: '', realname_verification: false }
}

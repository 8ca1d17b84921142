// The 就诊人 whose charges and bookings the pages show: the one picked last, else the default one.
import { ref } from 'vue'
import { api, type Patient } from '@/api'

const KEY = 'checkup.h5.patient'
export const patients = ref<Patient[]>([])
export const currentId = ref<number | null>(Number(sessionStorage.getItem(KEY)) || null)

export async function loadPatients(): Promise<Patient[]> {
  patients.value = await api.patients()
  if (!patients.value.some((p) => p.id === currentId.value)) {
    const chosen = patients.value.find((p) => p.is_default) ?? patients.value[0]
    choose(chosen ? chosen.id : null)
  }
  return patients.value
}

export function choose(id: number | null): void {
  currentId.value = id
  if (id) sessionStorage.setItem(KEY, String(id))
  else sessionStorage.removeItem(KEY)
}

export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`
}

// 长辈模式: larger text and simpler pages. Every size in the pages is relative (rem/em), so WeChat's own
// font-size setting (and 关怀模式) scales them too; this mode adds a step on top, remembered on the device.
import { ref } from 'vue'

const KEY = 'checkup.h5.elder'
export const elderMode = ref(localStorage.getItem(KEY) === '1')

export function applyElderMode(on: boolean = elderMode.value): void {
  elderMode.value = on
  localStorage.setItem(KEY, on ? '1' : '0')
  document.documentElement.classList.toggle('elder', on)
}

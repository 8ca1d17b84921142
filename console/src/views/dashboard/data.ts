import type { DayQuota } from '@/api/quota'
import { formatDayShort } from '@/utils/format'

export interface Bar {
  label: string
  value: number
  /** capacity, drawn behind the bar when known */
  max: number
  highlight: boolean
}

/** One bar per day: booked against capacity; today highlighted. */
export function bookingBars(days: DayQuota[], today: string): Bar[] {
  return days.map((d) => ({
    label: formatDayShort(d.date),
    value: d.booked,
    max: d.capacity,
    highlight: d.date === today,
  }))
}

import { describe, expect, it } from 'vitest'
import { closureAction, closureOutcomeText, nextOpeningText, previewBatch } from './data'

describe('closures, batch preview and the next opening', () => {
  it('builds the bookings action of a closure or says what is missing', () => {
    expect(closureAction('move', '2025-03-11', '')).toEqual({ action: { move_to: '2025-03-11' } })
    expect(closureAction('move', '2025-03-11', ' 检修 ')).toEqual({ action: { move_to: '2025-03-11', reason: '检修' } })
    expect(closureAction('move', '', '')).toEqual({ problem: '请选择改约日期' })
    expect(closureAction('cancel', '', '  ')).toEqual({ problem: '请填写取消原因（会告知患者）' })
    expect(closureAction('cancel', '', '停电')).toEqual({ action: { cancel: true, reason: '停电' } })
    expect(closureOutcomeText({ moved: 3, move_to: '2025-03-11' })).toBe('3 个预约已改约到 2025-03-11')
    expect(closureOutcomeText({ cancelled: 2 })).toBe('2 个预约已取消')
  })

  it('previews what a batch does: creates, updates, reopens only when asked, skips booked days', () => {
    const days = [
      { date: '2025-03-10', capacity: 80, booked: 90, remaining: 0, open: true },
      { date: '2025-03-11', capacity: 0, booked: 0, remaining: 0, open: false },
      { date: '2025-03-12', capacity: 80, booked: 3, remaining: 77, open: true },
    ]
    const dates = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13']
    expect(previewBatch(dates, days, 50, true, false).map((d) => d.action)).toEqual(['skip', 'skip', 'update', 'create'])
    expect(previewBatch(dates, days, 50, true, true).map((d) => d.action)).toEqual(['skip', 'reopen', 'update', 'create'])
    expect(previewBatch(dates, days, 100, false, false).map((d) => d.action)).toEqual(['skip', 'update', 'skip', 'create'])
  })

  it('says when the next day opens', () => {
    expect(nextOpeningText({ date: '2025-03-22', at: '2025-03-08T07:30:00+08:00' })).toBe(
      '下一次放号：2025-03-08 07:30 开放 2025-03-22 的号源',
    )
  })
})

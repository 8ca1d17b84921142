import { describe, expect, it } from 'vitest'
import { actionText, AUDIT_COLUMNS } from './data'

describe('audit wording', () => {
  it('names every action in Chinese and never shows a raw code in the table', () => {
    expect(actionText('booking.staff_reschedule')).toBe('代患者改约')
    expect(actionText('booking.no_show')).toBe('标记未到检')
    expect(actionText('quota.update')).toBe('设置当日号源')
    expect(actionText('something.new')).toBe('其他操作')
    const column = AUDIT_COLUMNS.find((c) => c.key === 'action')!
    const row = { at: '2025-03-07T01:00:00Z', actor: 'a', ip: '', action: 'rules.update', target: '', outcome: 'success', detail: {} }
    expect(column.value(row as never)).toBe('修改预约规则')
  })
})

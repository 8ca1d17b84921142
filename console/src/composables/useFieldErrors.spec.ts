import { describe, expect, it } from 'vitest'
import { ApiError } from '@/api/client'
import { serverFieldErrors, useFieldErrors } from './useFieldErrors'

const refused = (fields: unknown, status = 422) =>
  new ApiError(status, { code: 'VALIDATION_ERROR', message: '提交的信息有误，请检查后重试', details: { fields } })

describe('server field errors', () => {
  it('reads details.fields of a 422, keyed by the form field (first part of the path)', () => {
    expect(serverFieldErrors(refused({ username: '太短', 'roles.0': '取值无效', 'roles.1': '取值无效', body: '应为JSON对象' }))).toEqual({
      username: '太短',
      roles: '取值无效',
    })
  })

  it('finds none in other errors', () => {
    expect(serverFieldErrors(refused({ username: '太短' }, 409))).toEqual({})
    expect(serverFieldErrors(new ApiError(422, { code: 'VALIDATION_ERROR', message: 'x' }))).toEqual({})
    expect(serverFieldErrors(new Error('boom'))).toEqual({})
  })

  it('shows them on the fields, replaces the previous ones and clears', () => {
    const fe = useFieldErrors()
    expect(fe.show(refused({ name: '必填' }))).toBe(true)
    expect(fe.errors).toEqual({ name: '必填' })
    expect(fe.show(refused({ password: '太短' }))).toBe(true)
    expect(fe.errors).toEqual({ password: '太短' })
    expect(fe.show(new ApiError(409, { code: 'USERNAME_TAKEN', message: '用户名已存在' }))).toBe(false)
    expect(fe.errors).toEqual({})
    fe.show(refused({ name: '必填' }))
    fe.clear()
    expect(fe.errors).toEqual({})
  })
})

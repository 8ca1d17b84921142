import { beforeEach, describe, expect, it, vi } from 'vitest'
import { finishLogin, startLogin, type Place } from '@/auth'
import { session } from '@/api/client'

function place(search = '', hash = '#/charges'): Place & { assigned: string[]; replaced: string[] } {
  const assigned: string[] = []
  const replaced: string[] = []
  return { search, hash, assigned, replaced, assign: (u) => assigned.push(u), replace: (u) => replaced.push(u) }
}

function answer(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}

describe('official account login', () => {
  beforeEach(() => { sessionStorage.clear() })

  it('goes to WeChat with the state, then logs in with the code and the same state', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    fetch.mockResolvedValueOnce(answer(200, { authorize_url: 'https://open.weixin.qq.com/connect/oauth2/authorize?x#wechat_redirect', state: 'S1', appid: 'wxoa' }))
    const out = place()
    await startLogin(out)
    expect(out.assigned).toEqual(['https://open.weixin.qq.com/connect/oauth2/authorize?x#wechat_redirect'])

    fetch.mockResolvedValueOnce(answer(200, { token: 'T1', expires_in: 7200 }))
    const back = place('?code=C1&state=S1', '')
    expect(await finishLogin(back)).toBe(true)
    expect(session.token).toBe('T1')
    const [url, init] = fetch.mock.calls[1]
    expect(String(url)).toContain('/api/auth/wechat-oa')
    expect(JSON.parse(String(init?.body))).toEqual({ code: 'C1', state: 'S1' })
    expect(back.replaced[0]).toMatch(/#\/charges$/)  // back where the patient was, without the code
  })

  it('refuses a state this browser was not sent away with, and sends nothing', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    sessionStorage.setItem('checkup.h5.oauth-state', 'MINE')
    await expect(finishLogin(place('?code=C1&state=FORGED', ''))).rejects.toThrow('登录校验失败')
    expect(fetch).not.toHaveBeenCalled()
    expect(session.token).toBeNull()
  })

  it('is logged in without a code only when a token is kept', async () => {
    expect(await finishLogin(place())).toBe(false)
    session.token = 'T2'
    expect(await finishLogin(place())).toBe(true)
  })
})

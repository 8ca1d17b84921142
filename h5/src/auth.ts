// Official account login: WeChat web authorisation (snsapi_base) comes back to /h5/?code=…&state=…;
// the state must be the one this browser was sent away with, then the server checks its signature.
import { api } from '@/api'
import { session } from '@/api/client'

const STATE_KEY = 'checkup.h5.oauth-state'
const RETURN_KEY = 'checkup.h5.return-to'

export interface Place {
  search: string
  hash: string
  assign(url: string): void
  replace(url: string): void
}

/** Start authorisation: remember state and where to come back to, then leave for WeChat. */
export async function startLogin(place: Place = window.location): Promise<void> {
  const start = await api.oauthStart()
  sessionStorage.setItem(STATE_KEY, start.state)
  sessionStorage.setItem(RETURN_KEY, place.hash || '#/packages')
  place.assign(start.authorize_url)
}

/** True when logged in (already, or now from the code WeChat came back with). */
export async function finishLogin(place: Place = window.location): Promise<boolean> {
  const params = new URLSearchParams(place.search)
  const code = params.get('code')
  const state = params.get('state')
  if (code) {
    const expected = sessionStorage.getItem(STATE_KEY)
    sessionStorage.removeItem(STATE_KEY)
    if (!state || state !== expected) throw new Error('登录校验失败，请从公众号菜单重新进入')
    const token = await api.oauthLogin(code, state)
    session.token = token.token
    const back = sessionStorage.getItem(RETURN_KEY) || '#/packages'
    sessionStorage.removeItem(RETURN_KEY)
    // Drop the single-use code from the address bar (and from history).
    place.replace(window.location.pathname + back)
    return true
  }
  return Boolean(session.token)
}

import { installFakeWx, FakeWx, waitFor } from '../helpers/fake-wx'
import { renderPage, tap, textOf } from '../helpers/render'

describe('体检中心 home', () => {
  let fake: FakeWx
  beforeEach(() => {
    fake = installFakeWx()
  })

  it('shows the five entries in Chinese', () => {
    const page = renderPage('home/index')
    const text = textOf(page)
    for (const title of ['个人体检', '体检缴费', '预约记录', '就诊人管理', '体检须知']) {
      expect(text).toContain(title)
    }
    expect(page.querySelectorAll('.entry')).toHaveLength(5)
  })

  it('opens 体检缴费 on tap', async () => {
    const page = renderPage('home/index')
    tap(page, '.entry-pay')
    await waitFor(() => expect(fake.navigations).toEqual([{ kind: 'navigateTo', url: '/pages/pay/index/index' }]))
  })
})

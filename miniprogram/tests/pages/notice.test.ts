import { config } from '../../miniprogram/config'
import { installFakeWx } from '../helpers/fake-wx'
import { renderPage, textOf } from '../helpers/render'

describe('体检须知 page', () => {
  it('shows the centre notes, numbered', () => {
    installFakeWx()
    const page = renderPage('notice/index')
    expect(page.querySelectorAll('.notice-line')).toHaveLength(config.checkupNotice.length)
    expect(textOf(page.querySelector('.notice-line'))).toBe(`1.${config.checkupNotice[0]}`)
    expect(textOf(page)).toContain('空腹')
  })
})

import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { usePagedList, type Paging } from './usePagedList'

interface Row { id: number }
type Answer = { items: Row[]; total: number; summary: string }

function answer(ids: number[], total = 42): Answer {
  return { items: ids.map((id) => ({ id })), total, summary: `共 ${total} 条` }
}

/** A fetch whose answers the test releases one by one. */
function deferredFetch() {
  const calls: { paging: Paging; resolve: (a: Answer) => void; reject: (e: unknown) => void }[] = []
  const fetch = vi.fn((paging: Paging) => new Promise<Answer>((resolve, reject) => calls.push({ paging, resolve, reject })))
  return { fetch, calls }
}

describe('usePagedList', () => {
  it('loads a page: rows, total, the whole answer, loading while it waits', async () => {
    const { fetch, calls } = deferredFetch()
    const list = usePagedList(fetch, { pageSize: 50 })
    expect(fetch).not.toHaveBeenCalled() // outside a component nothing loads by itself
    const done = list.load()
    expect(list.loading.value).toBe(true)
    expect(calls[0].paging).toEqual({ page: 1, page_size: 50 })
    calls[0].resolve(answer([1, 2]))
    await done
    expect(list.loading.value).toBe(false)
    expect(list.rows.value).toEqual([{ id: 1 }, { id: 2 }])
    expect(list.total.value).toBe(42)
    expect(list.answer.value?.summary).toBe('共 42 条')
  })

  it('asks for the page and size chosen; a new size or a search starts again at page 1', async () => {
    const fetch = vi.fn(async (paging: Paging) => answer([paging.page]))
    const list = usePagedList(fetch)
    await list.setPage(3)
    expect(fetch).toHaveBeenLastCalledWith({ page: 3, page_size: 20 })
    await list.setPageSize(100)
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, page_size: 100 })
    await list.setPage(2)
    await list.search()
    expect(fetch).toHaveBeenLastCalledWith({ page: 1, page_size: 100 })
    expect(list.pager).toEqual({ page: 1, pageSize: 100 })
  })

  it('shows only the newest answer when an older request comes back last', async () => {
    const { fetch, calls } = deferredFetch()
    const list = usePagedList(fetch)
    const first = list.setPage(1)
    const second = list.setPage(2)
    calls[1].resolve(answer([20, 21]))
    await second
    expect(list.loading.value).toBe(false)
    calls[0].resolve(answer([10, 11]))
    await first
    expect(list.rows.value).toEqual([{ id: 20 }, { id: 21 }])
    expect(list.loading.value).toBe(false)
  })

  it('keeps the rows when a request fails (the request client shows the error) and stops loading', async () => {
    const { fetch, calls } = deferredFetch()
    const list = usePagedList(fetch)
    const ok = list.load()
    calls[0].resolve(answer([1]))
    await ok
    const failed = list.load()
    calls[1].reject(new Error('网络连接失败'))
    await failed
    expect(list.rows.value).toEqual([{ id: 1 }])
    expect(list.loading.value).toBe(false)
  })

  it('clear forgets the rows, e.g. before another tab loads', async () => {
    const list = usePagedList(async () => answer([1]))
    await list.load()
    list.clear()
    expect(list.rows.value).toEqual([])
    expect(list.total.value).toBe(0)
    expect(list.answer.value).toBeNull()
  })

  it('loads once when its component mounts, unless told not to', async () => {
    const fetch = vi.fn(async () => answer([1]))
    const Page = defineComponent({
      props: { immediate: { type: Boolean, default: true } },
      setup(props) {
        const list = usePagedList(fetch, { immediate: props.immediate })
        return () => h('p', list.rows.value.length)
      },
    })
    const wrapper = mount(Page)
    await flushPromises()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(wrapper.text()).toBe('1')
    mount(Page, { props: { immediate: false } })
    await flushPromises()
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

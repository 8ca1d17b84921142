import { getCurrentInstance, onMounted, reactive, ref, shallowRef, type Ref, type ShallowRef } from 'vue'

/** What a list endpoint is asked for: the page (from 1) and its size. */
export interface Paging {
  page: number
  page_size: number
}

/** What a list endpoint answers (extras such as a summary or per-day totals ride along). */
export interface PageAnswer<Row = unknown> {
  items: Row[]
  total: number
}

/** The row type of a list answer. */
export type RowOf<Answer extends PageAnswer> = Answer['items'][number]

export interface PagedListOptions {
  /** Rows per page at first (default 20). */
  pageSize?: number
  /** Load when the component mounts (default true; ignored outside a component). */
  immediate?: boolean
}

export interface PagedList<Answer extends PageAnswer> {
  rows: Ref<RowOf<Answer>[]>
  total: Ref<number>
  loading: Ref<boolean>
  /** The whole last answer, for what rides along with the rows (summary, per_day …). */
  answer: ShallowRef<Answer | null>
  pager: { page: number; pageSize: number }
  /** Fetch the current page again (after an action, or a page-size change). */
  load: () => Promise<void>
  /** Back to page 1, then load: for a new filter. */
  search: () => Promise<void>
  setPage: (page: number) => Promise<void>
  setPageSize: (size: number) => Promise<void>
  /** Forget the rows (e.g. before switching to another tab's list). */
  clear: () => void
}

/**
 * One list page's table state: rows, total, loading and the pager, fetched by `fetch(paging)`.
 * Only the newest request's answer is shown (a slow older one is dropped), and a failed request keeps
 * the rows: the request client has already shown the error.
 */
export function usePagedList<Answer extends PageAnswer>(
  fetch: (paging: Paging) => Promise<Answer>,
  options: PagedListOptions = {},
): PagedList<Answer> {
  const rows = ref([]) as Ref<RowOf<Answer>[]>
  const total = ref(0)
  const loading = ref(false)
  const answer = shallowRef(null) as ShallowRef<Answer | null>
  const pager = reactive({ page: 1, pageSize: options.pageSize ?? 20 })
  let latest = 0

  async function load(): Promise<void> {
    const mine = ++latest
    loading.value = true
    try {
      const got = await fetch({ page: pager.page, page_size: pager.pageSize })
      if (mine !== latest) return
      rows.value = got.items
      total.value = got.total
      answer.value = got
    } catch {
      // shown by the request client
    } finally {
      if (mine === latest) loading.value = false
    }
  }

  function search(): Promise<void> {
    pager.page = 1
    return load()
  }

  function setPage(page: number): Promise<void> {
    pager.page = page
    return load()
  }

  function setPageSize(size: number): Promise<void> {
    pager.pageSize = size
    pager.page = 1
    return load()
  }

  function clear(): void {
    rows.value = []
    total.value = 0
    answer.value = null
  }

  if ((options.immediate ?? true) && getCurrentInstance()) onMounted(load)

  return { rows, total, loading, answer, pager, load, search, setPage, setPageSize, clear }
}

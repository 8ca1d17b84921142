import { listPackages, Package, PACKAGE_SEX_TEXT } from '../../../services/packages'
import { formatFen } from '../../../utils/money'
import { PAGES, goTo, withQuery } from '../../../utils/ui'
import { orderAndGoPay } from '../order'
import { fontScale } from '../../../behaviors/font-scale'

interface PackageView {
  code: string
  name: string
  summary: string
  priceText: string
  sex: string
  sexText: string
}

function toView(p: Package): PackageView {
  return {
    code: p.code,
    name: p.name,
    summary: p.summary,
    priceText: formatFen(p.price_fen),
    sex: p.sex,
    sexText: PACKAGE_SEX_TEXT[p.sex] || '',
  }
}

Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    packages: [] as PackageView[],
    chooser: { visible: false, code: '', name: '', sex: 'any', priceText: '' },
    ordering: false,
  },
  methods: {
    onLoad(): Promise<void> {
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        const packages = await listPackages()
        this.setData({ packages: packages.map(toView) })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onDetail(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code: string }>): void {
      goTo(withQuery(PAGES.packageDetail, { code: e.currentTarget.dataset.code }))
    },
    onBuy(e: WechatMiniprogram.BaseEvent<Record<string, never>, { code: string }>): void {
      const pkg = this.data.packages.find((p) => p.code === e.currentTarget.dataset.code)
      if (!pkg) return
      this.setData({ chooser: { visible: true, code: pkg.code, name: pkg.name, sex: pkg.sex, priceText: pkg.priceText } })
    },
    onChooserClose(): void {
      this.setData({ 'chooser.visible': false })
    },
    async onChooserConfirm(e: WechatMiniprogram.CustomEvent<{ patientId: number }>): Promise<void> {
      if (this.data.ordering) return
      this.setData({ ordering: true })
      const ok = await orderAndGoPay(e.detail.patientId, this.data.chooser.code)
      this.setData({ ordering: false, 'chooser.visible': !ok })
    },
  },
})

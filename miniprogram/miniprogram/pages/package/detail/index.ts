import { getPackage, itemName, notesLines, PACKAGE_SEX_TEXT } from '../../../services/packages'
import { formatFen } from '../../../utils/money'
import { orderAndGoPay } from '../order'
import { fontScale } from '../../../behaviors/font-scale'

Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    code: '',
    name: '',
    summary: '',
    priceText: '',
    sex: 'any',
    sexText: '',
    items: [] as string[],
    notes: [] as string[],
    chooserVisible: false,
    ordering: false,
  },
  methods: {
    onLoad(query: { code?: string }): Promise<void> {
      this.setData({ code: decodeURIComponent(query.code || '') })
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        const pkg = await getPackage(this.data.code)
        this.setData({
          name: pkg.name,
          summary: pkg.summary,
          priceText: formatFen(pkg.price_fen),
          sex: pkg.sex,
          sexText: PACKAGE_SEX_TEXT[pkg.sex] || '',
          items: (pkg.items || []).map(itemName),
          notes: notesLines(pkg.notes),
        })
        wx.setNavigationBarTitle({ title: pkg.name })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onBuy(): void {
      this.setData({ chooserVisible: true })
    },
    onChooserClose(): void {
      this.setData({ chooserVisible: false })
    },
    async onChooserConfirm(e: WechatMiniprogram.CustomEvent<{ patientId: number }>): Promise<void> {
      if (this.data.ordering) return
      this.setData({ ordering: true })
      const ok = await orderAndGoPay(e.detail.patientId, this.data.code)
      this.setData({ ordering: false, chooserVisible: !ok })
    },
  },
})

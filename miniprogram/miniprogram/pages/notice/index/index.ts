import { fontScale } from '../../../behaviors/font-scale'
import { callCentre, centreNoticeLines, getCentre } from '../../../services/centre'

/** 体检须知: the centre-wide notes and phone number, both from the backend (GET /api/centre). */
Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    lines: [] as string[],
    servicePhone: '',
  },
  methods: {
    onLoad(): Promise<void> {
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        const centre = await getCentre()
        this.setData({ lines: centreNoticeLines(centre), servicePhone: centre.phone })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onCall(): void {
      callCentre(this.data.servicePhone)
    },
  },
})

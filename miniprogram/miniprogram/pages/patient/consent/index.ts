import { getPrivacyNotice, giveConsent } from '../../../services/privacy'
import { goBackOr, PAGES, replaceWith } from '../../../utils/ui'
import { fontScale } from '../../../behaviors/font-scale'

/** The privacy notice and the separate consent (PIPL) asked before the first 就诊人 is added. */
Component({
  behaviors: [fontScale],
  data: {
    loading: true,
    failed: false,
    version: '',
    text: '',
    agreed: false,
    submitting: false,
    error: '',
  },
  methods: {
    onLoad(): Promise<void> {
      return this.load()
    },
    async load(): Promise<void> {
      this.setData({ loading: true, failed: false })
      try {
        const notice = await getPrivacyNotice()
        this.setData({ version: notice.version, text: notice.text })
      } catch (e) {
        this.setData({ failed: true })
      } finally {
        this.setData({ loading: false })
      }
    },
    onToggle(): void {
      this.setData({ agreed: !this.data.agreed, error: '' })
    },
    async onAccept(): Promise<void> {
      if (this.data.submitting) return
      if (!this.data.agreed) {
        this.setData({ error: '请先勾选同意' })
        return
      }
      this.setData({ submitting: true })
      try {
        await giveConsent(this.data.version)
        replaceWith(PAGES.patientEdit)
      } catch (e) {
        // e.g. the notice changed meanwhile: read it again
        await this.load()
      } finally {
        this.setData({ submitting: false })
      }
    },
    onDecline(): void {
      goBackOr(PAGES.patientList)
    },
  },
})

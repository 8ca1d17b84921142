/**
 * Bottom sheet to pick the 就诊人 a package is for (used by 个人体检 list and detail).
 * Emits `confirm` {patientId} or `close`; offers 添加就诊人 when there is none or none fits.
 */

import { PACKAGE_SEX_TEXT, PackageSex, packageFits } from '../../services/packages'
import { choosePatient, listPatients, onlyVerified, SEX_TEXT } from '../../services/patients'
import { PAGES, goTo, toastText, withQuery } from '../../utils/ui'

interface PatientOption {
  id: number
  name: string
  sexText: string
  idMasked: string
  fits: boolean
  unverified: boolean
}

Component({
  properties: {
    visible: { type: Boolean, value: false },
    packageName: { type: String, value: '' },
    packageSex: { type: String, value: 'any' },
    priceText: { type: String, value: '' },
    busy: { type: Boolean, value: false },
  },
  data: {
    loading: false,
    loaded: false,
    options: [] as PatientOption[],
    selectedId: 0,
    fitCount: 0,
    sexLimitText: '',
  },
  pageLifetimes: {
    // Back from 添加就诊人 with the sheet still open: show the new one.
    show() {
      if (this.data.visible && this.data.loaded) this.load()
    },
  },
  observers: {
    visible(visible: boolean) {
      if (visible) this.load()
    },
  },
  methods: {
    async load(): Promise<void> {
      this.setData({ loading: true, loaded: false })
      try {
        const patients = await listPatients()
        const sex = this.data.packageSex as PackageSex
        const options = patients.map((p) => ({
          id: p.id,
          name: p.name,
          sexText: SEX_TEXT[p.sex] || '',
          idMasked: p.id_number_masked,
          fits: packageFits({ sex }, p.sex) && p.verified !== false,
          unverified: p.verified === false,
        }))
        const first = choosePatient(onlyVerified(patients).filter((p) => packageFits({ sex }, p.sex)))
        this.setData({
          options,
          fitCount: options.filter((o) => o.fits).length,
          selectedId: first ? first.id : 0,
          sexLimitText: sex === 'any' ? '' : PACKAGE_SEX_TEXT[sex] || '',
        })
      } catch (e) {
        // The request wrapper already showed the reason.
        this.setData({ options: [], fitCount: 0, selectedId: 0 })
      } finally {
        this.setData({ loading: false, loaded: true })
      }
    },
    onSelect(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: number; fits: boolean }>): void {
      const { id, fits } = e.currentTarget.dataset
      if (!fits) {
        const option = this.data.options.find((o) => o.id === Number(id))
        toastText(option && option.unverified ? '该就诊人尚未验证，请先在“就诊人管理”中验证' : `该套餐${this.data.sexLimitText}，请选择其他就诊人`)
        return
      }
      this.setData({ selectedId: Number(id) })
    },
    onConfirm(): void {
      if (!this.data.selectedId || this.data.busy) return
      this.triggerEvent('confirm', { patientId: this.data.selectedId })
    },
    onClose(): void {
      if (this.data.busy) return
      this.triggerEvent('close')
    },
    onAdd(): void {
      goTo(withQuery(PAGES.patientEdit, { from: 'order' }))
    },
    noop(): void {},
  },
})

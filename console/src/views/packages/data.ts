import type { ConsolePackage } from '@/api/packages'
import { formatDateTime, formatSex, formatYuan } from '@/utils/format'

export interface PackageColumn {
  key: string
  label: string
  width?: number
  minWidth?: number
  value: (row: ConsolePackage) => string
}

export const PACKAGE_COLUMNS: PackageColumn[] = [
  { key: 'code', label: '套餐编码', width: 120, value: (r) => r.code },
  { key: 'name', label: '套餐名称', minWidth: 160, value: (r) => r.name },
  { key: 'price_fen', label: '价格', width: 110, value: (r) => formatYuan(r.price_fen) },
  { key: 'sex', label: '适用性别', width: 90, value: (r) => formatSex(r.sex) },
  { key: 'summary', label: '简介', minWidth: 200, value: (r) => r.summary ?? '' },
  { key: 'synced_at', label: '同步时间', width: 170, value: (r) => formatDateTime(r.synced_at) },
]

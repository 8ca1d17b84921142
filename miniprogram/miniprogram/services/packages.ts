/** 体检套餐: online packages from PEIS. */

import { http, ListAnswer } from './request'

export const PACKAGE_SEX = {
  ANY: 'any',
  MALE: 'male',
  FEMALE: 'female',
} as const
export type PackageSex = (typeof PACKAGE_SEX)[keyof typeof PACKAGE_SEX]

export const PACKAGE_SEX_TEXT: Record<PackageSex, string> = {
  any: '男女均可',
  male: '仅限男性',
  female: '仅限女性',
}

/** One examination item of a package; the server may send plain names or objects. */
export type PackageItem = string | { name: string; description?: string; code?: string }

export interface Package {
  code: string
  name: string
  price_fen: number
  sex: PackageSex
  summary: string
  items: PackageItem[]
  /** 须知: one text or several lines. */
  notes: string | string[]
}

export function listPackages(): Promise<Package[]> {
  return http.get<ListAnswer<Package>>('/api/packages', undefined, { auth: false }).then((answer) => answer.items)
}

export function getPackage(code: string): Promise<Package> {
  return http.get<Package>(`/api/packages/${encodeURIComponent(code)}`, undefined, { auth: false })
}

export function itemName(item: PackageItem): string {
  return typeof item === 'string' ? item : item.name
}

export function notesLines(notes: string | string[] | null | undefined): string[] {
  if (!notes) return []
  const lines = Array.isArray(notes) ? notes : notes.split(/\r?\n/)
  return lines.map((line) => line.trim()).filter((line) => line.length > 0)
}

/** Whether a package's sex limit allows a patient of this sex. */
export function packageFits(pkg: Pick<Package, 'sex'>, patientSex: string | undefined): boolean {
  return pkg.sex === PACKAGE_SEX.ANY || !patientSex || pkg.sex === patientSex
}

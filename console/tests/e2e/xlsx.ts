/** Just enough of the xlsx format to read a sheet's rows in the e2e test, without a dependency. */
import { inflateRawSync } from 'node:zlib'

function readZipEntry(zip: Buffer, name: string): Buffer | null {
  let eocd = -1
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)')
  const count = zip.readUInt16LE(eocd + 10)
  let offset = zip.readUInt32LE(eocd + 16)
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(offset) !== 0x02014b50) throw new Error('corrupt zip central directory')
    const method = zip.readUInt16LE(offset + 10)
    const compressedSize = zip.readUInt32LE(offset + 20)
    const nameLength = zip.readUInt16LE(offset + 28)
    const extraLength = zip.readUInt16LE(offset + 30)
    const commentLength = zip.readUInt16LE(offset + 32)
    const localOffset = zip.readUInt32LE(offset + 42)
    const entryName = zip.toString('utf8', offset + 46, offset + 46 + nameLength)
    if (entryName === name) {
      const localNameLength = zip.readUInt16LE(localOffset + 26)
      const localExtraLength = zip.readUInt16LE(localOffset + 28)
      const start = localOffset + 30 + localNameLength + localExtraLength
      const data = zip.subarray(start, start + compressedSize)
      if (method === 0) return Buffer.from(data)
      if (method === 8) return inflateRawSync(data)
      throw new Error(`unsupported zip compression method ${method}`)
    }
    offset += 46 + nameLength + extraLength + commentLength
  }
  return null
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&')
}

function texts(xml: string): string {
  return [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('')
}

/** The rows of the first worksheet as text cells (shared, inline and plain values). */
export function readFirstSheet(file: Buffer): string[][] {
  const shared = readZipEntry(file, 'xl/sharedStrings.xml')?.toString('utf8') ?? ''
  const strings = [...shared.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => texts(m[1]))
  const sheet = readZipEntry(file, 'xl/worksheets/sheet1.xml')?.toString('utf8')
  if (!sheet) throw new Error('the workbook has no xl/worksheets/sheet1.xml')
  return [...sheet.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map((cell) => {
      const attrs = cell[1]
      const body = cell[2] ?? ''
      const value = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1]
      if (/\bt="s"/.test(attrs)) return strings[Number(value)] ?? ''
      if (/\bt="inlineStr"/.test(attrs)) return texts(body)
      return value === undefined ? '' : unescapeXml(value)
    }),
  )
}

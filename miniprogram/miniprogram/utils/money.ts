/** Money is integer fen everywhere; these helpers only format it for the screen. */

/** 12345 → "123.45" (always two decimals, thousands not grouped). */
export function fenToYuan(fen: number): string {
  if (!Number.isFinite(fen) || !Number.isInteger(fen)) {
    throw new TypeError(`amount in fen must be an integer, got ${fen}`)
  }
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  return `${sign}${yuan}.${cents < 10 ? '0' : ''}${cents}`
}

/** 12345 → "¥123.45"; -500 → "-¥5.00". */
export function formatFen(fen: number): string {
  const text = fenToYuan(fen)
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`
}

/** Sum of integer fen amounts. */
export function sumFen(amounts: number[]): number {
  return amounts.reduce((total, fen) => total + fen, 0)
}

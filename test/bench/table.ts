/** Markdown tables and number formats for the bench's stdout. */

/** A GitHub table; the first `textColumns` columns are left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], textColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const format = (cells: string[]) =>
    `| ${cells
      .map((c, i) => (i < textColumns ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join(' | ')} |`;
  const rule = `|${widths
    .map((w, i) => (i < textColumns ? `${'-'.repeat(w + 2)}` : `${'-'.repeat(w + 1)}:`))
    .join('|')}|`;
  return [format(header), rule, ...rows.map(format)].join('\n');
}

export function fixed(n: number | null | undefined, digits = 1): string {
  return n === undefined || n === null || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

/** Whole numbers with thin grouping, for byte counts. */
export function bytes(n: number | null | undefined): string {
  return n === undefined || n === null || !Number.isFinite(n)
    ? '–'
    : Math.round(n).toLocaleString('en-GB');
}

/** `a ÷ b` to two significant-ish digits, or – when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): string {
  if (a === undefined || a === null || b === undefined || b === null || b === 0) return '–';
  const r = a / b;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`;
}

/** Fixed-width text table: the first row is the header; numbers right-aligned. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (/^[-+]?[\d.,]+(\s?(x|ms|MB|s|%))?$/.test(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join(' | ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...body.map(line)].join('\n');
}

/** Formats a number for the table: thousands separators above 1000, `digits` decimals below. */
export function num(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (value !== 0 && Math.abs(value) < 10 ** -digits) return `<${10 ** -digits}`;
  return value.toFixed(digits).replace(/\.0+$/, '');
}

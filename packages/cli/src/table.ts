/** Plain-text tables for terminal output (`keys list`, `keys usage`, a single image's instances). */

/** Each row as one line: columns left-aligned to the widest cell, two spaces apart, no trailing spaces. */
export function alignColumns(rows: readonly (readonly (string | number)[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd());
}

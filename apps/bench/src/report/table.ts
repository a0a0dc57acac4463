// Plain-text tables in GitHub Markdown syntax: aligned for the terminal, and pasteable into
// the README as they are.

/** A column of a {@link renderTable} table. */
export interface Column {
  /** Header text. */
  readonly header: string;
  /** Alignment of the cells (numbers: `right`). */
  readonly align?: 'left' | 'right';
}

/**
 * Renders `rows` (one string per column) as an aligned Markdown table.
 *
 * @example
 * renderTable([{ header: 'op' }, { header: 'ns', align: 'right' }], [['get', '42.1']]);
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, c) =>
    Math.max(column.header.length, 3, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const cell = (text: string, c: number): string => {
    const width = widths[c] ?? 0;
    return columns[c]?.align === 'right' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  const rule = `|${columns.map((column, c) => (column.align === 'right' ? `${'-'.repeat((widths[c] ?? 0) + 1)}:` : '-'.repeat((widths[c] ?? 0) + 2))).join('|')}|`;
  return [
    line(columns.map((column) => column.header)),
    rule,
    ...rows.map((row) => line(columns.map((_, c) => row[c] ?? ''))),
  ].join('\n');
}

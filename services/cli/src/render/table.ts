import { truncate } from './format';
import { paint, statusColour, type Style } from './style';

/** A column of {@link renderTable}. */
export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  /** Longest cell shown; longer ones end with `…`. Default 48. */
  maxWidth?: number;
  align?: 'left' | 'right';
  /** Colour the cell by its value as a status (after padding, so columns stay aligned). */
  status?: boolean;
}

/**
 * Rows as a plain-text table: a header line, then one line per row, columns separated by two
 * spaces and padded to the widest cell. Pure; colours only when `style.color` is on.
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[], style: Style = { color: false, unicode: true }): string {
  const cells = rows.map((r) => columns.map((c) => truncate(c.value(r), c.maxWidth ?? 48)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[], header: boolean) => values.map((v, i) => {
    const c = columns[i]!;
    const last = i === values.length - 1;
    const padded = c.align === 'right' ? v.padStart(widths[i]!) : last ? v : v.padEnd(widths[i]!);
    return header ? paint(style, 'bold', padded) : c.status ? paint(style, statusColour(v), padded) : padded;
  }).join('  ').trimEnd();
  return [line(columns.map((c) => c.header), true), ...cells.map((row) => line(row, false))].join('\n') + '\n';
}

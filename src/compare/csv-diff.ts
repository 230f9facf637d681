import { parse } from 'csv-parse/sync';

export interface ColumnDiff {
  column: string;
  /** Largest |a - b| over matched rows. */
  maxAbs: number;
  /** Largest |a - b| / max(|a|, |b|) over matched rows. */
  maxRel: number;
}

export interface CsvDiff {
  file: string;
  status: 'identical' | 'within_tolerance' | 'different' | 'only_in_a' | 'only_in_b';
  rowsA: number;
  rowsB: number;
  /** First data row (1-based, header excluded) that differs beyond tolerance. */
  firstDifference?: { row: number; a: string; b: string };
  /** Numeric columns that differ at all, with their largest differences. */
  columns: ColumnDiff[];
}

const isNumeric = (v: string | undefined): boolean => v !== undefined && v !== '' && Number.isFinite(Number(v));

/**
 * Compares two CSV texts row by row (rows matched by position). Numbers
 * count as equal when their relative difference is within `tolerance`;
 * any other difference (text, row count, header) is a difference.
 */
export function diffCsv(file: string, a: string | undefined, b: string | undefined, tolerance: number): CsvDiff {
  if (a === undefined || b === undefined) {
    return { file, status: a === undefined ? 'only_in_b' : 'only_in_a', rowsA: 0, rowsB: 0, columns: [] };
  }
  const rowsA = parse(a) as string[][];
  const rowsB = parse(b) as string[][];
  const header = rowsA[0] ?? [];
  const diff: CsvDiff = { file, status: 'identical', rowsA: Math.max(0, rowsA.length - 1), rowsB: Math.max(0, rowsB.length - 1), columns: [] };
  if (a === b) return diff;
  const columns = new Map<number, ColumnDiff>();
  const n = Math.max(rowsA.length, rowsB.length);
  let beyond = rowsA.length !== rowsB.length || (rowsB[0] ?? []).join() !== header.join();
  for (let r = 1; r < n; r++) {
    const ra = rowsA[r];
    const rb = rowsB[r];
    let rowBeyond = !ra || !rb || ra.length !== rb.length;
    for (let c = 0; ra && rb && c < Math.max(ra.length, rb.length); c++) {
      const va = ra[c];
      const vb = rb[c];
      if (va === vb) continue;
      if (!isNumeric(va) || !isNumeric(vb)) {
        rowBeyond = true;
        continue;
      }
      const x = Number(va);
      const y = Number(vb);
      const abs = Math.abs(x - y);
      const rel = abs / Math.max(Math.abs(x), Math.abs(y));
      const col = columns.get(c) ?? { column: header[c] ?? `#${c + 1}`, maxAbs: 0, maxRel: 0 };
      col.maxAbs = Math.max(col.maxAbs, abs);
      col.maxRel = Math.max(col.maxRel, rel);
      columns.set(c, col);
      if (rel > tolerance) rowBeyond = true;
    }
    if (rowBeyond && !diff.firstDifference) diff.firstDifference = { row: r, a: ra?.join(',') ?? '(no row)', b: rb?.join(',') ?? '(no row)' };
    beyond ||= rowBeyond;
  }
  diff.columns = [...columns.entries()].sort(([x], [y]) => x - y).map(([, d]) => d);
  diff.status = beyond ? 'different' : 'within_tolerance';
  return diff;
}

import { parse } from 'csv-parse/sync';

/** A CSV's rows as records by column name; an absent file is no rows. */
export function csvRows(text: string | undefined): Array<Record<string, string>> {
  if (text === undefined || text.trim() === '') return [];
  return parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
}

/** A numeric cell; empty is null. */
export function num(cell: string | undefined): number | null {
  if (cell === undefined || cell === '') return null;
  const n = Number(cell);
  return Number.isFinite(n) ? n : null;
}

/** Names sorted as people expect: `aws-east-2` before `aws-east-10`. */
export const naturalOrder = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

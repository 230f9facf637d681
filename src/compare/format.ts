import type { CompareReport } from './compare.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

/** The report as a person reads it. */
export function formatReport(r: CompareReport, labelA: string, labelB: string): string {
  const out: string[] = [`A: ${labelA}`, `B: ${labelB}`, ''];
  for (const f of r.files) {
    if (f.status === 'identical') out.push(`${f.file}: identical (${f.rowsA} rows)`);
    else if (f.status === 'only_in_a' || f.status === 'only_in_b') out.push(`${f.file}: only in ${f.status === 'only_in_a' ? 'A' : 'B'}`);
    else {
      out.push(`${f.file}: ${f.status === 'within_tolerance' ? `equal within tolerance ${r.tolerance}` : 'DIFFERENT'} (${f.rowsA} rows in A, ${f.rowsB} in B)`);
      if (f.firstDifference) {
        out.push(`  first differing row ${f.firstDifference.row}:`, `    A: ${f.firstDifference.a}`, `    B: ${f.firstDifference.b}`);
      }
      for (const c of f.columns) out.push(`  ${c.column}: max abs diff ${+c.maxAbs.toFixed(6)}, max rel diff ${pct(c.maxRel)}`);
    }
  }
  if (r.metrics.length > 0) {
    out.push('', 'summary metrics          A              B              change');
    for (const m of r.metrics) {
      const change = m.change === null ? (m.a === m.b ? '' : 'changed') : `${m.change >= 0 ? '+' : ''}${m.change}${m.relChange === null ? '' : ` (${m.relChange >= 0 ? '+' : ''}${pct(m.relChange)})`}`;
      out.push(`${m.metric.padEnd(25)}${String(m.a).padEnd(15)}${String(m.b).padEnd(15)}${change}`);
    }
  }
  out.push('', r.equal ? 'runs are equal' : 'runs differ');
  return out.join('\n');
}

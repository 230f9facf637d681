import { PALETTE, type ChartSpec } from './chart.js';
import { csvRows, num } from './csv-table.js';
import { esc, figure, reportPage, table, type ReportAssets } from './page.js';

/** A sweep folder's files (runs.csv, aggregate.csv, paired.csv, sweep.json) and its failed runs' reproduce commands. */
export interface SweepFiles {
  files: Readonly<Record<string, string>>;
  /** Each failed run: its folder (relative to the sweep's) and the command that replays it. */
  failures: ReadonlyArray<{ dir: string; command: string }>;
}

interface Manifest {
  command: string;
  scenario: { file: string; name: string };
  seeds: { range: string; count: number };
  status: string;
  runs: { requested: number; done: number; failed: number };
  settings: { grid: Array<{ key: string }> };
}

/** The runs of a sweep grouped by combination (the grid keys' values, in file order). */
interface Groups {
  gridKeys: string[];
  labels: string[];
  rows: Array<Array<Record<string, string>>>;
  metrics: string[];
}

function group(runsCsv: string | undefined): Groups {
  const rows = csvRows(runsCsv);
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  const seedAt = columns.indexOf('seed');
  const gridKeys = columns.slice(0, Math.max(0, seedAt));
  const metrics = columns.slice(seedAt + 2); // after seed and ok
  const labels: string[] = [];
  const byLabel = new Map<string, Array<Record<string, string>>>();
  for (const r of rows) {
    // The last part of each key is enough to tell combinations apart in a legend.
    const label = gridKeys.map((k) => `${k.split('.').at(-1)}=${r[k]}`).join(', ') || 'all runs';
    if (!byLabel.has(label)) {
      labels.push(label);
      byLabel.set(label, []);
    }
    byLabel.get(label)!.push(r);
  }
  return { gridKeys, labels, rows: labels.map((l) => byLabel.get(l)!), metrics };
}

const isBoolean = (values: readonly string[]): boolean => values.every((v) => v === 'true' || v === 'false' || v === '');

/** Bin edges for a histogram of values: one per integer over a short integer range, else Sturges' rule over [min, max]. */
export function binEdges(values: readonly number[]): number[] {
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (values.every(Number.isInteger) && max - min <= 40) return Array.from({ length: max - min + 2 }, (_, i) => min - 0.5 + i);
  const k = Math.min(40, Math.max(5, Math.ceil(Math.log2(values.length)) + 1));
  return Array.from({ length: k + 1 }, (_, i) => min + ((max - min) * i) / k);
}

function histogram(metric: string, g: Groups, values: number[][]): ChartSpec {
  const edges = binEdges(values.flat());
  const k = edges.length - 1;
  const centres = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]!) / 2);
  const counts = values.map((vs) => {
    const c = new Array<number>(k).fill(0);
    for (const v of vs) c[Math.min(k - 1, Math.max(0, Math.floor(((v - edges[0]!) / (edges[k]! - edges[0]!)) * k)))]!++;
    return c;
  });
  return {
    id: `hist-${metric}`, title: `${metric}: histogram`, note: `Runs per bin of ${metric}${g.labels.length > 1 ? ', per combination' : ''}.`,
    xLabel: metric, yLabel: 'runs',
    series: g.labels.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length]!, path: 'bars' as const })),
    data: [centres, ...counts],
  };
}

function cdf(metric: string, g: Groups, values: number[][]): ChartSpec {
  const xs = [...new Set(values.flat())].sort((a, b) => a - b);
  const fractions = values.map((vs) => {
    const sorted = [...vs].sort((a, b) => a - b);
    let j = 0;
    return xs.map((x) => {
      while (j < sorted.length && sorted[j]! <= x) j++;
      return sorted.length === 0 ? null : j / sorted.length;
    });
  });
  return {
    id: `cdf-${metric}`, title: `${metric}: CDF`, note: `Share of runs with ${metric} at most x.`,
    xLabel: metric, yLabel: 'share of runs',
    series: g.labels.map((label, i) => ({ label, color: PALETTE[i % PALETTE.length]!, path: 'stepped' as const })),
    data: [xs, ...fractions],
  };
}

/** The numeric metrics that vary across the sweep's runs: a histogram and a CDF each. */
export function sweepCharts(runsCsv: string | undefined): ChartSpec[] {
  const g = group(runsCsv);
  const charts: ChartSpec[] = [];
  for (const metric of g.metrics) {
    const cells = g.rows.flat().map((r) => r[metric] ?? '');
    if (isBoolean(cells)) continue;
    const values = g.rows.map((rs) => rs.map((r) => num(r[metric])).filter((v): v is number => v !== null));
    const all = values.flat();
    if (all.length === 0 || Math.min(...all) === Math.max(...all)) continue;
    charts.push(histogram(metric, g, values), cdf(metric, g, values));
  }
  return charts;
}

const bold = (text: string, yes: boolean): string => (yes ? `<b>${text}</b>` : text);
/** A statistic for reading: 4 significant digits (the CSVs keep every digit). */
const sig = (cell: string | undefined): string => {
  const v = num(cell);
  return v === null ? esc(cell || '—') : esc(Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4))));
};

function pairedTable(pairedCsv: string | undefined, gridKeys: readonly string[]): string {
  const rows = csvRows(pairedCsv).filter((r) => (num(r.mean_diff) ?? 0) !== 0 || (num(r.ci95_low) ?? 0) !== 0 || (num(r.ci95_high) ?? 0) !== 0);
  if (rows.length === 0) return '<p>No metric differs from the baseline at any seed.</p>';
  return table([...gridKeys, 'metric', 'pairs', 'mean difference', '95% interval', 'greater', 'less', 'equal'], rows.map((r) => {
    const low = num(r.ci95_low);
    const high = num(r.ci95_high);
    // An interval that excludes 0: the difference is there at this seed count.
    const clear = low !== null && high !== null && (low > 0 || high < 0);
    return [...gridKeys.map((k) => esc(r[k])), `<code>${esc(r.metric)}</code>`, esc(r.pairs), bold(sig(r.mean_diff), clear), low === null ? '—' : bold(`[${sig(r.ci95_low)}, ${sig(r.ci95_high)}]`, clear), esc(r.greater), esc(r.less), esc(r.equal)];
  }));
}

function aggregateTable(aggregateCsv: string | undefined, gridKeys: readonly string[]): string {
  const rows = csvRows(aggregateCsv).filter((r) => r.count !== '0');
  return table([...gridKeys, 'metric', 'runs', 'mean', '95% interval', 'p50', 'p99', 'min', 'max'], rows.map((r) => [
    ...gridKeys.map((k) => esc(r[k])), `<code>${esc(r.metric)}</code>`, esc(r.count), sig(r.mean), r.ci95_low ? `[${sig(r.ci95_low)}, ${sig(r.ci95_high)}]` : '—', sig(r.p50), sig(r.p99), sig(r.min), sig(r.max),
  ]));
}

/** A sweep's report.html: the distribution of every metric that varies, the failing seeds, and for a grid the paired differences. */
export function sweepReportHtml(sweep: SweepFiles, assets: ReportAssets): string {
  const { files, failures } = sweep;
  const m = JSON.parse(files['sweep.json'] ?? '{}') as Manifest;
  const g = group(files['runs.csv']);
  const charts = sweepCharts(files['runs.csv']);
  const body = [
    `<h1>Sweep of ${esc(m.scenario.name)}: ${m.runs.done} runs, ${m.runs.failed === 0 ? '<span class="held">none failed</span>' : `<span class="failed">${m.runs.failed} failed</span>`}</h1>`,
    `<p class="sub">Made by <code>${esc(m.command)}</code>; seeds ${esc(m.seeds.range)}${g.labels.length > 1 ? ` under ${g.labels.length} combinations` : ''}; ${esc(m.status)}.</p>`,
    '<h2>Failing seeds</h2>',
    failures.length === 0 ? '<p>Every run held its invariants and expectations.</p>' : table(['run', 'reproduce'], failures.map((f) => [esc(f.dir), `<code>${esc(f.command)}</code>`])),
    ...(g.labels.length > 1 ? ['<h2>Paired differences from the baseline</h2>', `<p class="note">Each combination against the first (${esc(g.labels[0])}), seed by seed under the same faults: mean of the differences and its paired-t 95% interval; bold where the interval excludes 0.</p>`, pairedTable(files['paired.csv'], g.gridKeys)] : []),
    '<h2>Distributions</h2>',
    charts.length === 0 ? '<p>No numeric metric varies across the runs.</p>' : '<p class="note">Every numeric metric that varies across the runs; drag to zoom, double-click to reset.</p>',
    // A metric's histogram and CDF side by side.
    ...charts.flatMap((c, i) => (i % 2 === 0 ? [`<div class="pair">${figure(c)}${charts[i + 1] ? figure(charts[i + 1]!) : ''}</div>`] : [])),
    '<h2>Every metric</h2>',
    `<details><summary>aggregate.csv as a table</summary>${aggregateTable(files['aggregate.csv'], g.gridKeys)}</details>`,
  ].join('\n');
  return reportPage(`Sweep of ${m.scenario.name} — Lorenz`, body, charts, [], assets);
}

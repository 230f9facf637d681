import { PALETTE, type ChartSpec, type FaultWindow, type SeriesSpec } from './chart.js';
import { csvRows, naturalOrder, num } from './csv-table.js';
import { esc, figure, reportPage, table, type ReportAssets } from './page.js';

/** A run's files by name, as `npm run sim` writes them (summary.json, the CSVs, run.json). */
export type RunFiles = Readonly<Record<string, string>>;

interface Summary {
  scenario: string;
  seed: number;
  simulated_s: number;
  events: number;
  pipeline: { chunks_total: number; chunks_acked: number; chunks_failed: number; completion_s: number | null; throughput_mb_s: number };
  durability: { lost_chunks: number; under_replicated_at_end: number; max_under_replicated: number };
  detection: { crashes: number; detected: number; p50_s: number | null; max_s: number | null; false_suspicions: number; false_failures: number };
  raft?: { elections: number; leader_changes: number; write_availability: number; p95_commit_ms: number | null; max_leaderless_s: number };
  invariants: Array<{ name: string; description: string; held: boolean; violations: number }>;
  expectations: Array<{ metric: string; expected: string; actual: unknown; held: boolean }>;
}

/** Each fault's window from faults.csv: its start row, and its end row when it has one. */
export function faultWindows(faultsCsv: string | undefined): FaultWindow[] {
  const byId = new Map<string, FaultWindow>();
  for (const row of csvRows(faultsCsv)) {
    const t = num(row.time_s) ?? 0;
    const id = row.fault ?? '';
    const known = byId.get(id);
    if (row.phase === 'end') {
      if (known) known.end = t;
    } else if (row.phase !== 'waiting' && !known) {
      byId.set(id, { id, kind: row.kind ?? '', targets: row.targets ?? '', start: t, end: null });
    }
  }
  return [...byId.values()];
}

/** Pivots rows of (x, key, value) into aligned columns: x ascending, one column per key in `keys`. */
function pivot(rows: ReadonlyArray<{ x: number; key: string; value: number | null }>, keys: readonly string[]): Array<Array<number | null>> {
  const xs = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const columns = keys.map(() => xs.map((): number | null => null));
  const col = new Map(keys.map((k, i) => [k, i]));
  for (const r of rows) {
    const c = col.get(r.key);
    if (c !== undefined) columns[c]![at.get(r.x)!] = r.value;
  }
  return [xs, ...columns];
}

const series = (labels: readonly string[], path: SeriesSpec['path'], offset = 0): SeriesSpec[] =>
  labels.map((label, i) => ({ label, color: PALETTE[(i + offset) % PALETTE.length]!, path }));

function throughputChart(files: RunFiles): ChartSpec | undefined {
  const rows = csvRows(files['throughput.csv']);
  if (rows.length === 0) return undefined;
  const stages = [...new Set(rows.map((r) => r.stage ?? ''))];
  return {
    id: 'throughput', title: 'Throughput', note: 'MB/s through each pipeline stage, per metrics bucket (throughput.csv).',
    xLabel: 'simulated time (s)', yLabel: 'MB/s', faults: true,
    series: series(stages, 'stepped'),
    data: pivot(rows.map((r) => ({ x: num(r.bucket_start_s) ?? 0, key: r.stage ?? '', value: num(r.mb_per_s) })), stages),
  };
}

/** The cluster's slots and disks, and each cloud pair's links: per-node and per-cloud rows stay in the CSV. */
function utilisationChart(files: RunFiles): ChartSpec | undefined {
  const rows = csvRows(files['utilisation.csv']).filter((r) => r.scope === 'cluster' || r.resource === 'link');
  if (rows.length === 0) return undefined;
  const label = (r: Record<string, string>): string => (r.resource === 'link' ? `link ${r.scope}` : `${r.resource} (cluster)`);
  const keys = [...new Set(rows.map(label))];
  return {
    id: 'utilisation', title: 'Utilisation',
    note: 'Fraction of each resource in use per bucket: processing slots and disks of running nodes, and links by cloud pair (utilisation.csv).',
    xLabel: 'simulated time (s)', yLabel: 'busy fraction', faults: true,
    series: series(keys, 'stepped'),
    data: pivot(rows.map((r) => ({ x: num(r.bucket_start_s) ?? 0, key: label(r), value: num(r.busy_fraction) })), keys),
  };
}

function durabilityChart(files: RunFiles): ChartSpec | undefined {
  const rows = csvRows(files['durability.csv']);
  if (rows.length === 0) return undefined;
  const columns = [
    ['chunks_under_replicated', 'under-replicated'],
    ['chunks_unavailable', 'unavailable'],
    ['chunks_lost', 'lost'],
    ['repair_backlog_chunks', 'repair backlog'],
  ] as const;
  const x = rows.map((r) => num(r.time_s) ?? 0);
  return {
    id: 'durability', title: 'Replicas and repair',
    note: 'Chunks short of their replicas, unreadable, lost, and waiting for repair (left); chunks acknowledged so far (right) (durability.csv).',
    xLabel: 'simulated time (s)', yLabel: 'chunks', yRightLabel: 'chunks acknowledged', faults: true,
    series: [...series(columns.map(([, label]) => label), 'linear', 1), { label: 'acknowledged', color: PALETTE[0]!, path: 'linear', right: true }],
    data: [x, ...columns.map(([c]) => rows.map((r) => num(r[c]))), rows.map((r) => num(r.chunks_acked))],
  };
}

/** Every verdict row of detector.csv as a mark at (when, which node): crashes, and verdicts true and false. */
/** Most verdicts against live nodes the detector chart draws; above it every k-th is drawn (a 1,000-node partition gives hundreds of thousands of rows, and the page must still open). */
export const MAX_FALSE_VERDICT_MARKS = 20_000;

function detectorChart(files: RunFiles): ChartSpec | undefined {
  const rows = csvRows(files['detector.csv']);
  const marks: Array<{ x: number; node: string; key: string }> = [];
  const falseRows = rows.filter((r) => r.event !== 'crash').length;
  const every = Math.ceil(falseRows / MAX_FALSE_VERDICT_MARKS);
  let seen = 0;
  for (const r of rows) {
    const node = r.node ?? '';
    if (r.event === 'crash') {
      if (r.state === 'suspected') marks.push({ x: num(r.time_s) ?? 0, node, key: 'crash' });
      const first = num(r.first_at_s);
      if (first !== null) marks.push({ x: first, node, key: `crash ${r.state}` });
    } else if (seen++ % every === 0) {
      marks.push({ x: num(r.time_s) ?? 0, node, key: `false ${r.state}` });
    }
  }
  if (marks.length === 0) return undefined;
  const nodes = [...new Set(marks.map((m) => m.node))].sort(naturalOrder);
  const index = new Map(nodes.map((n, i) => [n, i]));
  const keys = ['crash', 'crash suspected', 'crash failed', 'false suspected', 'false failed'];
  const labels = ['crash', 'crash: suspected', 'crash: declared failed', 'up, but suspected', 'up, but declared failed'];
  const colors = ['#000000', '#ff7f0e', '#d62728', '#9467bd', '#e377c2'];
  // One x entry per mark (x may repeat): a scatter on uPlot's aligned columns.
  const sorted = [...marks].sort((a, b) => a.x - b.x);
  const data: Array<Array<number | null>> = [sorted.map((m) => m.x), ...keys.map((k) => sorted.map((m) => (m.key === k ? index.get(m.node)! : null)))];
  const used = keys.map((k) => marks.some((m) => m.key === k));
  return {
    id: 'detector', title: 'Failure detector verdicts',
    note: `Each crash, the first observer to suspect and to declare it failed, and verdicts against nodes that were up (first per node, state and bucket${every > 1 ? `; one row in ${every} of ${falseRows} drawn` : ''}) (detector.csv).`,
    xLabel: 'simulated time (s)', yLabel: 'node', faults: true, yNames: nodes,
    series: keys.map((_, i) => ({ label: labels[i]!, color: colors[i]!, path: 'points' as const })).filter((_, i) => used[i]),
    data: [data[0]!, ...data.slice(1).filter((_, i) => used[i])],
  };
}

function raftCharts(files: RunFiles): ChartSpec[] {
  const rows = csvRows(files['consensus.csv']);
  if (rows.length === 0) return [];
  const ends = rows.map((r) => num(r.time_s) ?? 0);
  const bucket = ends.length > 1 ? ends[1]! - ends[0]! : ends[0]!;
  const x = ends.map((t) => t - bucket);
  const leaders = [...new Set(rows.map((r) => r.leader ?? '').filter((l) => l !== ''))].sort(naturalOrder);
  const leaderIndex = new Map(leaders.map((l, i) => [l, i]));
  const charts: ChartSpec[] = [];
  if (leaders.length > 0) {
    charts.push({
      id: 'raft-leader', title: 'Raft leadership',
      note: 'The leader at the end of each bucket (a gap: no leader), and the term (right) (consensus.csv).',
      xLabel: 'simulated time (s)', yLabel: 'leader', yRightLabel: 'term', faults: true, yNames: leaders,
      series: [{ label: 'leader', color: PALETTE[0]!, path: 'points' }, { label: 'term', color: PALETTE[7]!, path: 'stepped', right: true }],
      data: [x, rows.map((r) => leaderIndex.get(r.leader ?? '') ?? null), rows.map((r) => num(r.term))],
    });
  }
  charts.push({
    id: 'raft-writes', title: 'Raft writes',
    note: 'Share of each bucket in which a write could be acknowledged (left), and p95 commit latency (right) (consensus.csv).',
    xLabel: 'simulated time (s)', yLabel: 'write availability (%)', yRightLabel: 'p95 commit (ms)', faults: true,
    series: [{ label: 'write availability %', color: PALETTE[2]!, path: 'stepped' }, { label: 'p95 commit ms', color: PALETTE[3]!, path: 'stepped', right: true }],
    data: [x, rows.map((r) => 100 * (1 - (num(r.write_unavailable_s) ?? 0) / bucket)), rows.map((r) => num(r.commit_p95_ms))],
  });
  return charts;
}

/** The charts of a run report, in page order; a chart with nothing to draw is left out. */
export function runCharts(files: RunFiles): ChartSpec[] {
  const summary = JSON.parse(files['summary.json'] ?? '{}') as Partial<Summary>;
  const charts = [throughputChart(files), utilisationChart(files), durabilityChart(files), detectorChart(files), ...raftCharts(files)];
  // A chart of nothing but zeros (throughput of a scenario without a dataset) says less than its absence; on a chart of names, 0 is the first name.
  const drawn = charts.filter((c): c is ChartSpec => c !== undefined && (c.data ?? []).slice(1).some((col) => col.some((v) => v !== null && (v !== 0 || c.yNames !== undefined))));
  return drawn.map((c) => ({ ...c, horizon: summary.simulated_s }));
}

const verdict = (held: boolean): string => (held ? '<span class="held">held</span>' : '<span class="failed">FAILED</span>');
const fmt = (v: unknown): string => (v === null || v === undefined ? '—' : esc(v));

function headline(s: Summary): string {
  const p = s.pipeline;
  const d = s.detection;
  const rows: Array<[string, string]> = [
    ['chunks', `${p.chunks_acked} of ${p.chunks_total} acknowledged, ${p.chunks_failed} failed`],
    ['completion', p.completion_s === null ? 'not reached' : `${p.completion_s} s, ${p.throughput_mb_s} MB/s`],
    ['durability', `${s.durability.lost_chunks} lost, ${s.durability.under_replicated_at_end} under-replicated at the end (at most ${s.durability.max_under_replicated} at once)`],
    ['detection', `${d.detected} of ${d.crashes} crashes detected${d.max_s === null ? '' : `, p50 ${d.p50_s} s, max ${d.max_s} s`}; ${d.false_suspicions} false suspicions, ${d.false_failures} live nodes declared failed`],
  ];
  if (s.raft) rows.push(['raft', `${s.raft.elections} elections, ${s.raft.leader_changes} leader changes, write availability ${s.raft.write_availability}, p95 commit ${fmt(s.raft.p95_commit_ms)} ms, longest without a leader ${s.raft.max_leaderless_s} s`]);
  rows.push(['run', `${s.simulated_s} s simulated, ${s.events} events`]);
  return table(['', ''], rows.map(([k, v]) => [esc(k), esc(v)]), 'kv');
}

function runInfo(runJson: string | undefined): string {
  if (!runJson) return '';
  const r = JSON.parse(runJson) as { command?: string; lorenz_version?: string; node_version?: string; started?: string; scenario?: { path?: string; sha256?: string } };
  return `<p class="sub">Made by <code>${fmt(r.command)}</code> (Lorenz ${fmt(r.lorenz_version)}, Node ${fmt(r.node_version)}, started ${fmt(r.started)}; scenario digest <code>${fmt(r.scenario?.sha256?.slice(0, 12))}</code>).</p>`;
}

/** A run's report.html: its story on one time axis, then its faults, expectations and invariants. */
export function runReportHtml(files: RunFiles, assets: ReportAssets): string {
  const summary = JSON.parse(files['summary.json'] ?? '{}') as Summary;
  const charts = runCharts(files);
  const faults = faultWindows(files['faults.csv']);
  const failed = summary.invariants.filter((i) => !i.held).length + summary.expectations.filter((e) => !e.held).length;
  const body = [
    `<h1>${esc(summary.scenario)}, seed ${esc(summary.seed)}: ${failed === 0 ? '<span class="held">every check held</span>' : `<span class="failed">${failed} check${failed === 1 ? '' : 's'} failed</span>`}</h1>`,
    runInfo(files['run.json']),
    headline(summary),
    '<h2>What happened</h2>',
    `<p class="note">Shaded: the fault windows of faults.csv (a thin bar: a fault of one instant). Drag across a chart to zoom; double-click to reset.</p>`,
    ...charts.map(figure),
    '<h2>Faults</h2>',
    faults.length === 0 ? '<p>No faults struck.</p>' : table(['fault', 'kind', 'targets', 'start (s)', 'end (s)'], faults.map((f) => [esc(f.id), esc(f.kind), esc(f.targets), `${f.start}`, f.end === null ? '—' : `${f.end}`])),
    '<h2>Expectations</h2>',
    summary.expectations.length === 0 ? '<p>The scenario states none.</p>' : table(['metric', 'expected', 'measured', 'verdict'], summary.expectations.map((e) => [`<code>${esc(e.metric)}</code>`, esc(e.expected), fmt(e.actual), verdict(e.held)])),
    '<h2>Invariants</h2>',
    table(['invariant', 'what it checks', 'violations', 'verdict'], summary.invariants.map((i) => [`<code>${esc(i.name)}</code>`, esc(i.description), `${i.violations}`, verdict(i.held)])),
  ].join('\n');
  return reportPage(`${summary.scenario} seed ${summary.seed} — Lorenz`, body, charts, faults, assets);
}

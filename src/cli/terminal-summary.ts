import { SYSTEMS } from '../modules/registry.js';
import { faultWindows } from '../report/index.js';
import type { RunResult } from '../run/index.js';

/** Faults named one by one on the terminal; past this many, the rest are counted. */
const FAULTS_SHOWN = 3;

const secs = (t: number): string => `${Number(t.toFixed(3))}s`;

/** What struck, in one line: each fault's kind, targets and window, the first few by start time. */
function faultLine(faultsCsv: string | undefined): string {
  const faults = faultWindows(faultsCsv);
  if (faults.length === 0) return 'faults: none';
  const shown = faults.slice(0, FAULTS_SHOWN).map((f) => `${f.kind} ${f.targets} at ${secs(f.start)}${f.end === null ? '' : `-${secs(f.end)}`}`);
  const more = faults.length > FAULTS_SHOWN ? `, and ${faults.length - FAULTS_SHOWN} more (faults.csv)` : '';
  return `faults: ${faults.length === 1 ? '' : `${faults.length} struck: `}${shown.join('; ')}${more}`;
}

/** Each family of invariants (one per system) held or not, naming the broken ones. */
function invariantLine(result: RunResult): string {
  const all = result.summary.invariants;
  const broken = all.filter((i) => !i.held);
  const families = result.invariantFamilies.map((f) => `${f.family} ${f.names.length}`).join(', ');
  if (broken.length === 0) return `invariants: all ${all.length} held (${families})`;
  return `invariants: ${broken.length} of ${all.length} BROKEN: ${broken.map((i) => i.name).join(', ')} (${families})`;
}

/**
 * The terminal's account of a run, one line per part of the story: the
 * data (acknowledged, lost, under-replicated), the pipeline's pace, what
 * struck, what the systems saw (detection, Raft, ...), the expectations,
 * the invariants by family, and which files are where.
 */
export function terminalSummary(result: RunResult, opts: { seed: number; wallS: number; dir: string; files: readonly string[] }): string[] {
  const s = result.summary;
  const p = s.pipeline;
  const lines: string[] = [];
  lines.push(`${result.name} seed=${opts.seed}: ${p.chunks_total === 0 ? 'no dataset' : `${p.chunks_acked}/${p.chunks_total} chunks acknowledged, ${p.chunks_failed} failed`}, ` +
    `${s.durability.lost_chunks} lost, ${s.durability.under_replicated_at_end} under-replicated at end`);
  const more: string[] = [];
  if (p.chunks_total > 0) {
    more.push(`completion ${p.completion_s ?? 'not reached'}${p.completion_s === null ? '' : 's'}, throughput ${p.throughput_mb_s} MB/s, ` +
      `bottleneck ${s.bottleneck.stage} (${Math.round(s.bottleneck.busy_fraction * 100)}% busy, ${s.bottleneck.severity})`);
  }
  more.push(faultLine(result.files['faults.csv']));
  for (const module of SYSTEMS) more.push(...(module.terminal?.(s) ?? []));
  for (const e of s.expectations) more.push(`expect ${e.metric} ${e.expected}: ${e.held ? 'held' : 'FAILED'} (measured ${e.actual})`);
  more.push(invariantLine(result));
  if (s.stopped) more.push(`stopped at ${s.stopped.at_s}s: ${s.stopped.condition} (stop_when)`);
  else if (s.stopped === null) more.push('stop_when: no condition held; the run reached its duration');
  more.push(`${s.simulated_s}s simulated in ${opts.wallS.toFixed(2)}s wall (${Math.round(s.simulated_s / Math.max(opts.wallS, 1e-9))} sim-s/s, ${s.events} events)`);
  more.push(`results: ${opts.dir}/ (${[...opts.files].sort().join(', ')})`);
  return [...lines, ...more.map((l) => `  ${l}`)];
}

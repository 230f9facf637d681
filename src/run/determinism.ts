import { createHash } from 'node:crypto';
import type { SimTime } from '../kernel/index.js';
import type { LoadedScenario } from '../scenario/index.js';
import { runScenario, type RunOptions, type RunResult } from './run-scenario.js';

/** One event of a run's trace. */
export interface TraceEvent {
  index: number;
  time: SimTime;
  kind: string;
  node: string;
  detail: string;
}

export interface DeterminismReport {
  matched: boolean;
  events: number;
  /** sha256 over the whole trace of the first run. */
  traceHash: string;
  /** The first event where the second run differs, with what each run did there. */
  divergence?: { index: number; first: TraceEvent | null; second: TraceEvent | null };
  /** Output files whose text differs, when the traces agree (or too). */
  differingFiles: string[];
}

type Runner = (trace: NonNullable<RunOptions['trace']>) => RunResult;

/**
 * Runs the same simulation twice in this process and compares the traces
 * event by event; returns the first event that differs. Generic over the
 * runner, so a test can hand it a deliberately nondeterministic one.
 */
export function findDivergence(run: Runner): DeterminismReport {
  const first: TraceEvent[] = [];
  const hash = createHash('sha256');
  const resultA = run((time, kind, node, detail) => {
    const ev = { index: first.length, time, kind, node, detail };
    first.push(ev);
    hash.update(`${time} ${kind} ${node} ${detail}\n`);
  });
  let index = 0;
  let divergence: DeterminismReport['divergence'];
  const resultB = run((time, kind, node, detail) => {
    const i = index++;
    if (divergence) return;
    const a = first[i];
    if (!a || a.time !== time || a.kind !== kind || a.node !== node || a.detail !== detail) {
      divergence = { index: i, first: a ?? null, second: { index: i, time, kind, node, detail } };
    }
  });
  if (!divergence && index !== first.length) divergence = { index, first: first[index] ?? null, second: null };
  const differingFiles = Object.keys(resultA.files).filter((f) => resultA.files[f] !== resultB.files[f]);
  return { matched: !divergence && differingFiles.length === 0, events: first.length, traceHash: hash.digest('hex'), divergence, differingFiles };
}

export function checkDeterminism(loaded: LoadedScenario, seed: number): DeterminismReport {
  return findDivergence((trace) => runScenario(loaded, { seed, trace }));
}

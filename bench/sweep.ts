/**
 * Sweep throughput: `npm run sweep` on N seeds against what a shell loop of
 * `npm run sim` would take, estimated from a few invocations (one process
 * per seed pays Node, tsx and the scenario load every time; a sweep pays
 * them once per worker). Both are measured end to end, as a user would.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SweepBenchOptions {
  scenario: string;
  set: string[];
  seeds: number;
  workers: number;
  /** `npm run sim` invocations to time for the shell-loop estimate. */
  simSamples: number;
  simulatedS: number;
}

export interface SweepBenchResult {
  sweepWallS: number;
  simWallS: number[];
}

function timed(command: string, args: string[]): number {
  const started = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8' });
  // Exit 1 only says some seed broke an expectation; the timing stands.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

export function benchSweep(o: SweepBenchOptions): SweepBenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'lorenz-bench-sweep-'));
  try {
    const sets = o.set.flatMap((s) => ['--set', s]);
    const sweepWallS = timed('npm', ['run', '--silent', 'sweep', '--', o.scenario, '--seeds', `1..${o.seeds}`, ...sets, '--workers', String(o.workers), '--out', join(dir, 'sweep'), '--quiet']);
    const simWallS = Array.from({ length: o.simSamples }, (_, i) => timed('npm', ['run', '--silent', 'sim', '--', o.scenario, '--seed', String(i + 1), ...sets, '--out', join(dir, `sim-${i}`), '--quiet']));
    return { sweepWallS, simWallS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

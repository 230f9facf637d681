/**
 * Memory flat in simulated time: one load (bench/fixed-load.yml) run for 1,
 * 6 and 24 simulated hours, each as a whole `npm run sim` process, as a user
 * runs it; prints each one's peak RSS and CPU time, and the ratio of the
 * day's peak to the hour's (target: 1.5x at most). The child reports its own
 * resource usage as it exits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FlatPoint {
  hours: number;
  peakRssMiB: number;
  cpuS: number;
  wallS: number;
}

/** Loaded before the CLI: prints the process's peak RSS (KiB) and CPU time (µs) on exit. */
const USAGE_PROBE = "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('lorenz-bench-usage '+u.maxRSS+' '+(u.userCPUTime+u.systemCPUTime)+'\\n')})";

export function benchFlatPoint(hours: number, seed = 42): FlatPoint {
  const dir = mkdtempSync(join(tmpdir(), 'lorenz-bench-flat-'));
  try {
    const started = performance.now();
    const args = ['--import', USAGE_PROBE, 'bin/lorenz.mjs', 'sim', 'bench/fixed-load.yml', '--seed', String(seed), '--set', `duration=${hours}h`, '--set', `nemesis.stop=${hours * 60 - 5}m`, '--quiet', '--out', join(dir, 'run')];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    const wallS = (performance.now() - started) / 1000;
    const usage = /lorenz-bench-usage (\d+) (\d+)/.exec(r.stderr);
    // Exit 1 only says an expectation failed; the measurement stands.
    if ((r.status !== 0 && r.status !== 1) || !usage) throw new Error(`npm run sim -- bench/fixed-load.yml (${hours} h) exited ${r.status}: ${r.stderr}`);
    return { hours, peakRssMiB: Number(usage[1]) / 1024, cpuS: Number(usage[2]) / 1e6, wallS };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

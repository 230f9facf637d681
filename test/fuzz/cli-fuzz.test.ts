/**
 * The command line under hostile flag sets (issue "Hardening"): fast-check
 * draws a scenario argument and a handful of flags from a vocabulary of
 * good, bad and dangerous values (special files, unwritable paths,
 * prototype keys, missing values, unknown flags, absurd bounds), runs
 * `npm run sim` as a user would, and holds the exit-code contract:
 *
 * - it ends (a case over CASE_TIMEOUT_MS is a hang and fails the test);
 * - the exit code is 0, 1 or 2 (3 would be an internal error: a bug);
 * - no stack trace on stderr, ever;
 * - exit 2 prints `error: ` and one paragraph (after any warnings), and
 *   writes no results folder.
 *
 * LORENZ_CLI_FUZZ_RUNS=2000 for a long hunt (the default keeps npm test quick:
 * every case is a process); LORENZ_FUZZ_SEED replays a failure.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/cli.js';

const RUNS = Number(process.env.LORENZ_CLI_FUZZ_RUNS ?? 24);
const SEED = process.env.LORENZ_FUZZ_SEED === undefined ? 20261203 : Number(process.env.LORENZ_FUZZ_SEED);
const CASE_TIMEOUT_MS = 45_000;
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/esm/index.mjs')).href;

interface Outcome { code: number | null; signal: string | null; stderr: string; ms: number }

function sim(args: string[], cwd: string): Promise<Outcome> {
  return new Promise((done) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', TSX, resolve('src/cli/sim.ts'), ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), CASE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stderr, ms: Date.now() - started });
    });
  });
}

/** A case's arguments, some of which name places in its own temp folder (`{dir}`). */
const scenarioArg = fc.constantFrom(resolve('scenarios/baseline.yml'), resolve('scenarios/raft-leader-crash.yml'), resolve('scenarios/routed-brownout.yml'), resolve('scenarios/multi-batch.yml'), 'no-such.yml', resolve('scenarios'), '/dev/null', '/dev/zero', '{dir}/fifo', '{dir}/bad.yml', '');
const flag = fc.oneof(
  fc.constantFrom(['--seed', '7'], ['--seed', '-1'], ['--seed', '1e30'], ['--seed', 'abc'], ['--seed', '99999999999999999999'], ['--seed']),
  fc.constantFrom(['--out', '{dir}/out'], ['--out', '/proc/lorenz'], ['--out', '{dir}/file'], ['--out', ''], ['--out', '{dir}/readonly/out']),
  fc.constantFrom(['--set', 'duration=20s'], ['--set', '__proto__.x=1'], ['--set', 'constructor.prototype.x=1'], ['--set', 'nope.x=1'], ['--set', 'duration='], ['--set', '='], ['--set', 'pipeline.distribution.replication_factor=0'], ['--set', 'duration=300'], ['--set', 'topology.node_defaults.disk.write=0MB/s'], ['--set', 'faults=[{kind: node_crash, at: 1h, node: aws-east-1}]']),
  // Document 004's adaptive layer and document 000's failure model: good, extreme and bad values.
  fc.constantFrom(['--set', 'pipeline.balancer=dynamic'], ['--set', 'pipeline.balancer=fast'], ['--set', 'pipeline.routing=relay'], ['--set', 'pipeline.distribution.acknowledge=min_replicas'],
    ['--set', 'pipeline.distribution.placement.spread.domain=rack'], ['--set', 'pipeline.distribution.placement.spread.min_domains=0'], ['--set', 'pipeline.dataset.batches.count=100000'],
    ['--set', 'pipeline.dataset.batches={count: 3, every: 1h}'], ['--set', 'pipeline.distribution.backoff.multiplier=1e9'], ['--set', 'pipeline.distribution.backoff={multiplier: 100, max: 1h, jitter: 1}'],
    ['--set', 'faults=[{kind: transfer_failure, at: 0s, probability: 1}]'], ['--set', 'faults=[{kind: transfer_failure, at: 0s, probability: 0}]']),
  // Clusters that change (issue 15): membership changes, standby machines, Raft reconfiguration and log damage, checkpoints.
  fc.constantFrom(['--set', 'faults=[{kind: node_drain, at: 1s, node: aws-east-2}]'], ['--set', 'faults=[{kind: node_decommission, at: 1s, node: aws-east-1}]'],
    ['--set', 'faults=[{kind: node_join, at: 1s, region: aws-east}]'], ['--set', 'faults=[{kind: node_loss, at: 1s, node: aws-east-2, replace_after: 1s}]'],
    ['--set', 'topology.clouds.aws.regions.aws-east.standby=2'], ['--set', 'topology.clouds.aws.regions.aws-east.standby=1e9'],
    ['--set', 'faults=[{kind: raft_add_member, at: 1s, node: aws-east-2}]'], ['--set', 'faults=[{kind: disk_corruption, at: 1s, node: aws-east-1, device: log, fraction: 1}]'],
    ['--set', 'pipeline.checkpoint.every=20'], ['--set', 'pipeline.checkpoint={every: 0, max_delay: 1us}'], ['--set', 'rebalance.threshold=1e9']),
  // The read path and document 003's coordinator in full (issue 15): good, extreme and bad values.
  fc.constantFrom(['--set', 'reads={every: 100ms}'], ['--set', 'reads={every: 1us}'], ['--set', 'reads={every: 1s, read_size: 1TB}'], ['--set', 'reads={every: 1s, clients: [nowhere]}'],
    ['--set', 'reads={every: 1s, skew: -1}'], ['--set', 'reads={every: 1s, metadata: {shards: 0}}'], ['--set', 'reads={every: 1s, cache: 1B, start: 1h}'], ['--set', 'rebalance.hot_first=maybe'],
    ['--set', 'coordinator={agents: [{node: aws-east-1}], proposals: {every: 1s, approve: 2}}'], ['--set', 'coordinator={agents: [{node: aws-east-1}], vote_weights: health, task_timeout: 1us}'],
    ['--set', 'coordinator={agents: [{node: aws-east-1}, {node: aws-east-2}], tasks: {node: aws-west-1, every: 100ms, duration: 1s, failure_rate: 1}, task_timeout: 1s}']),
  // Failure processes and experiments at scale (issue 16): processes, drawn repairs, arrivals, stop conditions, placements, Lifeguard, Raft timer noise.
  fc.constantFrom(['--set', 'failures={nodes: {lifetime: {dist: exponential, mean: 1h}, permanent: 50%, replace_after: 1m}}'], ['--set', 'failures={disks: {lifetime: {dist: weibull, shape: 0, scale: 1h}}}'],
    ['--set', 'failures={racks: {every: {dist: exponential, mean: 10s}, downtime: 1s, lose: 100%}}'], ['--set', 'repair.process={start_after: 1s, duration: {dist: exponential, mean: 1m}}'],
    ['--set', 'repair.process.duration=1h'], ['--set', 'pipeline.dataset.arrivals={every: 1us}'], ['--set', 'pipeline.dataset.arrivals={every: {dist: exponential, mean: 100ms}}'],
    ['--set', 'pipeline.processing.service=exponential'], ['--set', 'stop_when={chunks_lost: {gte: 1}}'], ['--set', 'pipeline.distribution.placement.strategy=copyset'],
    ['--set', 'faults=[{kind: node_loss_random, at: 1s, count: 1000}]'], ['--set', 'faults=[{kind: node_loss_random, at: 1s, count: 2, replace_after: 1s}]'],
    ['--set', 'detector={kind: swim, swim: {lifeguard: {enabled: true}}}'], ['--set', 'detector.swim.lifeguard.max_health=0'], ['--set', 'raft.timer_noise=0.6'],
    ['--set', 'topology.clouds.aws.regions.aws-east.slots=0']),
  fc.constantFrom(['--max-events', '0'], ['--max-events', '50'], ['--max-events', 'x'], ['--max-wall', '0s'], ['--max-wall', '10ms'], ['--max-wall', 'forever']),
  fc.constantFrom(['--trace', '{dir}/t.json'], ['--trace', '/proc/lorenz/t.json'], ['--trace', '{dir}'], ['--trace', '']),
  fc.constantFrom(['--report'], ['--quiet'], ['--allow-late-faults'], ['--check-determinism'], ['--list-faults'], ['--bogus'], ['-x'], ['--seed=3'], ['--help']),
);
const cases = fc.record({ scenario: scenarioArg, flags: fc.array(flag, { maxLength: 4 }) });

function prepare(dir: string): void {
  writeFileSync(join(dir, 'bad.yml'), 'duration: [1\nfaults: {');
  writeFileSync(join(dir, 'file'), 'not a folder');
  mkdirSync(join(dir, 'readonly'), { mode: 0o555 });
  try {
    spawn('mkfifo', [join(dir, 'fifo')]);
  } catch {
    // Without mkfifo the name is simply missing: still a case.
  }
}

describe('npm run sim under hostile flags', () => {
  it(`keeps the exit-code contract (${RUNS} cases, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ scenario, flags }) => {
        const dir = tempDir('lorenz-cli-fuzz-');
        prepare(dir);
        // Short runs: every case starts from a 20-second run, which a drawn --set may change.
        const args = [scenario, '--set', 'duration=20s', ...flags.flat()].map((a) => a.replaceAll('{dir}', dir));
        if (!args.includes('--out')) args.push('--out', join(dir, 'default-out'));
        const outAt = args.lastIndexOf('--out');
        const out = args[outAt + 1];
        const r = await sim(args, dir);
        const what = `sim ${args.join(' ')} -> ${r.code ?? r.signal} in ${r.ms} ms\n${r.stderr}`;
        expect(r.signal, `hang or crash: ${what}`).toBeNull();
        expect([0, 1, 2], what).toContain(r.code);
        expect(r.stderr, `stack trace: ${what}`).not.toMatch(/\n\s+at .+[(:]\d+/);
        if (r.code === 2) {
          // Warnings (located, one line each) may come first; then the error.
          expect(r.stderr.replace(/^(warning: .*\n)+/, ''), what).toMatch(/^error: \S/);
          if (out && out.startsWith(dir) && out !== dir) expect(existsSync(join(out, 'summary.json')), `half a result: ${what}`).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  }, 20 * 60_000);

  // Crash classes the hunt found, kept as cases of their own.
  it('regression (LORENZ_FUZZ_SEED=7): an empty --out is refused before the run, exit 2, for sim and sweep', async () => {
    const dir = tempDir('lorenz-cli-fuzz-');
    const r = await sim([resolve('scenarios/baseline.yml'), '--set', 'duration=20s', '--out', '', '--trace', join(dir, 't.json')], dir);
    expect([r.code, r.stderr]).toEqual([2, 'error: --out: an empty path; give the folder for the results, such as results/my-run.\n']);
    const sweep = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['--import', TSX, resolve('src/cli/sweep.ts'), resolve('scenarios/baseline.yml'), '--seeds', '1..2', '--out', ''], { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(/^error: --out: an empty path; give the folder for the sweep/);
  }, 60_000);

  it('regression (150 cases, seed 20261203, case 129): a --trace or --out folder under /proc is exit 2, not a hang (Node 20\'s recursive mkdir loops there)', async () => {
    const dir = tempDir('lorenz-cli-fuzz-');
    const trace = await sim([resolve('scenarios/baseline.yml'), '--set', 'duration=20s', '--trace', '/proc/lorenz/t.json', '--out', join(dir, 'out')], dir);
    expect([trace.code, trace.stderr]).toEqual([2, "error: --trace /proc/lorenz/t.json: cannot write into /proc/lorenz (ENOENT: no such file or directory, mkdir '/proc/lorenz'); give a writable file path such as results/trace.json.\n"]);
    const out = await sim([resolve('scenarios/baseline.yml'), '--set', 'duration=20s', '--out', '/proc/lorenz/out'], dir);
    expect([out.code, out.stderr]).toEqual([2, "error: --out /proc/lorenz/out: cannot write results there (ENOENT: no such file or directory, mkdir '/proc/lorenz'); choose a writable folder.\n"]);
    const sweep = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['--import', TSX, resolve('src/cli/sweep.ts'), resolve('scenarios/baseline.yml'), '--seeds', '1..2', '--out', '/proc/lorenz/sweep'], { cwd: dir });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => done({ code, stderr }));
    });
    expect([sweep.code, sweep.stderr]).toEqual([2, "error: --out /proc/lorenz/sweep: cannot write the sweep there (ENOENT: no such file or directory, mkdir '/proc/lorenz'); choose a writable folder.\n"]);
  }, 60_000);
});

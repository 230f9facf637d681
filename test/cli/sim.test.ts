import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';

const digest = (dir: string, file: string) => createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');

describe('npm run sim (end to end)', () => {
  it('writes the CSVs and summary, replays byte for byte, and differs for another seed', () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    const runA = runCli('sim.ts', ['scenarios/partition.yml', '--seed', '42', '--out', a]);
    expect(runA.stderr).toBe('');
    expect(runA.code).toBe(0);
    expect(runA.stdout).toContain('partition seed=42');
    expect(runCli('sim.ts', ['scenarios/partition.yml', '--seed', '42', '--out', b]).code).toBe(0);
    expect(runCli('sim.ts', ['scenarios/partition.yml', '--seed', '43', '--out', c]).code).toBe(0);
    for (const f of ['throughput.csv', 'durability.csv', 'faults.csv', 'summary.json']) {
      expect(existsSync(join(a, f)), f).toBe(true);
      expect(digest(a, f), f).toBe(digest(b, f));
    }
    expect(digest(a, 'throughput.csv')).not.toBe(digest(c, 'throughput.csv'));
    expect(digest(a, 'durability.csv')).not.toBe(digest(c, 'durability.csv'));
    const summary = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    expect(summary.seed).toBe(42);
    expect(summary.pipeline.chunks_acked).toBe(200);
    expect(summary.pipeline.chunks_failed).toBe(0);
    expect(readFileSync(join(a, 'faults.csv'), 'utf8')).toBe('time_s,fault,kind,phase,targets\n20,0,partition,start,aws | gcp+azure\n80,0,partition,end,aws | gcp+azure\n');
  });

  it('defaults the output folder to results/<scenario>/seed-<N>/ under the current folder', () => {
    // Run from a temp folder: a test writes nothing outside temp folders.
    const cwd = tempDir();
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(resolve('node_modules/tsx/dist/esm/index.mjs')).href, resolve('src/cli/sim.ts'), resolve('scenarios/baseline.yml'), '--seed', '7', '--quiet'], { cwd, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(existsSync(join(cwd, 'results', 'baseline', 'seed-7', 'throughput.csv'))).toBe(true);
  });
});

describe('--list-faults', () => {
  it('lists every fault kind in the catalog', async () => {
    const { FAULT_KINDS } = await import('../../src/chaos/index.js');
    const r = runCli('sim.ts', ['--list-faults']);
    expect(r.code).toBe(0);
    for (const kind of FAULT_KINDS) expect(r.stdout).toMatch(new RegExp(`^${kind}$`, 'm'));
  });
});

describe('bad input exits 2 with a clear message and no stack trace', () => {
  const bad = (yaml: string) => {
    const dir = tempDir();
    const file = join(dir, 'bad.yml');
    writeFileSync(file, yaml);
    return { file, result: runCli('sim.ts', [file, '--out', join(dir, 'out')]) };
  };
  const expectClean = (r: { code: number; stderr: string }) => {
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it('missing file', () => {
    const r = runCli('sim.ts', ['scenarios/no-such.yml']);
    expectClean(r);
    expect(r.stderr).toContain('scenarios/no-such.yml: cannot read the scenario file (no such file)');
  });

  it('YAML syntax error names line and column', () => {
    const { file, result } = bad('duration: 5m\nfaults:\n  - kind: partition\n    groups: [[aws]\n');
    expectClean(result);
    expect(result.stderr).toMatch(new RegExp(`${file}:\\d+:\\d+: this is not valid YAML`));
  });

  it('unknown field names the field and its line', () => {
    const { file, result } = bad('duration: 5m\npipeline:\n  replication: 3\n');
    expectClean(result);
    expect(result.stderr).toContain(`${file}:3:16: pipeline.replication: unknown field "replication"`);
  });

  it('unknown fault kind lists the valid kinds', async () => {
    const { file, result } = bad('faults:\n  - kind: node_explode\n    at: 10s\n');
    expectClean(result);
    const { FAULT_KINDS } = await import('../../src/chaos/index.js');
    expect(result.stderr).toContain(`${file}:2:11: faults[0].kind: unknown fault kind; expected one of ${FAULT_KINDS.join(', ')}`);
  });

  it('negative duration', () => {
    const { file, result } = bad('faults:\n  - kind: partition\n    at: 10s\n    duration: -5s\n    groups: [[aws]]\n');
    expectClean(result);
    expect(result.stderr).toContain(`${file}:4:15: faults[0].duration: a duration cannot be negative, got "-5s"`);
  });

  it('a name that is not in the topology', () => {
    const { file, result } = bad('faults:\n  - kind: node_crash\n    at: 10s\n    node: aws-east-9\n');
    expectClean(result);
    expect(result.stderr).toContain(`${file}:4:11: faults[0].node: no node called "aws-east-9" (node_crash takes one node)`);
  });

  it('bad seed and missing scenario argument are usage errors', () => {
    expectClean(runCli('sim.ts', ['scenarios/baseline.yml', '--seed', 'x']));
    expectClean(runCli('sim.ts', []));
    expectClean(runCli('sim.ts', ['scenarios/baseline.yml', '--bogus']));
  });
});

describe('output to a closed pipe', () => {
  it('exits quietly when the reader has gone (| true closes the pipe before the first write)', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync('bash', ['-c', `${process.execPath} --import tsx src/cli/sim.ts scenarios/baseline.yml --seed 3 --out ${tempDir()} | true; echo "status \${PIPESTATUS[0]}"`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/EPIPE|\n\s+at /);
    expect(r.stdout.trim()).toBe('status 0');
  });
});

describe('the reproduce line', () => {
  it('quotes --set values a shell would split, so the printed command can be pasted back', async () => {
    const { shellQuote } = await import('../../src/cli/sim.js');
    expect(shellQuote('duration=30s')).toBe('duration=30s');
    expect(shellQuote("faults=[{kind: x, node: 'a'}]")).toBe(`'faults=[{kind: x, node: '\\''a'\\''}]'`);
    const out = tempDir();
    const r = runCli('sim.ts', ['scenarios/baseline.yml', '--seed', '7', '--out', out, '--set', 'expect={completion_s: {lt: 1}}']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("reproduce: npm run sim -- scenarios/baseline.yml --seed 7 --set 'expect={completion_s: {lt: 1}}'");
  });
});

describe('terminal summary of the systems under test', () => {
  it('prints the Raft group\'s elections, leader losses with their recovery time, and the coordinator\'s tasks', () => {
    const raft = runCli('sim.ts', ['scenarios/raft-partition.yml', '--seed', '42', '--out', tempDir()]);
    expect(raft.code).toBe(0);
    expect(raft.stdout).toContain('  raft: 3 elections, 6059/6061 writes acknowledged, p95 commit 29.093 ms, write availability 0.996301; aws-central-1 lost at 30s, new leader after 0.166057s; aws-east-1 lost at 50.020527s, new leader after 0.277143s\n');
    const coord = runCli('sim.ts', ['scenarios/coordinator-failover.yml', '--seed', '42', '--out', tempDir()]);
    expect(coord.stdout).toMatch(/ {2}coordinator: 2 elections, \d+\/\d+ tasks completed, 0 failed, 0 lost, 0 run twice; lowest agent health \d+\n/);
  });
});

describe('--trace and --report', () => {
  it('writes the timeline trace and the report beside a normal run, and says where', () => {
    const dir = tempDir();
    const trace = join(dir, 'traces', 'run.json');
    const r = runCli('sim.ts', ['scenarios/node-loss.yml', '--seed', '42', '--out', join(dir, 'out'), '--report', '--trace', trace]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`  results: ${join(dir, 'out')}/ (detector.csv, durability.csv, faults.csv, report.html, run.json, summary.json, throughput.csv, utilisation.csv)\n  report: ${join(dir, 'out', 'report.html')}\n  trace: ${trace} (open it in ui.perfetto.dev)\n`);
    expect(JSON.parse(readFileSync(trace, 'utf8')).otherData.generator).toBe('Lorenz');
    expect(readFileSync(join(dir, 'out', 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  });

  it('refuses an unwritable trace path before the run, exit 2', () => {
    const dir = tempDir();
    const r = runCli('sim.ts', ['scenarios/node-loss.yml', '--out', join(dir, 'out'), '--trace', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --trace ${dir}: exists and is not a plain file; give a writable file path such as results/trace.json.\n`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

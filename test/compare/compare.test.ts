import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffCsv } from '../../src/compare/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('diffCsv', () => {
  const a = 'time_s,x,label\n10,100,a\n20,200,b\n';
  it('identical texts', () => expect(diffCsv('f.csv', a, a, 0).status).toBe('identical'));
  it('names the first differing row and the largest differences per column', () => {
    const d = diffCsv('f.csv', a, 'time_s,x,label\n10,101,a\n20,180,b\n', 0);
    expect(d.status).toBe('different');
    expect(d.firstDifference).toEqual({ row: 1, a: '10,100,a', b: '10,101,a' });
    expect(d.columns).toEqual([{ column: 'x', maxAbs: 20, maxRel: 0.1 }]);
  });
  it('numbers within the relative tolerance are equal; text never is', () => {
    expect(diffCsv('f.csv', a, 'time_s,x,label\n10,101,a\n20,200,b\n', 0.02).status).toBe('within_tolerance');
    expect(diffCsv('f.csv', a, 'time_s,x,label\n10,100,z\n20,200,b\n', 0.5).status).toBe('different');
  });
  it('a missing row is a difference', () => {
    expect(diffCsv('f.csv', a, 'time_s,x,label\n10,100,a\n', 1).firstDifference?.row).toBe(2);
  });
});

describe('npm run compare', () => {
  const sim = (seed: number) => {
    const out = tempDir();
    expect(runCli('sim.ts', ['scenarios/node-loss.yml', '--seed', String(seed), '--out', out, '--quiet']).code).toBe(0);
    return out;
  };
  const [a1, a2, b] = [sim(42), sim(42), sim(43)];

  it('two runs of one scenario and seed compare equal (exit 0)', () => {
    const r = runCli('compare.ts', [a1, a2]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('durability.csv: identical');
    expect(r.stdout).toContain('runs are equal');
  });

  it('runs at two seeds compare different (exit 1) with a readable report', () => {
    const r = runCli('compare.ts', [a1, b]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/throughput\.csv: DIFFERENT/);
    expect(r.stdout).toMatch(/first differing row \d+:\n {4}A: .*\n {4}B: /);
    expect(r.stdout).toMatch(/completion_s\s+\S+\s+\S+\s+[+-]/);
    const json = JSON.parse(runCli('compare.ts', [a1, b, '--json']).stdout);
    expect(json.equal).toBe(false);
    expect(json.metrics.find((m: { metric: string }) => m.metric === 'lost_chunks')).toMatchObject({ a: 0, b: 0, change: 0 });
  });

  it('a generous tolerance makes near runs equal', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.csv'), 'a,b\n1,100\n');
    const other = tempDir();
    writeFileSync(join(other, 'x.csv'), 'a,b\n1,101\n');
    expect(runCli('compare.ts', [dir, other]).code).toBe(1);
    expect(runCli('compare.ts', [dir, other, '--tolerance', '0.05']).code).toBe(0);
  });

  it('bad input exits 2', () => {
    expect(runCli('compare.ts', [a1]).code).toBe(2);
    expect(runCli('compare.ts', [a1, '/no/such/dir']).code).toBe(2);
    expect(runCli('compare.ts', [a1, a2, '--tolerance', '-1']).code).toBe(2);
  });
});

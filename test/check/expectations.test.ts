import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holds } from '../../src/check/index.js';
import { loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { runCli, tempDir } from '../helpers/cli.js';

describe('expectations', () => {
  it('comparisons', () => {
    expect(holds(0, 0)).toBe(true);
    expect(holds(0, 1)).toBe(false);
    expect(holds({ lt: 100 }, 99.9)).toBe(true);
    expect(holds({ gte: 200, lt: 300 }, 300)).toBe(false);
    expect(holds(true, true)).toBe(true);
    expect(holds({ lt: 1 }, null)).toBe(false);
  });

  it('are judged after the run and reported with the measured value', () => {
    const r = runScenario(loadScenarioFromText('x.yml', 'duration: 2m\nexpect:\n  lost_chunks: 0\n  throughput_mb_s: { gte: 100000 }\n'), { seed: 1 });
    expect(r.summary.expectations.map((e) => [e.metric, e.held])).toEqual([['lost_chunks', true], ['throughput_mb_s', false]]);
    expect(r.ok).toBe(false);
    expect(r.failures).toEqual([expect.stringMatching(/^expectation throughput_mb_s >= 100000 did not hold: measured \d+/)]);
  });

  it('a failing expectation makes the CLI exit 1 naming it and the reproduce command', () => {
    const dir = tempDir();
    const file = join(dir, 'strict.yml');
    writeFileSync(file, 'duration: 2m\nexpect:\n  completion_s: { lt: 1 }\n');
    const r = runCli('sim.ts', [file, '--seed', '5', '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FAIL expectation completion_s < 1 did not hold');
    expect(r.stderr).toContain(`reproduce: npm run sim -- ${file} --seed 5`);
  });

  it('an unknown metric is an input error listing the valid names', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'duration: 2m\nexpect:\n  p99_latency: { lt: 5 }\n');
    const r = runCli('sim.ts', [file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:16: expect.p99_latency: unknown metric; valid metrics are lost_chunks, lost_bytes,`);
  });
});

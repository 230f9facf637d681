import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { DURABILITY_COLUMNS } from '../../src/metrics/durability.js';
import { loadScenario, metricsOf, runScenario } from '../../src/run/index.js';
import { ScenarioError, STOP_GAUGES } from '../../src/scenario/index.js';

const FILE = 'experiments/k-random-loss.yml';
const stopOnLoss = ['stop_when.chunks_lost.gte=1', 'metrics.bucket=10s'];

describe('stop_when', () => {
  it('reads exactly the columns of durability.csv', () => {
    expect([...STOP_GAUGES]).toEqual(DURABILITY_COLUMNS.slice(1));
  });

  it('ends the run at the first bucket end where a condition holds: outputs, simulated_s, stopped and stopped_s say so', () => {
    // Seed 3 loses a chunk when 4 nodes are lost at 300 s (docs/validation.md).
    const r = runScenario(loadScenario(FILE, { set: stopOnLoss }), { seed: 3 });
    const s = r.summary;
    expect(s.stopped).toEqual({ at_s: 300, condition: 'chunks_lost >= 1' });
    expect(s.simulated_s).toBe(300);
    expect(metricsOf(s).get('stopped_s')).toBe(300);
    const rows = r.files['durability.csv']!.trim().split('\n');
    expect(rows.at(-1)!.split(',')[0]).toBe('300');
    expect(Number(rows.at(-1)!.split(',')[DURABILITY_COLUMNS.indexOf('chunks_lost')])).toBeGreaterThanOrEqual(1);
    expect(rows.slice(1, -1).every((row) => row.split(',')[DURABILITY_COLUMNS.indexOf('chunks_lost')] === '0')).toBe(true);
    // The same run without the condition goes on to its duration with the same history up to the stop.
    const full = runScenario(loadScenario(FILE, { set: ['metrics.bucket=10s'] }), { seed: 3 });
    expect(full.summary.simulated_s).toBe(360);
    expect(full.files['durability.csv']!.startsWith(rows.join('\n'))).toBe(true);
  });

  it('when no condition holds, the run reaches its duration and stopped is null; without stop_when there is no stopped field', () => {
    const held = runScenario(loadScenario(FILE, { set: stopOnLoss }), { seed: 1 });
    expect(held.summary.stopped).toBeNull();
    expect(held.summary.simulated_s).toBe(360);
    expect(metricsOf(held.summary).get('stopped_s')).toBeNull();
    const plain = runScenario(loadScenario(FILE), { seed: 1 });
    expect('stopped' in plain.summary).toBe(false);
    expect(plain.files['summary.json']).not.toContain('"stopped"');
  });

  it('refuses a key that is not a gauge, listing the gauges', () => {
    expect(() => loadScenario(FILE, { set: ['stop_when.lost_chunks.gte=1'] })).toThrow(ScenarioError);
    expect(() => loadScenario(FILE, { set: ['stop_when.lost_chunks.gte=1'] })).toThrow(/stop_when.*chunks_lost/);
  });

  it('npm run sim ends at the stop (not at the duration) and says why', () => {
    const dir = tempDir();
    const r = runCli('sim.ts', [FILE, '--seed', '3', '--out', dir, ...stopOnLoss.flatMap((a) => ['--set', a])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stopped at 300s: chunks_lost >= 1 (stop_when)');
    expect(r.stdout).toContain('300s simulated');
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).stopped).toEqual({ at_s: 300, condition: 'chunks_lost >= 1' });
  });
});

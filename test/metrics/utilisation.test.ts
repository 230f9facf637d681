import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/run/index.js';
import { scenarioFrom } from '../helpers/scenario.js';

function run(yaml: string, seed = 1) {
  return runScenario(scenarioFrom(yaml), { seed });
}

/** utilisation.csv as rows of [time_s, bucket_start_s, resource, scope, busy_fraction]. */
function rows(csv: string): string[][] {
  return csv.trim().split('\n').slice(1).map((l) => l.split(','));
}

describe('utilisation.csv and summary.utilisation', () => {
  it('slots: with every node up, the summary equals the processing stage busy fraction, and CSV rows stay within [0, 1]', () => {
    const r = run('duration: 2m\npipeline:\n  dataset: { size: 3GB, file_size: 1GB }\n');
    expect(r.summary.utilisation.slots).toBe(r.summary.stages.processing.busy_fraction);
    expect(r.summary.utilisation.disks).toBe(r.summary.stages.storage.busy_fraction);
    const all = rows(r.files['utilisation.csv']!);
    // 12 buckets x (slots and disks: cluster + 3 clouds + 11 nodes, each; links: 6 cloud pairs).
    expect(all).toHaveLength(12 * (2 * 15 + 6));
    for (const row of all) expect(Number(row[4])).toBeGreaterThanOrEqual(0);
    for (const row of all) expect(Number(row[4])).toBeLessThanOrEqual(1);
    expect(all.some((row) => row[2] === 'link' && Number(row[4]) > 0)).toBe(true);
  });

  it("counts a crashed node's slots as gone, not idle", () => {
    const r = run(`
duration: 5m
pipeline:
  dataset: { size: 10GB, file_size: 1GB }
  processing: { rate_per_slot: 5MB/s, timeout: 5m }
faults:
  - { kind: node_crash, at: 20s, node: gcp-central-2 }
`);
    expect(r.summary.utilisation.slots).toBeGreaterThan(r.summary.stages.processing.busy_fraction);
    const node = rows(r.files['utilisation.csv']!).filter((row) => row[2] === 'slots' && row[3] === 'gcp-central-2');
    // Down from 20 s: its later buckets have no capacity, so 0, never a division by zero.
    expect(node.slice(3).every((row) => row[4] === '0.000')).toBe(true);
  });

  it('links: a cut between AWS and the other clouds empties their links for as long as it lasts', () => {
    const r = run(`
duration: 3m
pipeline:
  dataset: { size: 20GB, file_size: 1GB }
faults:
  - { kind: partition, at: 20s, duration: 40s, groups: [[aws], [gcp, azure]] }
`);
    const awsGcp = rows(r.files['utilisation.csv']!).filter((row) => row[2] === 'link' && row[3] === 'aws-gcp');
    // Buckets ending at 40 and 50 s lie inside the cut; the one ending at 20 s before it.
    expect(Number(awsGcp[1]![4])).toBeGreaterThan(0);
    expect(awsGcp[3]![4]).toBe('0.000');
    expect(awsGcp[4]![4]).toBe('0.000');
  });

  it("full-utilisation.yml meets document 004's 90 % and detects its crash in under 5 s", () => {
    const r = runScenario(scenarioFrom(readFileSync('scenarios/full-utilisation.yml', 'utf8'), 'full-utilisation.yml'), { seed: 42 });
    expect(r.summary.utilisation.slots).toBeGreaterThanOrEqual(0.9);
    expect(r.summary.detection.p95_s).toBeLessThan(5);
    expect(r.ok).toBe(true);
  });
});

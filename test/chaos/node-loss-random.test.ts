import { describe, expect, it } from 'vitest';
import { loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { ScenarioError } from '../../src/scenario/index.js';

const SCENARIO = `
duration: 30m
topology:
  clouds:
    aws:
      regions:
        aws-east: { nodes: 12 }
        aws-west: { nodes: 12 }
pipeline:
  dataset: { size: 20GB, file_size: 1GB }
faults:
  - { kind: node_loss_random, at: 10m, count: 3 }
  - { kind: node_loss_random, at: 15m, count: 2, among: aws-west, replace_after: 5m }
`;

const run = (seed: number, set: string[] = []) => runScenario(loadScenarioFromText('nlr.yml', SCENARIO, { set }), { seed });
const drawn = (csv: string, fault: number) => csv.split('\n').find((r) => r.includes(`,${fault},node_loss_random,start,`))!.split(',')[4]!.split(' ')[0]!.split('+');

describe('node_loss_random', () => {
  it('loses `count` distinct nodes of the pool, named in faults.csv; replaced in place at the end', () => {
    const r = run(42);
    const csv = r.files['faults.csv']!;
    const first = drawn(csv, 0);
    const second = drawn(csv, 1);
    expect(new Set(first).size).toBe(3);
    expect(new Set(second).size).toBe(2);
    expect(second.every((n) => n.startsWith('aws-west-'))).toBe(true);
    expect(csv).toMatch(/^1200,1,node_loss_random,end,/m);
    // durability.csv's last column is nodes_up: the first three stay down, the two replaced are up again at the end.
    expect(r.files['durability.csv']!.trim().split('\n')[0]!.split(',').at(-1)).toBe('nodes_up');
    expect(r.files['durability.csv']!.trim().split('\n').at(-1)!.split(',').at(-1)).toBe('21');
  });

  it('never draws a spare node', () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const csv = run(seed, ['faults.0.count=20', 'faults.0.spare=["aws-east-1","aws-west-4"]']).files['faults.csv']!;
      const lost = drawn(csv, 0);
      expect(lost).toHaveLength(20);
      expect(lost.includes('aws-east-1') || lost.includes('aws-west-4')).toBe(false);
    }
  });

  it('draws from the faults stream: the same nodes for a seed, others for another seed, whatever a system setting', () => {
    const a = run(42).files['faults.csv']!;
    expect(run(42, ['pipeline.distribution.replication_factor=2']).files['faults.csv']).toBe(a);
    const others = [1, 2, 3, 4].map((seed) => drawn(run(seed).files['faults.csv']!, 0).join('+'));
    expect(new Set([...others, drawn(a, 0).join('+')]).size).toBeGreaterThan(1);
  });

  it('refuses more nodes than the pool starts with, naming the fault and the count', () => {
    const error = (set: string[]) => {
      try {
        loadScenarioFromText('nlr.yml', SCENARIO, { set });
      } catch (e) {
        return e instanceof ScenarioError ? e.message : String(e);
      }
      return '';
    };
    expect(error(['faults.0.count=25'])).toMatch(/faults\[0\]\.count: the cluster starts with 24 nodes in service; cannot lose 25 of them/);
    expect(error(['faults.1.count=13'])).toMatch(/faults\[1\]\.count: aws-west starts with 12 nodes in service; cannot lose 13 of them/);
    expect(error(['faults.1.among=nowhere'])).toMatch(/faults\[1\]\.among: no node, rack, region or cloud called "nowhere"/);
    // Spare nodes are not in the pool: 12 in aws-west less 2 spared leaves 10.
    expect(error(['faults.1.count=11', 'faults.1.spare=["aws-west-1","aws-west-2"]'])).toMatch(/faults\[1\]\.count: aws-west starts with 10 nodes in service; cannot lose 11 of them/);
  });
});

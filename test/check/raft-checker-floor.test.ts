import { describe, expect, it } from 'vitest';
import { RaftChecker } from '../../src/check/index.js';
import type { TelemetryEvent } from '../../src/systems/index.js';
import { tinyWorld } from '../world/helpers.js';

/**
 * Three members, a write a millisecond at indexes 1..n, each written,
 * persisted, committed and applied by all three; each member snapshots
 * every `every` entries and keeps `every` entries before its snapshot.
 */
function group(n: number, every: number, extra: (at: (t: number, e: TelemetryEvent) => void) => void = () => {}) {
  const w = tinyWorld();
  const checker = new RaftChecker(w.world.truth, [0, 1, 2], 10_000, { keptEntries: every });
  const at = (t: number, e: TelemetryEvent) => w.world.sim.at(t, (x: TelemetryEvent) => checker.observe(x), e);
  for (const m of [0, 1, 2]) at(0, { kind: 'raft_restored', node: m, base: 0, entries: [], baseConfig: [0, 1, 2] });
  at(0, { kind: 'raft_role', node: 0, term: 1, role: 'leader' });
  for (let i = 1; i <= n; i++) {
    const t = i * 1000;
    for (const m of [0, 1, 2]) {
      at(t, { kind: 'raft_log', node: m, index: i, term: 1, id: `w1-0-${i}`, prevTerm: i === 1 ? 0 : 1 });
      at(t, { kind: 'raft_persisted', node: m, index: i });
    }
    at(t, { kind: 'raft_commit', node: 0, index: i, term: 1 });
    for (const m of [0, 1, 2]) {
      at(t, { kind: 'raft_applied', node: m, index: i, term: 1, id: `w1-0-${i}` });
      if (i % every === 0) at(t, { kind: 'raft_snapshot', node: m, index: i, term: 1, installed: false, config: [0, 1, 2] });
    }
  }
  extra(at);
  w.world.sim.run(n * 1000 + 10_000);
  checker.finish(true);
  return { checker, floor: (checker as unknown as { floor: number }).floor, result: (name: string) => checker.results().find((r) => r.name === name)! };
}

describe('RaftChecker floor', () => {
  it('rises to the lowest start of the members\' logs, and drops the per-index columns below it', () => {
    const { checker, floor } = group(50_000, 10_000);
    // The last snapshots are at 50,000; each log keeps the 10,000 entries before.
    expect(floor).toBe(40_000);
    const pages = (c: unknown) => (c as { pages: Array<ArrayBufferView | undefined> }).pages.filter(Boolean).length;
    // 2^14 indexes a page: 40,000 sits in the third page, so two are freed.
    expect(pages((checker as unknown as { appliedId: unknown }).appliedId)).toBe(2);
    expect(checker.results().every((r) => r.held)).toBe(true);
  });

  it('never falls (what was dropped is gone), and stays at 0 without snapshots', () => {
    const { floor } = group(30_000, 10_000, (at) => at(30_000_001, { kind: 'raft_restored', node: 2, base: 0, entries: [], baseConfig: [0, 1, 2] }));
    // A member restarting with an empty log after the floor rose: it writes only what a leader's log holds, above the floor.
    expect(floor).toBe(20_000);
    const none = group(30_000, 0);
    expect(none.floor).toBe(0);
  });

  it('below the floor, an application is held to the committed entry there', () => {
    // Member 2 restarts from an older snapshot and re-applies index 100: the committed entry holds; a different one does not.
    const same = group(30_000, 10_000, (at) => at(30_000_001, { kind: 'raft_applied', node: 2, index: 100, term: 1, id: 'w1-0-100' }));
    expect(same.result('raft_state_machine_safety').held).toBe(true);
    const other = group(30_000, 10_000, (at) => at(30_000_001, { kind: 'raft_applied', node: 2, index: 100, term: 1, id: 'w1-0-7' }));
    expect(other.result('raft_state_machine_safety')).toMatchObject({ held: false, first: { detail: 'index 100: r2-0 applied w1-0-7, where w1-0-100 is committed' } });
  });
});

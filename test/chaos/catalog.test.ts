import { describe, expect, it } from 'vitest';
import { FAULT_CATALOG, faultKind, type FaultContext } from '../../src/chaos/index.js';
import { RosterPort } from '../../src/systems/membership/messages.js';
import { RaftPort } from '../../src/systems/raft/messages.js';
import { MB, tinyWorld, type TinyWorldOptions } from '../world/helpers.js';

/**
 * Every kind in the catalog, applied to a four-node world (0 = r1-0, 1 = r1-1,
 * 2 = r2-0, 3 = r2-1; cloud c; racks r1-rack, r2-rack), showing its effect and
 * that undoing it restores the world.
 */
function harness(opts: TinyWorldOptions = {}) {
  const w = tinyWorld(opts);
  const ctx: FaultContext = { world: w.world, rng: w.streams.get('faults'), members: (name) => w.world.resolveMembers(name) };
  /** Applies a fault (parsed by its own schema) at time `t`; returns its undo, once applied. */
  const apply = (t: number, spec: Record<string, unknown>) => {
    const entry = faultKind(spec.kind as string)!;
    const params = entry.schema.parse({ at: 0, ...spec });
    const handle: { undo?: () => void } = {};
    w.at(t, () => (handle.undo = entry.apply(ctx, params as never, entry.draw?.(ctx, params as never))));
    return handle;
  };
  const undoAt = (t: number, handle: { undo?: () => void }) => w.at(t, () => handle.undo!());
  /** Arrival times of messages sent from `from` to `to` at each of `times`, by body. */
  const probe = (times: number[], from = 0, to = 2) => {
    for (const t of times) w.sendAt(t, from, to, `m@${t}`);
    return () => new Map(w.deliveries.filter((d) => d.port === 'msg' && d.from === from && d.to === to).map((d) => [d.body as string, d.at]));
  };
  return { ...w, apply, undoAt, probe };
}

const CROSS = 10_000; // r1 <-> r2 one-way latency, µs

describe('the fault catalog', () => {
  it('has a test below for every kind', () => {
    const tested = ['node_crash', 'node_loss', 'node_loss_random', 'node_pause', 'clock_skew', 'partition', 'latency_spike', 'jitter', 'packet_loss', 'duplicate', 'reorder',
      'bandwidth_throttle', 'transfer_failure', 'link_flap', 'disk_fail', 'disk_full', 'disk_slow', 'disk_corruption', 'region_outage', 'cloud_outage', 'rack_failure', 'brownout',
      'node_join', 'node_drain', 'node_decommission', 'raft_add_member', 'raft_remove_member'];
    expect(FAULT_CATALOG.map((f) => f.kind).sort()).toEqual([...tested].sort());
  });
});

describe('node faults', () => {
  it('node_crash: down, then up after restart; with lose_unsynced_writes, writes since the last sync are gone', () => {
    const h = harness({ disk: { syncInterval: 1_000_000 } });
    h.at(100_000, () => h.rts[1]!.disk.write('synced', MB, 1, () => {}));
    h.at(1_200_000, () => h.rts[1]!.disk.write('unsynced', MB, 1, () => {}));
    const crash = h.apply(1_500_000, { kind: 'node_crash', node: 'r1-1', lose_unsynced_writes: true });
    h.at(1_600_000, () => expect(h.world.nodes[1]!.up).toBe(false));
    h.undoAt(2_000_000, crash);
    h.sim.run(3_000_000);
    expect(h.world.nodes[1]!.up).toBe(true);
    expect(h.world.holders('synced')).toEqual([1]);
    expect(h.world.holders('unsynced')).toEqual([]);
  });

  it('node_loss: down for good, disk gone', () => {
    const h = harness();
    h.at(0, () => h.rts[1]!.disk.write('k', MB, 1, () => {}));
    const f = h.apply(1_000_000, { kind: 'node_loss', node: 'r1-1' });
    h.sim.run(2_000_000);
    expect(f.undo).toBeUndefined();
    expect(h.world.nodes[1]!.up).toBe(false);
    expect(h.world.holders('k')).toEqual([]);
  });

  it('node_loss with replace_after: the region\'s next standby machine joins that long after, empty', () => {
    const h = harness({ standby: [1] });
    expect(h.world.nodes[1]!.up).toBe(false);
    const f = h.apply(1_000_000, { kind: 'node_loss', node: 'r1-0', replace_after: 5_000_000 });
    h.sim.run(2_000_000);
    expect(h.world.nodes[1]!.service).toBe('standby');
    h.undoAt(6_000_000, f);
    h.sim.run(7_000_000);
    expect(h.world.nodes[1]!).toMatchObject({ service: 'active', up: true });
    expect(h.boots.filter((b) => b.node === 1)).toEqual([{ node: 1, at: 6_000_000 }]);
    expect(h.world.nodes[0]!.up).toBe(false);
  });

  it('node_loss replaced in place: the same machine comes back that long after, with a new empty disk', () => {
    const h = harness();
    h.at(0, () => h.rts[1]!.disk.write('k', MB, 1, () => {}));
    const f = h.apply(1_000_000, { kind: 'node_loss', node: 'r1-1', replace_after: '5s', replace_with: 'in_place' });
    h.sim.run(2_000_000);
    expect(h.world.nodes[1]!.up).toBe(false);
    h.undoAt(6_000_000, f);
    h.sim.run(7_000_000);
    expect(h.world.nodes[1]!).toMatchObject({ service: 'active', up: true });
    expect(h.boots.filter((b) => b.node === 1).map((b) => b.at)).toEqual([0, 6_000_000]);
    expect(h.world.holders('k')).toEqual([]);
    expect(h.rts[1]!.disk.list('')).toEqual([]);
  });

  it('node_loss_random: count distinct nodes of the pool, drawn from the faults stream, lost; replaced in place at the undo', () => {
    const h = harness();
    for (const n of [0, 1, 2, 3]) h.at(0, () => h.rts[n]!.disk.write(`k${n}`, MB, 1, () => {}));
    const f = h.apply(1_000_000, { kind: 'node_loss_random', count: 2, among: 'c', replace_after: '5s' });
    h.sim.run(2_000_000);
    const down = h.world.nodes.filter((n) => !n.up).map((n) => n.index);
    expect(down).toHaveLength(2);
    for (const n of down) expect(h.world.holders(`k${n}`)).toEqual([]);
    h.undoAt(6_000_000, f);
    h.sim.run(7_000_000);
    expect(h.world.nodes.every((n) => n.up)).toBe(true);
    const again = harness();
    again.apply(1_000_000, { kind: 'node_loss_random', count: 2, among: 'c' });
    again.sim.run(2_000_000);
    expect(again.world.nodes.filter((n) => !n.up).map((n) => n.index)).toEqual(down);
  });

  it("node_pause: the node's timers fire late and arrivals wait; on resume all runs, in order", () => {
    const h = harness();
    const fired: number[] = [];
    h.at(0, () => h.rts[2]!.setTimer(1_500_000, () => fired.push(h.sim.now)));
    const arrivals = h.probe([1_200_000]);
    const pause = h.apply(1_000_000, { kind: 'node_pause', node: 'r2-0', duration: '1s' });
    h.undoAt(2_000_000, pause);
    h.sim.run(3_000_000);
    expect(fired).toEqual([2_000_000]);
    expect(arrivals().get('m@1200000')).toBe(2_000_000);
  });

  it('node_pause: overlapping pauses stack; the node resumes when the last ends', () => {
    const h = harness();
    const a = h.apply(1_000_000, { kind: 'node_pause', node: 'r2-0', duration: '2s' });
    const b = h.apply(2_000_000, { kind: 'node_pause', node: 'r2-0', duration: '2s' });
    h.undoAt(3_000_000, a);
    h.at(3_500_000, () => expect(h.world.nodes[2]!.paused).toBe(true));
    h.undoAt(4_000_000, b);
    h.sim.run(5_000_000);
    expect(h.world.nodes[2]!.paused).toBe(false);
  });

  it('clock_skew: the local clock jumps and drifts, timers run on it; undo restores the true clock', () => {
    const h = harness();
    const seen: number[] = [];
    const skew = h.apply(1_000_000, { kind: 'clock_skew', node: 'r1-0', offset: '-500ms', drift_ppm: 100_000 });
    h.at(2_000_000, () => seen.push(h.rts[0]!.now()));
    // A 1.1 s timer on a clock running 10 % fast takes 1 s of simulated time.
    h.at(2_000_000, () => h.rts[0]!.setTimer(1_100_000, () => seen.push(h.sim.now)));
    h.undoAt(4_000_000, skew);
    h.at(4_000_000, () => seen.push(h.rts[0]!.now()));
    // The monotonic clock never jumps: no -500 ms, and the 300 ms it gained drifting stays after the undo.
    const mono: number[] = [];
    for (const t of [1_000_000, 2_000_000, 4_000_000, 4_500_000]) h.at(t, () => mono.push(h.rts[0]!.monotonic()));
    h.sim.run(5_000_000);
    expect(seen).toEqual([2_000_000 - 500_000 + 100_000, 3_000_000, 4_000_000]);
    expect(mono).toEqual([1_000_000, 2_100_000, 4_300_000, 4_800_000]);
  });

  it('brownout of a node: its timers stretch and its disk slows by the factor; undo restores both', () => {
    const h = harness();
    const fired: number[] = [];
    const slow = h.apply(0, { kind: 'brownout', node: 'r1-0', factor: 4 });
    h.at(0, () => h.rts[0]!.setTimer(1_000_000, () => fired.push(h.sim.now)));
    h.at(0, () => h.rts[0]!.disk.write('k', 10 * MB, 1, () => fired.push(h.sim.now)));
    h.undoAt(5_000_000, slow);
    h.at(5_000_000, () => h.rts[0]!.setTimer(1_000_000, () => fired.push(h.sim.now)));
    h.sim.run(7_000_000);
    // Timer 4 x 1 s; write 4 x (1 ms + 100 ms); after undo, 1 s again.
    expect(fired).toEqual([404_000, 4_000_000, 6_000_000]);
  });
});

describe('membership changes', () => {
  it('node_join: a standby machine is off and unreachable until it joins, then boots; by node or by region', () => {
    const h = harness({ standby: [1, 3] });
    expect(h.boots.map((b) => b.node)).toEqual([0, 2]);
    const got = h.probe([500_000], 0, 1);
    h.apply(1_000_000, { kind: 'node_join', node: 'r1-1' });
    h.apply(2_000_000, { kind: 'node_join', region: 'r2' });
    h.sim.run(3_000_000);
    expect(got().size).toBe(0);
    expect(h.boots.slice(2)).toEqual([{ node: 1, at: 1_000_000 }, { node: 3, at: 2_000_000 }]);
    expect(h.world.nodes.map((n) => n.service)).toEqual(['active', 'active', 'active', 'active']);
    // A crash of a joined node and its restart work as for any node.
    const c = h.apply(3_000_000, { kind: 'node_crash', node: 'r1-1', restart_after: 1_000_000 });
    h.undoAt(4_000_000, c);
    h.sim.run(5_000_000);
    expect(h.world.nodes[1]!.up).toBe(true);
  });

  it('node_drain and node_decommission are commands to the node\'s software; leaving retires and wipes the machine for good', () => {
    const commands: Array<[number, string, number]> = [];
    const h = harness({
      onBoot: (rt) => {
        rt.listen(RosterPort.drain, () => commands.push([rt.self, 'drain', h.sim.now]));
        rt.listen(RosterPort.decommission, () => {
          commands.push([rt.self, 'decommission', h.sim.now]);
          rt.leave();
        });
      },
    });
    h.at(0, () => h.rts[2]!.disk.write('k', MB, 1, () => {}));
    h.apply(1_000_000, { kind: 'node_drain', node: 'r1-1' });
    const crash = h.apply(1_500_000, { kind: 'node_crash', node: 'r2-0' });
    h.apply(2_000_000, { kind: 'node_decommission', node: 'r2-1' });
    h.undoAt(2_500_000, crash);
    h.apply(3_000_000, { kind: 'node_decommission', node: 'r2-0' });
    h.sim.run(4_000_000);
    expect(commands).toEqual([[1, 'drain', 1_000_000], [3, 'decommission', 2_000_000], [2, 'decommission', 3_000_000]]);
    expect(h.world.nodes.map((n) => [n.service, n.up])).toEqual([['active', true], ['active', true], ['retired', false], ['retired', false]]);
    expect(h.world.holders('k')).toEqual([]);
    // A retired machine never restarts: a crash's undo finds nothing to bring back.
    const again = h.apply(4_000_000, { kind: 'node_crash', node: 'r2-1', restart_after: 1 });
    h.undoAt(4_500_000, again);
    h.sim.run(5_000_000);
    expect(h.world.nodes[3]!.up).toBe(false);
  });
});

describe('Raft membership changes', () => {
  it('raft_add_member and raft_remove_member are commands to the operator\'s tool on the Raft client\'s node', () => {
    const got: Array<[number, unknown, number]> = [];
    const w = tinyWorld({ onBoot: (rt) => rt.listen(RaftPort.membershipCommand, (_from, cmd) => got.push([rt.self, cmd, w.sim.now])) });
    // The run resolves "@raft-client" through the raft module; here it is node 2.
    const ctx: FaultContext = { world: w.world, rng: w.streams.get('faults'), members: (name) => (name === '@raft-client' ? [2] : w.world.resolveMembers(name)) };
    for (const [t, spec] of [[1_000, { kind: 'raft_add_member', node: 'r1-1' }], [2_000, { kind: 'raft_remove_member', node: 'r2-1' }]] as const) {
      const entry = faultKind(spec.kind)!;
      w.at(t, () => entry.apply(ctx, entry.schema.parse({ at: 0, ...spec }) as never));
    }
    w.sim.run(3_000);
    expect(got).toEqual([[2, { op: 'add', node: 1 }, 1_000], [2, { op: 'remove', node: 3 }, 2_000]]);
  });
});

describe('network faults', () => {
  it('partition by groups drops traffic between sides; healing restores it', () => {
    const h = harness();
    const p = h.apply(1_000_000, { kind: 'partition', groups: [['r1'], ['r2']], duration: '1s' });
    h.undoAt(2_000_000, p);
    const arrivals = h.probe([500_000, 1_500_000, 2_500_000]);
    h.sim.run(3_000_000);
    expect([...arrivals().keys()]).toEqual(['m@500000', 'm@2500000']);
  });

  it('partition shapes: isolate cuts one node off; a bridge node reaches both halves; a ring lets each node reach a majority', () => {
    const h = harness();
    h.apply(0, { kind: 'partition', shape: 'isolate', node: 'r2-0' });
    h.sim.run(1);
    expect(h.world.partitions.blocks(0, 2)).toBe(true);
    expect(h.world.partitions.blocks(0, 1)).toBe(false);
    expect(h.world.partitions.blocks(3, 1)).toBe(false);

    const b = harness();
    b.apply(0, { kind: 'partition', shape: 'bridge' });
    b.sim.run(1);
    const reach = (n: number) => [0, 1, 2, 3].filter((m) => m !== n && !b.world.partitions.blocks(n, m)).length;
    const reaches = [0, 1, 2, 3].map(reach).sort();
    // Bridge + a half of one and a half of two: the bridge sees all three, the lone node only the bridge, the pair the bridge and each other.
    expect(reaches).toEqual([1, 2, 2, 3]);

    const r = harness();
    r.apply(0, { kind: 'partition', shape: 'ring' });
    r.apply(0, { kind: 'partition', shape: 'halves' });
    r.sim.run(1);
    expect(r.world.partitions.count).toBe(2);
  });

  it('latency_spike multiplies and adds; jitter adds up to its amount; undo restores the base latency', () => {
    const h = harness();
    const spike = h.apply(0, { kind: 'latency_spike', between: ['r1', 'r2'], multiply: 3, add: '5ms' });
    h.undoAt(1_000_000, spike);
    const j = h.apply(2_000_000, { kind: 'jitter', between: ['r1', 'r2'], amount: '4ms' });
    h.undoAt(3_000_000, j);
    const arrivals = h.probe([500_000, 1_500_000, 2_500_000, 3_500_000]);
    h.sim.run(4_000_000);
    const a = arrivals();
    expect(a.get('m@500000')! - 500_000).toBe(3 * CROSS + 5_000);
    expect(a.get('m@1500000')! - 1_500_000).toBe(CROSS);
    expect(a.get('m@2500000')! - 2_500_000).toBeGreaterThanOrEqual(CROSS);
    expect(a.get('m@2500000')! - 2_500_000).toBeLessThan(CROSS + 4_000);
    expect(a.get('m@3500000')! - 3_500_000).toBe(CROSS);
  });

  it('packet_loss drops messages (independently, or in a bad Gilbert-Elliott state); undo restores delivery', () => {
    const h = harness();
    const loss = h.apply(0, { kind: 'packet_loss', between: ['r1', 'r2'], probability: 1 });
    h.undoAt(1_000_000, loss);
    const burst = h.apply(2_000_000, { kind: 'packet_loss', between: ['r1', 'r2'], burst: { p_good_to_bad: 1, p_bad_to_good: 0, loss_bad: 1 } });
    h.undoAt(3_000_000, burst);
    const arrivals = h.probe([500_000, 1_500_000, 2_500_000, 3_500_000]);
    h.sim.run(4_000_000);
    expect([...arrivals().keys()]).toEqual(['m@1500000', 'm@3500000']);
  });

  it('duplicate delivers twice; reorder lets a later message overtake; undo restores single, ordered delivery', () => {
    const h = harness();
    const dup = h.apply(0, { kind: 'duplicate', between: ['r1', 'r2'], probability: 1 });
    h.undoAt(1_000_000, dup);
    h.sendAt(500_000, 0, 2, 'dup');
    const re = h.apply(2_000_000, { kind: 'reorder', between: ['r1', 'r2'], probability: 1, delay: '50ms' });
    h.sendAt(2_100_000, 0, 2, 'first');
    h.undoAt(2_105_000, re);
    h.sendAt(2_110_000, 0, 2, 'second');
    h.sim.run(3_000_000);
    const bodies = h.deliveries.filter((d) => d.port === 'msg').map((d) => d.body);
    expect(bodies).toEqual(['dup', 'dup', 'second', 'first']);
  });

  it('bandwidth_throttle slows transfers in flight to the throttled rate; undo restores the full rate', () => {
    const h = harness();
    const t = h.apply(0, { kind: 'bandwidth_throttle', between: ['r1', 'r2'], factor: 0.1 });
    const out = h.transferAt(0, 0, 2, 10 * MB); // 10 MB at 10 MB/s: 1 s
    h.undoAt(2_000_000, t);
    const after = h.transferAt(2_000_000, 0, 2, 10 * MB); // 10 MB at 100 MB/s: 0.1 s
    h.sim.run(5_000_000);
    expect(out.doneAt).toBe(1_000_000 + CROSS);
    expect(after.doneAt! - 2_000_000).toBe(100_000 + CROSS);
  });

  it('transfer_failure aborts transfers started while it lasts, on its links only; undo ends it', () => {
    const h = harness();
    const t = h.apply(0, { kind: 'transfer_failure', between: ['r1', 'r2'], one_way: true, probability: 1 });
    const doomed = h.transferAt(0, 0, 2, 10 * MB);
    const back = h.transferAt(0, 2, 0, 10 * MB); // the other direction: not covered
    h.undoAt(2_000_000, t);
    const after = h.transferAt(2_000_000, 0, 2, 10 * MB);
    h.sim.run(5_000_000);
    expect(doomed.done).toBe(false);
    expect(doomed.doneAt!).toBeLessThan(100_000 + CROSS);
    expect(back.done).toBe(true);
    expect(after.done).toBe(true);
  });

  it('link_flap: down for `down` of every `period` while it lasts, then up for good', () => {
    const h = harness();
    const flap = h.apply(0, { kind: 'link_flap', between: ['r1', 'r2'], period: '1s', down: '400ms', duration: '3s' });
    h.undoAt(3_000_000, flap);
    // Down 0-0.4 s, 1-1.4 s, 2-2.4 s; 3.2 s would be down again had the flapping not ended at 3 s.
    const arrivals = h.probe([200_000, 600_000, 1_200_000, 1_600_000, 3_200_000]);
    h.sim.run(4_000_000);
    expect([...arrivals().keys()]).toEqual(['m@600000', 'm@1600000', 'm@3200000']);
  });

  it('link_flap cuts only the two places: a third node still reaches both', () => {
    const h = harness();
    h.apply(0, { kind: 'link_flap', between: ['r1-0', 'r2-0'], period: '1s', down: '400ms' });
    h.sim.run(100_000);
    expect(h.world.partitions.blocks(0, 2)).toBe(true);
    expect(h.world.partitions.blocks(1, 2)).toBe(false);
    expect(h.world.partitions.blocks(1, 0)).toBe(false);
  });

  it('brownout of links: latency x factor, bandwidth / factor', () => {
    const h = harness();
    const b = h.apply(0, { kind: 'brownout', between: ['r1', 'r2'], factor: 2 });
    const arrivals = h.probe([100_000]);
    h.undoAt(1_000_000, b);
    h.sim.run(2_000_000);
    expect(arrivals().get('m@100000')! - 100_000).toBe(2 * CROSS);
    expect(h.world.links.every((l) => l.latencyMultiply === 1 && l.bandwidthBytesPerS === 100 * MB)).toBe(true);
  });
});

describe('disk faults', () => {
  const writeAt = (h: ReturnType<typeof harness>, t: number, key: string) => {
    const out: { ok?: boolean; at?: number } = {};
    h.at(t, () => h.rts[0]!.disk.write(key, 10 * MB, 1, (ok) => Object.assign(out, { ok, at: h.sim.now })));
    return out;
  };

  it('disk_fail: objects gone, writes fail; disk_full: writes fail until it clears', () => {
    const h = harness();
    const full = h.apply(0, { kind: 'disk_full', node: 'r1-0' });
    const refused = writeAt(h, 100_000, 'a');
    h.undoAt(1_000_000, full);
    const accepted = writeAt(h, 1_100_000, 'b');
    h.apply(2_000_000, { kind: 'disk_fail', node: 'r1-0' });
    const dead = writeAt(h, 2_100_000, 'c');
    h.sim.run(3_000_000);
    expect(refused.ok).toBe(false);
    expect(accepted.ok).toBe(true);
    expect(dead.ok).toBe(false);
    expect(h.world.holders('b')).toEqual([]);
  });

  it('disk_fail with replace_after: a new empty disk that long after; the node restarts on it and writes work again', () => {
    const h = harness();
    writeAt(h, 0, 'a');
    const f = h.apply(1_000_000, { kind: 'disk_fail', node: 'r1-0', replace_after: '2s' });
    const dead = writeAt(h, 1_500_000, 'b');
    h.undoAt(3_000_000, f);
    const alive = writeAt(h, 3_500_000, 'c');
    h.sim.run(4_000_000);
    expect(dead.ok).toBe(false);
    expect(alive.ok).toBe(true);
    expect(h.world.holders('a')).toEqual([]);
    expect(h.world.holders('c')).toEqual([0]);
    expect(h.boots.filter((b) => b.node === 0).map((b) => b.at)).toEqual([0, 3_000_000]);
  });

  it('disk_slow divides bandwidth and multiplies latency; disk_corruption leaves objects failing their checksum', () => {
    const h = harness();
    const slow = h.apply(0, { kind: 'disk_slow', node: 'r1-0', bandwidth_divide: 2, latency_multiply: 3 });
    const a = writeAt(h, 0, 'a'); // 3 ms + 10 MB at 50 MB/s
    h.undoAt(1_000_000, slow);
    const b = writeAt(h, 1_000_000, 'b');
    h.apply(2_000_000, { kind: 'disk_corruption', node: 'r1-0', fraction: 1 });
    h.sim.run(3_000_000);
    expect(a.at).toBe(3_000 + 200_000);
    expect(b.at! - 1_000_000).toBe(1_000 + 100_000);
    expect([h.world.intactOn(0, 'a'), h.world.intactOn(0, 'b')]).toEqual([false, false]);
    expect(h.world.holders('a')).toEqual([0]);
  });
});

describe('correlated faults', () => {
  for (const [kind, target, down] of [['region_outage', 'r1', [0, 1]], ['cloud_outage', 'c', [0, 1, 2, 3]], ['rack_failure', 'r2-rack', [2, 3]]] as const) {
    it(`${kind}: every node of ${target} goes down at once and restarts together`, () => {
      const h = harness();
      const f = h.apply(1_000_000, { kind, target, duration: '1s' });
      h.at(1_500_000, () => expect(h.world.nodes.filter((n) => !n.up).map((n) => n.index)).toEqual([...down]));
      h.undoAt(2_000_000, f);
      h.sim.run(3_000_000);
      expect(h.world.nodes.every((n) => n.up)).toBe(true);
    });
  }
});

import { describe, expect, it } from 'vitest';
import { port, type SimNode, type Undo } from '../../src/world/index.js';
import { MSG, tinyWorld } from './helpers.js';

// Nodes: 0, 1 in region r1; 2, 3 in region r2. Cross-region latency 10 ms, in-region 1 ms.
const LAT = 10_000;
const LOCAL = 1_000;

/** Which of the (from -> to) pairs got through, sending one message each at `t`. */
function reachability(w: ReturnType<typeof tinyWorld>, t: number, pairs: Array<[number, number]>): string[] {
  const before = w.deliveries.length;
  for (const [a, b] of pairs) w.sendAt(t, a, b, `${a}->${b}@${t}`);
  w.sim.run(t + 100_000);
  return w.deliveries.slice(before).map((d) => d.body as string).sort();
}

const ALL_PAIRS: Array<[number, number]> = [];
for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) if (a !== b) ALL_PAIRS.push([a, b]);

describe('messages: latency', () => {
  it('a message takes exactly the link latency', () => {
    const w = tinyWorld();
    w.sendAt(0, 0, 2, 'cross');
    w.sendAt(5, 3, 1, 'cross-back');
    w.sendAt(7, 0, 1, 'local');
    w.sim.run();
    expect(w.deliveries).toEqual([
      { at: 7 + LOCAL, to: 1, from: 0, port: 'msg', body: 'local' },
      { at: LAT, to: 2, from: 0, port: 'msg', body: 'cross' },
      { at: 5 + LAT, to: 1, from: 3, port: 'msg', body: 'cross-back' },
    ]);
    expect(w.world.network.stats).toMatchObject({ sent: 3, delivered: 3 });
  });

  it('a message to self arrives in the same instant', () => {
    const w = tinyWorld();
    w.sendAt(123, 2, 2, 'me');
    w.sim.run();
    expect(w.deliveries).toEqual([{ at: 123, to: 2, from: 2, port: 'msg', body: 'me' }]);
  });

  it('messages on the same link keep their order (constant latency)', () => {
    const w = tinyWorld();
    for (let i = 0; i < 50; i++) w.sendAt(0, 0, 2, i);
    w.sim.run();
    expect(w.deliveries.map((d) => d.body)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('a message to a port nobody listens on is silently dropped', () => {
    const w = tinyWorld();
    w.at(0, () => w.rts[0]!.send(2, port<string>('nobody'), 'x'));
    w.sim.run();
    expect(w.deliveries).toEqual([]);
  });

  it('latency_spike multiplies latency on the chosen links both ways, and removal restores it', () => {
    const w = tinyWorld();
    let remove: Undo | undefined;
    w.at(100_000, () => {
      remove = w.world.addLinkEffect(w.world.linksBetween([0], [2]), { latencyMultiply: 10 });
    });
    w.sendAt(200_000, 0, 2, 'spiked-out');
    w.sendAt(200_000, 2, 0, 'spiked-back');
    w.sendAt(200_000, 0, 1, 'local-untouched');
    w.at(500_000, () => remove!());
    w.sendAt(600_000, 0, 2, 'restored');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(at).toEqual({
      'spiked-out': 200_000 + 10 * LAT,
      'spiked-back': 200_000 + 10 * LAT,
      'local-untouched': 200_000 + LOCAL,
      restored: 600_000 + LAT,
    });
  });

  it('a one-way spike (bothWays = false) affects only that direction', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.addLinkEffect(w.world.linksBetween([0], [2], false), { latencyMultiply: 10 }));
    w.sendAt(1, 0, 2, 'out');
    w.sendAt(1, 2, 0, 'back');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(at).toEqual({ out: 1 + 10 * LAT, back: 1 + LAT });
  });

  it('link effects stack: multipliers multiply, additions add; each removal undoes only itself', () => {
    const w = tinyWorld();
    const links = () => w.world.linksBetween([0], [2], false);
    const removes: Undo[] = [];
    w.at(0, () => {
      removes.push(w.world.addLinkEffect(links(), { latencyMultiply: 10 }));
      removes.push(w.world.addLinkEffect(links(), { latencyMultiply: 2, latencyAdd: 5_000 }));
    });
    w.sendAt(1, 0, 2, 'both');
    w.at(1_000_000, () => removes[0]!());
    w.sendAt(1_000_001, 0, 2, 'second-only');
    w.at(2_000_000, () => removes[1]!());
    w.sendAt(2_000_001, 0, 2, 'none');
    w.sim.run();
    const at = Object.fromEntries(w.deliveries.map((d) => [d.body as string, d.at]));
    expect(at).toEqual({
      both: 1 + LAT * 20 + 5_000,
      'second-only': 1_000_001 + LAT * 2 + 5_000,
      none: 2_000_001 + LAT,
    });
  });

  it('a message keeps the latency it was sent with when the spike ends mid-flight', () => {
    const w = tinyWorld();
    let remove: Undo | undefined;
    w.at(0, () => {
      remove = w.world.addLinkEffect(w.world.linksBetween([0], [2]), { latencyMultiply: 10 });
    });
    w.sendAt(1, 0, 2, 'slow');
    w.at(2, () => remove!());
    w.sim.run();
    expect(w.deliveries[0]!.at).toBe(1 + 10 * LAT);
  });
});

describe('messages: loss', () => {
  it('loss 1 drops every message between nodes', () => {
    const w = tinyWorld({ loss: 1 });
    for (let i = 0; i < 1000; i++) w.sendAt(i, i % 2, 2 + (i % 2), i);
    w.sim.run();
    expect(w.deliveries).toEqual([]);
    expect(w.world.network.stats.dropped.loss).toBe(1000);
  });

  it('loss 0 drops nothing', () => {
    const w = tinyWorld({ loss: 0 });
    for (let i = 0; i < 1000; i++) w.sendAt(i, i % 4, (i + 1) % 4, i);
    w.sim.run();
    expect(w.deliveries).toHaveLength(1000);
    expect(w.world.network.stats.dropped).toEqual({ node_down: 0, partition: 0, loss: 0 });
  });

  it('loss 0.25 drops about a quarter, deterministically for a seed', () => {
    const delivered = (seed: number) => {
      const w = tinyWorld({ loss: 0.25, seed });
      for (let i = 0; i < 4000; i++) w.sendAt(i, 0, 2, i);
      w.sim.run();
      return w.deliveries.map((d) => d.body as number);
    };
    const a = delivered(11);
    expect(Math.abs(a.length / 4000 - 0.75)).toBeLessThan(0.03);
    expect(delivered(11)).toEqual(a);
    expect(delivered(12)).not.toEqual(a);
  });

  it('an added loss effect drops messages until removed', () => {
    const w = tinyWorld();
    let remove: Undo | undefined;
    w.at(0, () => {
      remove = w.world.addLinkEffect(w.world.linksBetween([0], [2]), { loss: 1 });
    });
    w.sendAt(1, 0, 2, 'lost');
    w.sendAt(1, 0, 1, 'other-link');
    w.at(10, () => remove!());
    w.sendAt(11, 0, 2, 'kept');
    w.sim.run();
    expect(w.deliveries.map((d) => d.body).sort()).toEqual(['kept', 'other-link']);
  });
});

describe('messages: partitions', () => {
  it('a partition drops messages between groups and not within them; heal restores', () => {
    const w = tinyWorld();
    let heal: Undo | undefined;
    w.at(0, () => {
      heal = w.world.partition([[0, 1], [2, 3]]);
    });
    expect(reachability(w, 1, ALL_PAIRS)).toEqual(['0->1@1', '1->0@1', '2->3@1', '3->2@1']);
    expect(w.world.network.stats.dropped.partition).toBe(8);
    heal!();
    expect(reachability(w, 200_000, ALL_PAIRS)).toHaveLength(12);
  });

  it('nodes listed in no group form their own group', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.partition([[0]]));
    // 0 is cut off from everyone; 1, 2, 3 (unlisted) still talk to each other.
    expect(reachability(w, 1, ALL_PAIRS)).toEqual(['1->2@1', '1->3@1', '2->1@1', '2->3@1', '3->1@1', '3->2@1']);
  });

  it('with two listed groups, the unlisted nodes form a third', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.partition([[0], [1]]));
    expect(reachability(w, 1, ALL_PAIRS)).toEqual(['2->3@1', '3->2@1']);
  });

  it('a one-way partition drops only traffic from group 0 outward', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.partition([[0, 1], [2, 3]], true));
    expect(reachability(w, 1, ALL_PAIRS)).toEqual([
      '0->1@1', '1->0@1', '2->0@1', '2->1@1', '2->3@1', '3->0@1', '3->1@1', '3->2@1',
    ]);
  });

  it('a one-way partition with unlisted nodes: group 0 cannot send to them, they can send to it', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.partition([[0]], true));
    const got = reachability(w, 1, ALL_PAIRS);
    expect(got).not.toContain('0->1@1');
    expect(got).not.toContain('0->2@1');
    expect(got).toContain('1->0@1');
    expect(got).toContain('2->0@1');
    expect(got).toContain('1->2@1');
    expect(got).toHaveLength(9);
  });

  it('a one-way partition does not block traffic between two non-zero groups', () => {
    const w = tinyWorld();
    w.at(0, () => w.world.partition([[0], [1], [2, 3]], true));
    const got = reachability(w, 1, ALL_PAIRS);
    expect(got).toContain('1->2@1');
    expect(got).toContain('2->1@1');
    expect(got).not.toContain('0->1@1');
  });

  it('partitions stack: healing one leaves the other in force', () => {
    const w = tinyWorld();
    let heal1: Undo | undefined;
    w.at(0, () => {
      heal1 = w.world.partition([[0], [1, 2, 3]]);
      w.world.partition([[3], [0, 1, 2]]);
    });
    expect(reachability(w, 1, [[0, 1], [1, 3], [1, 2]])).toEqual(['1->2@1']);
    heal1!();
    expect(reachability(w, 200_000, [[0, 1], [1, 3], [1, 2]])).toEqual(['0->1@200000', '1->2@200000']);
  });

  it('a message in flight when the partition starts is dropped', () => {
    const w = tinyWorld();
    w.sendAt(0, 0, 2, 'in-flight');
    w.sendAt(0, 0, 1, 'same-side');
    w.at(LAT / 2, () => w.world.partition([[0, 1], [2, 3]]));
    w.sim.run();
    expect(w.deliveries.map((d) => d.body)).toEqual(['same-side']);
    expect(w.world.network.stats.dropped.partition).toBe(1);
  });
});

describe('messages and node crashes', () => {
  it('messages to a crashed node are dropped, also those already in flight; after restart they arrive', () => {
    const w = tinyWorld();
    w.sendAt(0, 0, 2, 'in-flight');
    w.at(LAT / 2, () => w.world.crash(2));
    w.sendAt(LAT, 0, 2, 'to-dead');
    w.at(100_000, () => w.world.restart(2));
    w.sendAt(200_000, 0, 2, 'after-restart');
    w.sim.run();
    expect(w.deliveries.map((d) => d.body)).toEqual(['after-restart']);
    expect(w.world.network.stats.dropped.node_down).toBe(2);
  });

  it('a crashed node never sends (its software is gone) and its timers never fire', () => {
    const fired: Array<{ life: number; at: number }> = [];
    const w = tinyWorld({
      onBoot: (rt, life) => {
        if (rt.self !== 0) return;
        rt.setTimer(1_000_000, () => {
          fired.push({ life, at: w.sim.now });
          rt.send(2, MSG, `tick-${life}`);
        });
      },
    });
    w.at(500_000, () => w.world.crash(0));
    w.sim.run(10_000_000);
    expect(fired).toEqual([]);
    expect(w.deliveries).toEqual([]);
    expect(w.boots.filter((b) => b.node === 0)).toEqual([{ node: 0, at: 0 }]);
  });

  it('after restart the node boots again; only the new life’s timers fire', () => {
    const fired: Array<{ life: number; at: number }> = [];
    const w = tinyWorld({
      onBoot: (rt, life) => {
        if (rt.self !== 0) return;
        rt.setTimer(1_000_000, () => fired.push({ life, at: w.sim.now }));
      },
    });
    w.at(500_000, () => w.world.crash(0));
    w.at(700_000, () => w.world.restart(0));
    w.sim.run();
    expect(w.boots.filter((b) => b.node === 0)).toEqual([
      { node: 0, at: 0 },
      { node: 0, at: 700_000 },
    ]);
    expect(fired).toEqual([{ life: 2, at: 1_700_000 }]);
  });

  it('a crash and restart in the same instant still kills the old timers', () => {
    const fired: number[] = [];
    const w = tinyWorld({
      onBoot: (rt, life) => {
        if (rt.self === 1 && life === 1) rt.setTimer(1_000, () => fired.push(life));
      },
    });
    w.at(500, () => {
      w.world.crash(1);
      w.world.restart(1);
    });
    w.sim.run();
    expect(fired).toEqual([]);
    expect(w.world.nodes[1]!.incarnation).toBe(1);
  });

  it('cancelTimer stops a timer; setTimer(0) runs later in the same instant', () => {
    const seen: string[] = [];
    const w = tinyWorld({
      onBoot: (rt) => {
        if (rt.self !== 3) return;
        const t = rt.setTimer(10, () => seen.push('cancelled'));
        rt.setTimer(20, () => seen.push(`kept@${w.sim.now}`));
        rt.cancelTimer(t);
        rt.setTimer(0, () => seen.push(`zero@${w.sim.now}`));
        seen.push('boot');
      },
    });
    w.sim.run();
    expect(seen).toEqual(['boot', 'zero@0', 'kept@20']);
  });

  it('handlers registered in a previous life are forgotten', () => {
    const OLD = port<string>('old');
    const got: string[] = [];
    const w = tinyWorld({
      onBoot: (rt, life) => {
        if (rt.self === 2 && life === 1) rt.listen(OLD, (_from, body) => got.push(body));
      },
    });
    w.at(0, () => w.rts[0]!.send(2, OLD, 'first-life'));
    w.at(100_000, () => w.world.crash(2));
    w.at(200_000, () => w.world.restart(2));
    w.at(300_000, () => w.rts[0]!.send(2, OLD, 'second-life'));
    w.sim.run();
    expect(got).toEqual(['first-life']);
  });

  it('crash and restart are idempotent and notify listeners once each', () => {
    const w = tinyWorld();
    const events: string[] = [];
    w.world.onNodeState((n: SimNode, e) => events.push(`${n.name}:${e}`));
    w.world.crash(2);
    w.world.crash(2);
    expect(w.world.nodes[2]!.up).toBe(false);
    expect(w.world.nodes[2]!.incarnation).toBe(1);
    w.world.restart(2);
    w.world.restart(2);
    expect(w.world.nodes[2]!.up).toBe(true);
    expect(events).toEqual(['r2-0:crash', 'r2-0:restart']);
    expect(w.boots.filter((b) => b.node === 2)).toHaveLength(2);
  });
});

describe('world lookups', () => {
  it('resolveMembers names nodes, regions and clouds; nodeIndex finds by name', () => {
    const w = tinyWorld();
    expect(w.world.resolveMembers('r1-1')).toEqual([1]);
    expect(w.world.resolveMembers('r2')).toEqual([2, 3]);
    expect(w.world.resolveMembers('c')).toEqual([0, 1, 2, 3]);
    expect(w.world.resolveMembers('nope')).toEqual([]);
    expect(w.world.nodeIndex('r2-1')).toBe(3);
    expect(w.world.nodeIndex('nope')).toBeUndefined();
  });

  it('linkBetween picks the directed region link', () => {
    const w = tinyWorld();
    expect(w.world.network.linkBetween(0, 3).label).toBe('r1->r2');
    expect(w.world.network.linkBetween(3, 1).label).toBe('r2->r1');
    expect(w.world.network.linkBetween(2, 3).label).toBe('r2->r2');
    expect(w.world.linksBetween([0], [3]).map((l) => l.label).sort()).toEqual(['r1->r2', 'r2->r1']);
    expect(w.world.linksBetween([0], [3], false).map((l) => l.label)).toEqual(['r1->r2']);
  });
});

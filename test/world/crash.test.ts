import { describe, expect, it } from 'vitest';
import { port } from '../../src/world/index.js';
import { MB, tinyWorld } from './helpers.js';

describe('crashes', () => {
  it('stack: a node crashed twice comes back only after both restarts', () => {
    const w = tinyWorld();
    w.at(1_000, () => w.world.crash(1));
    w.at(2_000, () => w.world.crash(1));
    w.at(3_000, () => w.world.restart(1));
    w.at(3_500, () => expect(w.world.nodes[1]!.up).toBe(false));
    w.at(4_000, () => w.world.restart(1));
    w.sim.run();
    expect(w.world.nodes[1]!.up).toBe(true);
    expect(w.boots.filter((b) => b.node === 1).map((b) => b.at)).toEqual([0, 4_000]);
  });

  it('crash and pause return their undo; each undo lifts only its own hold, once', () => {
    const w = tinyWorld();
    const held: Array<() => void> = [];
    w.at(1_000, () => held.push(w.world.crash(1), w.world.crash(1), w.world.pause(2), w.world.pause(2)));
    w.at(2_000, () => {
      held[0]!();
      held[0]!();
      held[2]!();
      held[2]!();
    });
    w.at(2_500, () => expect([w.world.nodes[1]!.up, w.world.nodes[2]!.paused]).toEqual([false, true]));
    w.at(3_000, () => {
      held[1]!();
      held[3]!();
    });
    w.sim.run();
    expect([w.world.nodes[1]!.up, w.world.nodes[2]!.paused]).toEqual([true, false]);
    expect(w.boots.filter((b) => b.node === 1).map((b) => b.at)).toEqual([0, 3_000]);
  });

  it('a restart without a crash does nothing, and does not bank a restart for later', () => {
    const w = tinyWorld();
    w.at(1_000, () => w.world.restart(1));
    w.at(2_000, () => w.world.crash(1));
    w.sim.run();
    expect(w.world.nodes[1]!.up).toBe(false);
  });

  it('interrupt the disk: pending operations stop, and the device is free after restart', () => {
    const w = tinyWorld();
    const done: Array<[string, number]> = [];
    // A 100 MB write takes 1 ms + 1 s at 100 MB/s; the crash comes halfway through.
    w.at(0, () => w.rts[0]!.disk.write('big', 100 * MB, 1, () => done.push(['big', w.sim.now])));
    w.at(500_000, () => w.world.crash(0));
    w.at(600_000, () => w.world.restart(0));
    w.at(600_000, () => w.rts[0]!.disk.write('small', 1 * MB, 1, () => done.push(['small', w.sim.now])));
    w.sim.run();
    // 'small' starts at once: 1 ms + 10 ms, not queued behind the interrupted write.
    expect(done).toEqual([['small', 611_000]]);
    expect(w.world.holders('big')).toEqual([]);
    expect(w.world.nodes[0]!.disk.busyTime).toBe(500_000 + 11_000);
  });
});

describe('loss never applies to a node talking to itself', () => {
  it('delivers self-messages with loss 1', () => {
    const w = tinyWorld({ loss: 1 });
    w.sendAt(0, 0, 0, 'self');
    w.sendAt(0, 0, 1, 'other');
    w.sim.run();
    expect(w.deliveries.map((d) => d.body)).toEqual(['self']);
  });
});

describe('pauses', () => {
  // Regression: a timer that fell due during a pause waited in `held`, where
  // cancelTimer no longer reached it. Raft's election timer, re-armed at the
  // resume by a heartbeat that arrived before it fell due, then ran anyway:
  // the member kept two election timers for ever and deposed every leader
  // (raft_liveness failed in the chaos property; see raft-chaos-property.test.ts).
  it('a timer that fell due during the pause, cancelled at the resume by work that came before it, does not run', () => {
    const RESET = port<null>('reset');
    const fired: Array<[string, number]> = [];
    const w = tinyWorld({
      onBoot: (rt) => {
        if (rt.self !== 1) return;
        let timer = rt.setTimer(5_000, () => fired.push(['first', w.sim.now]));
        rt.listen(RESET, () => {
          rt.cancelTimer(timer);
          timer = rt.setTimer(5_000, () => fired.push(['second', w.sim.now]));
        });
        // Not cancelled by anything: runs at the resume, as before.
        rt.setTimer(6_000, () => fired.push(['kept', w.sim.now]));
      },
    });
    w.at(1_000, () => w.world.pause(1));
    // Sent at 2 ms, arrives at 3 ms (held), before 'first' falls due at 5 ms (held too).
    w.at(2_000, () => w.rts[0]!.send(1, RESET, null));
    w.at(10_000, () => w.world.resume(1));
    w.sim.run();
    expect(fired).toEqual([['kept', 10_000], ['second', 15_000]]);
  });
});

import { describe, expect, it } from 'vitest';
import type { Undo } from '../../src/world/index.js';
import { MB, tinyWorld } from './helpers.js';

/** Writes `key` on node 0 at `t` and records the outcome. */
function write(w: ReturnType<typeof tinyWorld>, t: number, key: string, bytes = 10 * MB) {
  const out: { ok?: boolean; at?: number } = {};
  w.at(t, () => w.rts[0]!.disk.write(key, bytes, 7, (ok) => Object.assign(out, { ok, at: w.sim.now })));
  return out;
}

describe('disk faults in the world', () => {
  it('failDisk: every object is gone, the node stays up, later writes fail', () => {
    const w = tinyWorld();
    write(w, 0, 'a');
    w.at(1_000_000, () => w.world.failDisk(0));
    const later = write(w, 2_000_000, 'b');
    w.sim.run();
    expect(w.world.holders('a')).toEqual([]);
    expect(w.world.nodes[0]!.up).toBe(true);
    expect(later).toEqual({ ok: false, at: 2_000_000 + 1_000 });
    expect(w.rts[0]!.disk.list('')).toEqual([]);
  });

  it('replaceDisk: a new empty disk; a node that is up restarts on it, and writes work again', () => {
    const w = tinyWorld();
    write(w, 0, 'a');
    w.at(1_000_000, () => w.world.failDisk(0));
    w.at(2_000_000, () => w.world.replaceDisk(0));
    const later = write(w, 3_000_000, 'b');
    w.sim.run();
    expect(w.world.holders('a')).toEqual([]);
    expect(w.world.holders('b')).toEqual([0]);
    expect(later.ok).toBe(true);
    expect(w.rts[0]!.disk.list('')).toEqual(['b']);
    // Booted at the start and again on the new disk, at the same microsecond as the swap.
    expect(w.boots.filter((b) => b.node === 0).map((b) => b.at)).toEqual([0, 2_000_000]);
  });

  it('replaceDisk on a disk that has not failed destroys what it held first; a node that is down boots from the new disk at its restart', () => {
    const w = tinyWorld();
    write(w, 0, 'a');
    w.at(1_000_000, () => {
      const restart = w.world.crash(0);
      w.world.replaceDisk(0);
      expect(w.world.nodes[0]!.up).toBe(false);
      w.sim.after(1_000_000, restart, undefined);
    });
    w.sim.run();
    expect(w.world.holders('a')).toEqual([]);
    expect(w.world.destroyedByFault(0, 'a')).toBe(true);
    expect(w.world.nodes[0]!.up).toBe(true);
    expect(w.rts[0]!.disk.list('')).toEqual([]);
    expect(w.boots.filter((b) => b.node === 0).map((b) => b.at)).toEqual([0, 2_000_000]);
  });

  it('slowDisk divides bandwidth and multiplies latency while it lasts, and restoring undoes it', () => {
    const w = tinyWorld();
    let restore: Undo | undefined;
    w.at(0, () => (restore = w.world.slowDisk(0, { bandwidthDivide: 10, latencyMultiply: 5 })));
    const slow = write(w, 0, 'a'); // 10 MB at 10 MB/s + 5 ms
    w.at(2_000_000, () => restore!());
    const fast = write(w, 3_000_000, 'b'); // 10 MB at 100 MB/s + 1 ms
    w.sim.run();
    expect(slow.at).toBe(1_000_000 + 5_000);
    expect(fast.at! - 3_000_000).toBe(100_000 + 1_000);
  });

  it('corrupt: the object stays, readable, with a checksum that no longer matches', () => {
    const w = tinyWorld();
    write(w, 0, 'a');
    w.at(1_000_000, () => w.world.corrupt(0, ['a', 'missing']));
    let read: { checksum: number; actualChecksum: number } | null = null;
    w.at(2_000_000, () => w.rts[0]!.disk.read('a', (obj) => (read = obj)));
    w.sim.run();
    expect(w.world.holders('a')).toEqual([0]);
    expect(w.world.intactOn(0, 'a')).toBe(false);
    expect([w.world.destroyedByFault(0, 'a'), w.world.destroyedByFault(0, 'missing')]).toEqual([true, false]);
    expect(read!.checksum).toBe(7);
    expect(read!.actualChecksum).not.toBe(7);
  });

  it('a read in flight when its object is corrupted gives nothing: what it was charged for is no longer there', () => {
    const w = tinyWorld();
    write(w, 0, 'a');
    let read: unknown = 'not called';
    // 10 MB at 200 MB/s: the read is in service from 1 s to 1.051 s; the corruption lands in between.
    w.at(1_000_000, () => w.rts[0]!.disk.read('a', (obj) => (read = obj)));
    w.at(1_020_000, () => w.world.corrupt(0, ['a']));
    w.sim.run();
    expect(read).toBeNull();
  });
});

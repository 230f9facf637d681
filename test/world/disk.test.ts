import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../src/world/index.js';
import { MB, tinyWorld } from './helpers.js';

// Disk: write 100 MB/s, read 200 MB/s, 1 ms per operation (helpers.ts defaults).
const OP = 1_000;
const WRITE_10MB = OP + 100_000;
const READ_10MB = OP + 50_000;

type W = ReturnType<typeof tinyWorld>;

function writeAt(w: W, t: number, node: number, key: string, bytes: number, checksum = 7) {
  const r: { ok?: boolean; at?: number; calls: number } = { calls: 0 };
  w.at(t, () =>
    w.rts[node]!.disk.write(key, bytes, checksum, (ok) => {
      r.calls++;
      r.ok = ok;
      r.at = w.sim.now;
    }),
  );
  return r;
}

function readAt(w: W, t: number, node: number, key: string) {
  const r: { obj?: StoredObject | null; at?: number } = {};
  w.at(t, () =>
    w.rts[node]!.disk.read(key, (obj) => {
      r.obj = obj;
      r.at = w.sim.now;
    }),
  );
  return r;
}

describe('disk timing', () => {
  it('a write takes opLatency + bytes / writeBandwidth', () => {
    const w = tinyWorld();
    const r = writeAt(w, 0, 0, 'k', 10 * MB);
    w.sim.run();
    expect(r).toEqual({ ok: true, at: WRITE_10MB, calls: 1 });
  });

  it('a write starts when issued on an idle disk', () => {
    const w = tinyWorld();
    const r = writeAt(w, 5_000_000, 0, 'k', 10 * MB);
    w.sim.run();
    expect(r.at).toBe(5_000_000 + WRITE_10MB);
  });

  it('a read takes opLatency + bytes / readBandwidth; a missing key costs opLatency and gives null', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'k', 10 * MB, 42);
    const r = readAt(w, 1_000_000, 0, 'k');
    const miss = readAt(w, 2_000_000, 0, 'absent');
    w.sim.run();
    expect(r.at).toBe(1_000_000 + READ_10MB);
    expect(r.obj).toEqual({ bytes: 10 * MB, checksum: 42, actualChecksum: 42 });
    expect(miss).toEqual({ obj: null, at: 2_000_000 + OP });
  });

  it('sub-microsecond service times round up', () => {
    const w = tinyWorld();
    const r = writeAt(w, 0, 0, 'tiny', 1); // 1 byte at 100 MB/s = 0.01 µs
    w.sim.run();
    expect(r.at).toBe(OP + 1);
  });

  it('operations queue FIFO on one device', () => {
    const w = tinyWorld();
    const a = writeAt(w, 0, 0, 'a', 10 * MB);
    const b = writeAt(w, 0, 0, 'b', 10 * MB);
    const c = writeAt(w, 50_000, 0, 'c', 1); // arrives while a is in service
    const rd = readAt(w, 60_000, 0, 'missing'); // queued behind c
    const order: string[] = [];
    w.sim.run();
    expect(a.at).toBe(WRITE_10MB);
    expect(b.at).toBe(2 * WRITE_10MB);
    expect(c.at).toBe(2 * WRITE_10MB + OP + 1);
    expect(rd).toEqual({ obj: null, at: 2 * WRITE_10MB + OP + 1 + OP });
    for (const [k, r] of Object.entries({ a, b, c })) if (r.ok) order.push(k);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(w.world.nodes[0]!.disk.busyTime).toBe(2 * WRITE_10MB + OP + 1 + OP);
  });

  it('a read queued behind a write of another key waits for it', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'old', 10 * MB);
    const big = writeAt(w, 1_000_000, 0, 'big', 50 * MB);
    const rd = readAt(w, 1_000_001, 0, 'old');
    w.sim.run();
    expect(big.at).toBe(1_000_000 + OP + 500_000);
    expect(rd.at).toBe(big.at! + READ_10MB);
    expect(rd.obj?.bytes).toBe(10 * MB);
  });

  // Regression: HostDisk.read (src/world/node.ts) sized the read by the object
  // present when the read was ISSUED (0 bytes if absent) but returned the object
  // present when it COMPLETED, so a read queued behind the write of the same key
  // returned 10 MB after only opLatency. Any outcome where the time charged matches
  // the size returned is consistent.
  it('a read queued behind a write of the same key is charged for the size it returns (regression)', () => {
    const w = tinyWorld();
    const wr = writeAt(w, 0, 0, 'a', 10 * MB);
    const rd = readAt(w, 50_000, 0, 'a');
    w.sim.run();
    expect(wr.at).toBe(WRITE_10MB);
    const returnedBytes = rd.obj?.bytes ?? 0;
    expect(rd.at).toBe(WRITE_10MB + OP + Math.ceil((returnedBytes * 1e6) / (200 * MB)));
  });

  it('disks of different nodes are independent', () => {
    const w = tinyWorld();
    const a = writeAt(w, 0, 0, 'a', 10 * MB);
    const b = writeAt(w, 0, 1, 'b', 10 * MB);
    w.sim.run();
    expect(a.at).toBe(WRITE_10MB);
    expect(b.at).toBe(WRITE_10MB);
  });
});

describe('disk capacity', () => {
  it('a write beyond capacity fails with ok=false after opLatency and stores nothing', () => {
    const w = tinyWorld({ disk: { capacityBytes: 25 * MB } });
    const a = writeAt(w, 0, 0, 'a', 10 * MB);
    const b = writeAt(w, 1_000_000, 0, 'b', 10 * MB);
    const c = writeAt(w, 2_000_000, 0, 'c', 10 * MB);
    w.sim.run();
    expect(a.ok).toBe(true);
    expect(b.ok).toBe(true);
    expect(c).toEqual({ ok: false, at: 2_000_000 + OP, calls: 1 });
    expect(w.world.holders('c')).toEqual([]);
    expect(w.world.objectOn(0, 'c')).toBeUndefined();
    expect(w.rts[0]!.disk.usedBytes()).toBe(20 * MB);
    expect(w.rts[0]!.disk.capacityBytes()).toBe(25 * MB);
  });

  it('a write that exactly fills the disk succeeds; overwriting reuses the old space', () => {
    const w = tinyWorld({ disk: { capacityBytes: 25 * MB } });
    const a = writeAt(w, 0, 0, 'a', 10 * MB);
    const b = writeAt(w, 1_000_000, 0, 'b', 15 * MB);
    const over = writeAt(w, 2_000_000, 0, 'a', 10 * MB); // replaces a: 15 + 10 <= 25
    const grow = writeAt(w, 3_000_000, 0, 'a', 11 * MB); // 15 + 11 > 25
    w.sim.run();
    expect([a.ok, b.ok, over.ok, grow.ok]).toEqual([true, true, true, false]);
    expect(w.rts[0]!.disk.usedBytes()).toBe(25 * MB);
    expect(w.world.objectOn(0, 'a')?.bytes).toBe(10 * MB);
  });

  it('concurrent writes that fit alone but not together: the later one fails at completion', () => {
    const w = tinyWorld({ disk: { capacityBytes: 25 * MB } });
    const a = writeAt(w, 0, 0, 'a', 15 * MB);
    const b = writeAt(w, 0, 0, 'b', 15 * MB);
    w.sim.run();
    expect(a).toMatchObject({ ok: true, at: OP + 150_000 });
    expect(b).toMatchObject({ ok: false, at: 2 * (OP + 150_000) });
    expect(w.world.holders('b')).toEqual([]);
    expect(w.rts[0]!.disk.usedBytes()).toBe(15 * MB);
  });
});

describe('disk ground truth', () => {
  it('a written object is visible via holders() and objectOn() only once the write completes', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'k', 10 * MB, 99);
    writeAt(w, 0, 2, 'k', 10 * MB, 99);
    const mid: Array<readonly number[]> = [];
    w.at(WRITE_10MB - 1, () => mid.push([...w.world.holders('k')]));
    w.sim.run();
    expect(mid).toEqual([[]]);
    expect([...w.world.holders('k')].sort()).toEqual([0, 2]);
    expect(w.world.objectOn(0, 'k')).toEqual({ bytes: 10 * MB, checksum: 99, actualChecksum: 99 });
    expect(w.world.objectOn(1, 'k')).toBeUndefined();
    expect(w.rts[2]!.disk.has('k')).toBe(true);
    expect(w.rts[1]!.disk.has('k')).toBe(false);
  });

  it('remove() takes the object out of the disk and of holders()', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'k', 10 * MB);
    writeAt(w, 0, 2, 'k', 10 * MB);
    w.sim.run();
    w.rts[0]!.disk.remove('k');
    expect(w.world.holders('k')).toEqual([2]);
    expect(w.world.objectOn(0, 'k')).toBeUndefined();
    expect(w.rts[0]!.disk.usedBytes()).toBe(0);
    w.rts[2]!.disk.remove('k');
    expect(w.world.holders('k')).toEqual([]);
  });

  it('overwriting on the same node lists it once', () => {
    const w = tinyWorld();
    writeAt(w, 0, 3, 'k', 1 * MB, 1);
    writeAt(w, 0, 3, 'k', 2 * MB, 2);
    w.sim.run();
    expect(w.world.holders('k')).toEqual([3]);
    expect(w.world.objectOn(3, 'k')).toEqual({ bytes: 2 * MB, checksum: 2, actualChecksum: 2 });
    expect(w.rts[3]!.disk.usedBytes()).toBe(2 * MB);
  });

  it('a write in progress when the node crashes is not stored and never calls back', () => {
    const w = tinyWorld();
    const r = writeAt(w, 0, 0, 'k', 10 * MB);
    w.at(WRITE_10MB / 2, () => w.world.crash(0));
    w.sim.run();
    expect(r.calls).toBe(0);
    expect(w.world.holders('k')).toEqual([]);
    expect(w.world.objectOn(0, 'k')).toBeUndefined();
  });

  it('a write in progress is not stored even if the node restarts before it would have finished', () => {
    const w = tinyWorld();
    const r = writeAt(w, 0, 0, 'k', 10 * MB);
    w.at(10_000, () => w.world.crash(0));
    w.at(20_000, () => w.world.restart(0));
    w.sim.run();
    expect(r.calls).toBe(0);
    expect(w.world.holders('k')).toEqual([]);
    expect(w.rts[0]!.disk.has('k')).toBe(false);
  });

  it('what was written before a crash survives it', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'kept', 10 * MB, 5);
    w.at(WRITE_10MB + 1, () => w.world.crash(0));
    w.sim.run();
    expect(w.world.holders('kept')).toEqual([0]); // down, but the disk still holds it
    w.world.restart(0);
    expect(w.rts[0]!.disk.has('kept')).toBe(true);
    const r = readAt(w, w.sim.now, 0, 'kept');
    w.sim.run();
    expect(r.obj).toEqual({ bytes: 10 * MB, checksum: 5, actualChecksum: 5 });
  });

  it('a failed disk loses everything and refuses writes', () => {
    const w = tinyWorld();
    writeAt(w, 0, 0, 'k', 10 * MB);
    w.sim.run();
    w.world.nodes[0]!.disk.fail();
    expect(w.world.holders('k')).toEqual([]);
    expect(w.world.objectOn(0, 'k')).toBeUndefined();
    const r = writeAt(w, w.sim.now, 0, 'k2', 1);
    const rd = readAt(w, w.sim.now, 0, 'k');
    w.sim.run();
    expect(r.ok).toBe(false);
    expect(rd.obj).toBeNull();
    expect(w.world.holders('k2')).toEqual([]);
  });
});

describe('append', () => {
  it('writes only the bytes added, and the object grows by them', () => {
    const w = tinyWorld();
    const rt = w.world.nodes[0]!.host;
    const done: Array<{ t: number; ok: boolean }> = [];
    rt.disk.append('log', 1_000_000, (ok) => done.push({ t: w.world.sim.now, ok }), 'first');
    rt.disk.append('log', 1_000_000, (ok) => done.push({ t: w.world.sim.now, ok }), 'second');
    w.world.sim.run(10_000_000);
    expect(done.map((d) => d.ok)).toEqual([true, true]);
    // Each append costs the same: the second does not rewrite the first's megabyte.
    expect(done[1]!.t - done[0]!.t).toBe(done[0]!.t);
    expect(rt.disk.usedBytes()).toBe(2_000_000);
    let content: unknown;
    rt.disk.read('log', (obj) => (content = obj?.data));
    w.world.sim.run(20_000_000);
    expect(content).toBe('second');
  });
});

describe('a dedicated log device', () => {
  it('queues apart from the data disk, and a crash that loses unsynced writes reverts both', () => {
    const w = tinyWorld({ logDisk: true, disk: { syncInterval: 1_000_000 } });
    const rt = w.world.nodes[0]!.host;
    const done: Record<string, number> = {};
    rt.disk.write('bulk', 100 * MB, 1, () => (done.bulk = w.world.sim.now));
    rt.logDisk.write('log', 1_000, 2, () => (done.log = w.world.sim.now));
    w.world.sim.run(2_000_000);
    // The log write does not wait 1 s behind the 100 MB one.
    expect(done.log).toBeLessThan(2_000);
    expect(done.bulk).toBeGreaterThan(1_000_000);
    rt.logDisk.write('log2', 1_000, 3, () => {});
    rt.disk.write('bulk2', 1_000, 4, () => {});
    w.world.sim.run(2_100_000);
    w.world.crash(0, { loseUnsyncedWrites: true });
    w.world.restart(0);
    const rt2 = w.world.nodes[0]!.host;
    expect(rt2.logDisk.has('log')).toBe(true);
    expect(rt2.logDisk.has('log2')).toBe(false);
    expect(rt2.disk.has('bulk2')).toBe(false);
    expect(rt2.disk.has('log')).toBe(false);
  });
});

describe('the object table', () => {
  it('a removed object\'s room is reused, and the listing stays in the order keys were first written', () => {
    const w = tinyWorld();
    const rt = w.world.nodes[0]!.host;
    for (const k of ['p/a', 'p/b', 'p/c', 'q/d']) rt.disk.write(k, MB, 1, () => {});
    w.world.sim.run(1_000_000);
    rt.disk.remove('p/b');
    rt.disk.write('p/e', 2 * MB, 5, () => {});
    rt.disk.write('p/a', 3 * MB, 6, () => {}, 'content');
    w.world.sim.run(2_000_000);
    expect(rt.disk.list('p/')).toEqual(['p/a', 'p/c', 'p/e']);
    expect(rt.disk.usedBytes()).toBe(7 * MB);
    expect(w.world.objectOn(0, 'p/a')).toEqual({ bytes: 3 * MB, checksum: 6, actualChecksum: 6, data: 'content' });
    expect(w.world.objectOn(0, 'p/e')).toEqual({ bytes: 2 * MB, checksum: 5, actualChecksum: 5 });
    expect(w.world.objectOn(0, 'p/b')).toBeUndefined();
    // A thousand objects: the table grows past its first size and keeps every one.
    for (let i = 0; i < 1_000; i++) rt.disk.write(`n/${i}`, 1, i, () => {});
    w.world.sim.run(20_000_000);
    expect(rt.disk.list('n/')).toHaveLength(1_000);
    expect(w.world.objectOn(0, 'n/999')?.checksum).toBe(999);
    expect(w.world.objectOn(0, 'p/c')?.bytes).toBe(MB);
  });
});

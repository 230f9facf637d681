import { describe, expect, it } from 'vitest';
import { RaftLog } from '../../src/systems/raft/log.js';
import { KvStateMachine } from '../../src/systems/raft/state-machine.js';

const e = (term: number, id: string, key = 'k', value = 1) => ({ term, id, key, value });

describe('RaftLog', () => {
  it('indexes from 1, with term 0 before the first entry and -1 past the end', () => {
    const log = new RaftLog();
    log.append(e(1, 'a'));
    log.append(e(2, 'b'));
    expect([log.lastIndex, log.termAt(0), log.termAt(1), log.termAt(2), log.termAt(3)]).toEqual([2, 0, 1, 2, -1]);
    expect(log.at(2)!.id).toBe('b');
    expect(log.slice(1, 10).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('after compaction: the base keeps its term, entries below it are gone (-1), indexes do not move', () => {
    const log = new RaftLog();
    for (let i = 1; i <= 5; i++) log.append(e(i < 3 ? 1 : 2, `x${i}`));
    log.compact(3);
    expect([log.base, log.baseTerm, log.lastIndex, log.termAt(3), log.termAt(2), log.termAt(0)]).toEqual([3, 2, 5, 2, -1, 0]);
    expect(log.at(3)).toBeUndefined();
    expect(log.at(4)!.id).toBe('x4');
    expect(log.slice(4, 1).map((x) => x.id)).toEqual(['x4']);
    log.truncateFrom(5);
    expect(log.lastIndex).toBe(4);
  });

  it('installing a snapshot keeps the entries after it only if the log agrees at its index', () => {
    const agree = new RaftLog();
    for (let i = 1; i <= 4; i++) agree.append(e(1, `a${i}`));
    agree.install(2, 1);
    expect([agree.base, agree.lastIndex, agree.at(3)!.id]).toEqual([2, 4, 'a3']);
    const differ = new RaftLog();
    for (let i = 1; i <= 4; i++) differ.append(e(1, `d${i}`));
    differ.install(3, 5);
    expect([differ.base, differ.baseTerm, differ.lastIndex]).toEqual([3, 5, 3]);
  });

  it('a stored copy is not changed by later truncation, compaction or appends', () => {
    const log = new RaftLog();
    for (let i = 1; i <= 4; i++) log.append(e(1, `s${i}`));
    const stored = log.stored();
    log.truncateFrom(2);
    log.append(e(2, 'new'));
    log.compact(1);
    expect(stored.entries.slice(0, stored.length).map((x) => x.id)).toEqual(['s1', 's2', 's3', 's4']);
  });
});

describe('KvStateMachine', () => {
  it('applies only the first copy of an id, and a snapshot is an independent image', () => {
    const sm = new KvStateMachine();
    sm.apply(1, e(1, 'w1', 'k', 1));
    sm.apply(2, e(1, 'w2', 'k', 2));
    sm.apply(3, e(1, 'w1', 'k', 1)); // a retried duplicate
    expect(sm.read('k')).toEqual({ value: 2, writeId: 'w2' });
    expect(sm.indexOf('w1')).toBe(1);
    const snap = sm.snapshot(3, 1);
    sm.apply(4, e(1, 'w3', 'k', 3));
    const restored = new KvStateMachine(snap);
    expect(restored.read('k')).toEqual({ value: 2, writeId: 'w2' });
    expect(restored.indexOf('w3')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario } from '../../src/run/index.js';
import { Thinned } from '../../src/run/timeline-trace.js';

type Ev = { ph: string; name: string; cat?: string; ts?: number; dur?: number; pid: number; tid: number; id?: string; bp?: string; args?: Record<string, unknown> };

const loaded = loadScenario('scenarios/node-loss.yml');
const result = runScenario(loaded, { seed: 42, timeline: true });
const trace = JSON.parse(result.timeline!) as { otherData: Record<string, unknown>; traceEvents: Ev[] };
const events = trace.traceEvents;
const horizon = loaded.scenario.duration;
const meta = events.filter((e) => e.ph === 'M');
const timed = events.filter((e) => e.ph !== 'M');
const threadName = (e: { pid: number; tid: number }): string | undefined => meta.find((m) => m.name === 'thread_name' && m.pid === e.pid && m.tid === e.tid)?.args?.name as string | undefined;

/** The rules of the JSON trace event format that ui.perfetto.dev's importer relies on, checked on a real run. */
describe('the timeline trace (--trace)', () => {
  it('does not change the run it records', () => {
    expect(result.files).toEqual(runScenario(loaded, { seed: 42 }).files);
  });

  it('is the same bytes for the same scenario and seed', () => {
    expect(runScenario(loaded, { seed: 42, timeline: true }).timeline).toBe(result.timeline);
  });

  it('has only known phases, integer times within the run, metadata first and the rest in time order', () => {
    expect(new Set(events.map((e) => e.ph))).toEqual(new Set(['M', 'X', 'i', 's', 'f', 'b', 'e']));
    expect(events.findIndex((e) => e.ph !== 'M')).toBe(meta.length);
    for (const e of timed) {
      expect(Number.isInteger(e.ts) && e.ts! >= 0 && e.ts! + (e.dur ?? 0) <= horizon, JSON.stringify(e)).toBe(true);
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    expect(timed.map((e) => e.ts)).toEqual(timed.map((e) => e.ts).sort((a, b) => a! - b!));
  });

  it('names every process and track an event is on', () => {
    for (const e of timed) {
      expect(meta.some((m) => m.name === 'process_name' && m.pid === e.pid), `pid ${e.pid}`).toBe(true);
      expect(threadName(e), `${e.pid}/${e.tid}`).toBeDefined();
    }
    expect(meta.filter((m) => m.name === 'process_name').map((m) => m.args!.name)).toEqual(['aws / aws-east', 'aws / aws-west', 'gcp / gcp-central', 'azure / azure-east', 'faults']);
  });

  it('binds every flow arrow: one start and one end per id, each on a slice at its instant, the end not before the start', () => {
    const starts = new Map(timed.filter((e) => e.ph === 's').map((e) => [e.id!, e]));
    const ends = timed.filter((e) => e.ph === 'f');
    expect(ends.length).toBe(starts.size);
    expect(new Set(ends.map((e) => e.id)).size).toBe(ends.length);
    const slices = new Set(timed.filter((e) => e.ph === 'X').map((e) => `${e.pid}/${e.tid}/${e.ts}`));
    for (const f of ends) {
      const s = starts.get(f.id!)!;
      expect(s, f.id).toBeDefined();
      expect(f.bp).toBe('e');
      expect(f.ts!).toBeGreaterThanOrEqual(s.ts!);
      expect(slices.has(`${s.pid}/${s.tid}/${s.ts}`) && slices.has(`${f.pid}/${f.tid}/${f.ts}`), f.id).toBe(true);
    }
    expect(ends.length).toBeGreaterThan(1000);
  });

  it('pairs every async transfer span', () => {
    const begins = timed.filter((e) => e.ph === 'b');
    const ends = new Map(timed.filter((e) => e.ph === 'e').map((e) => [e.id!, e]));
    expect(begins.length).toBe(ends.size);
    for (const b of begins) expect(ends.get(b.id!)!.ts!).toBeGreaterThanOrEqual(b.ts!);
  });

  it('shows the crash, the fault and the verdicts where the run put them', () => {
    // node-loss.yml: aws-east-2 and its disk lost at 30 s, never back.
    const down = timed.filter((e) => e.ph === 'X' && e.cat === 'node');
    expect(down.map((e) => [threadName(e), e.name, e.ts, e.dur])).toEqual([['aws-east-2', 'down', 30e6, horizon - 30e6]]);
    const faults = timed.filter((e) => e.cat === 'fault');
    expect(faults.map((e) => [threadName(e), e.name, e.ts])).toEqual([['fault 0: node_loss', 'node_loss aws-east-2', 30e6]]);
    const verdicts = timed.filter((e) => e.cat === 'detector');
    expect(verdicts.length).toBeGreaterThan(0);
    for (const v of verdicts) expect([threadName(v), v.ts! >= 30e6]).toEqual(['aws-east-2', true]);
    expect(new Set(verdicts.map((v) => v.args!.state))).toEqual(new Set(['suspected', 'failed']));
  });
});

describe('thinning a stream for the trace', () => {
  it('keeps at most the cap, evenly spaced, and says how it thinned', () => {
    const t = new Thinned<number>(1000);
    for (let i = 0; i < 100_000; i++) {
      const seq = t.next();
      if (seq >= 0) t.keep(seq, i);
    }
    const { items, of, every } = t.result();
    expect(of).toBe(100_000);
    expect(every).toBe(128);
    expect(items.length).toBe(Math.ceil(100_000 / 128));
    expect(items.every((v, i) => v === i * 128)).toBe(true);
  });
});

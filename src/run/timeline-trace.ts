import type { FaultRecord } from '../chaos/index.js';
import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { TimelineTap, TopologySpec } from '../world/index.js';

/**
 * Most messages, bulk transfers and detector verdicts one trace keeps, each.
 * Above a cap the stream is thinned uniformly over the run (every 2nd, 4th,
 * ... one kept), so a 1,000-node hour still opens in ui.perfetto.dev
 * (docs/outputs.md, "Timeline trace"). Crashes, pauses, faults and
 * elections are never thinned.
 */
export const TRACE_CAPS = { messages: 10_000, transfers: 10_000, verdicts: 10_000 } as const;

/**
 * Keeps every stride-th item of a stream, doubling the stride (and dropping
 * what no longer fits it) whenever more than `cap` are kept: a deterministic,
 * uniform sample in bounded memory, whatever the stream's length.
 */
export class Thinned<T> {
  private stride = 1;
  private seen = 0;
  private kept: Array<{ seq: number; item: T }> = [];

  constructor(private readonly cap: number) {}

  /** Numbers the next item of the stream: its sequence number if it would be kept now, else -1. */
  next(): number {
    const seq = this.seen++;
    return seq % this.stride === 0 ? seq : -1;
  }

  /** Keeps the item numbered `seq` if the stride still admits it. */
  keep(seq: number, item: T): void {
    if (seq % this.stride !== 0) return;
    this.kept.push({ seq, item });
    if (this.kept.length > this.cap) {
      this.stride *= 2;
      this.kept = this.kept.filter((k) => k.seq % this.stride === 0);
    }
  }

  /** What was kept, and of how many. */
  result(): { items: T[]; of: number; every: number } {
    return { items: this.kept.map((k) => k.item), of: this.seen, every: this.stride };
  }
}

interface Message { from: number; to: number; port: string; at: SimTime; end: SimTime; delivered: boolean }
interface Transfer { from: number; to: number; port: string; bytes: number; at: SimTime; end: SimTime; ok: boolean }
interface Verdict { observer: number; subject: number; state: string; at: SimTime }
interface Span { node: number; name: string; at: SimTime; end: SimTime }
interface Moment { node: number; name: string; at: SimTime; args: Record<string, string | number> }

/** One Chrome trace event (the JSON trace event format that Perfetto and chrome://tracing read). */
type TraceEvent = Record<string, unknown>;

/** Which milestones open and close a state on a node's track. */
const STATE_OPENED: Readonly<Record<string, string>> = { crash: 'down', pause: 'paused' };
const STATE_CLOSED: Readonly<Record<string, string>> = { restart: 'down', resume: 'paused' };

/**
 * A run as a timeline trace (Chrome JSON trace event format), for
 * ui.perfetto.dev: a process per region (named cloud / region), on it a
 * track per node with its down and paused spans, detector verdicts about it
 * and elections it won, and a "net" track per node where messages and bulk
 * transfers leave and arrive, joined by flow arrows; and a "faults" process
 * with a track per fault spanning its window. Built while the run goes
 * (a TimelineTap on the world, plus telemetry), in bounded memory.
 */
export class TimelineTrace implements TimelineTap {
  private readonly messages = new Thinned<Message>(TRACE_CAPS.messages);
  private readonly transfers = new Thinned<Transfer>(TRACE_CAPS.transfers);
  private readonly verdicts = new Thinned<Verdict>(TRACE_CAPS.verdicts);
  /** Messages in flight by network slot, only those the sample may keep. */
  private readonly inFlight = new Map<number, { seq: number; from: number; to: number; port: string; at: SimTime }>();
  private readonly open = new Map<string, SimTime>();
  private readonly spans: Span[] = [];
  private readonly moments: Moment[] = [];

  constructor(private readonly topology: TopologySpec, private readonly now: () => SimTime) {}

  event(kind: string, node: number, detail: string): void {
    if (node < 0) return;
    const opened = STATE_OPENED[kind];
    const closed = STATE_CLOSED[kind];
    if (opened !== undefined) {
      if (!this.open.has(`${node}/${opened}`)) this.open.set(`${node}/${opened}`, this.now());
    } else if (closed !== undefined) this.close(node, closed);
    else if (kind === 'disk_fail') this.moments.push({ node, name: 'disk failed', at: this.now(), args: {} });
    else if (kind === 'unsynced_lost') this.moments.push({ node, name: 'unsynced write lost', at: this.now(), args: { key: detail } });
  }

  private close(node: number, state: string): void {
    const at = this.open.get(`${node}/${state}`);
    if (at === undefined) return;
    this.open.delete(`${node}/${state}`);
    this.spans.push({ node, name: state, at, end: this.now() });
  }

  sent(slot: number, from: number, to: number, port: string): void {
    const seq = this.messages.next();
    if (seq >= 0) this.inFlight.set(slot, { seq, from, to, port, at: this.now() });
  }

  arrived(slot: number, delivered: boolean): void {
    const m = this.inFlight.get(slot);
    if (m === undefined) return;
    this.inFlight.delete(slot);
    this.messages.keep(m.seq, { from: m.from, to: m.to, port: m.port, at: m.at, end: this.now(), delivered });
  }

  transferred(from: number, to: number, port: string, bytes: number, started: SimTime, ok: boolean): void {
    const seq = this.transfers.next();
    if (seq >= 0) this.transfers.keep(seq, { from, to, port, bytes, at: started, end: this.now(), ok });
  }

  /** The systems' telemetry: detector verdicts and elections. */
  telemetry(e: TelemetryEvent): void {
    if (e.kind === 'detector' && e.state !== 'healthy') {
      const seq = this.verdicts.next();
      if (seq >= 0) this.verdicts.keep(seq, { observer: e.observer, subject: e.subject, state: e.state, at: this.now() });
    } else if (e.kind === 'raft_role' && e.role === 'leader') {
      this.moments.push({ node: e.node, name: `Raft leader, term ${e.term}`, at: this.now(), args: { term: e.term } });
    } else if (e.kind === 'coord_role' && e.coordinator) {
      this.moments.push({ node: e.node, name: `coordinator, term ${e.term}`, at: this.now(), args: { term: e.term } });
    }
  }

  /** The trace file's text, with states still open closed at the horizon and the faults' windows from the timeline. */
  finish(horizon: SimTime, faults: readonly FaultRecord[]): string {
    for (const key of [...this.open.keys()]) {
      const [node, state] = key.split('/') as [string, string];
      this.close(Number(node), state);
    }
    const { nodes, regions } = this.topology;
    const regionIndex = new Map(regions.map((r, i) => [r.name, i]));
    const pidOf = (node: number): number => regionIndex.get(nodes[node]!.region)! + 1;
    const tidOf = (node: number): number => node + 1;
    const netTid = (node: number): number => nodes.length + node + 1;
    const faultPid = regions.length + 1;
    const name = (node: number): string => nodes[node]!.name;

    const meta: TraceEvent[] = [];
    regions.forEach((r, i) => {
      meta.push({ ph: 'M', name: 'process_name', pid: i + 1, tid: 0, args: { name: `${r.cloud} / ${r.name}` } });
      meta.push({ ph: 'M', name: 'process_sort_index', pid: i + 1, tid: 0, args: { sort_index: i + 1 } });
    });
    nodes.forEach((n, i) => {
      meta.push({ ph: 'M', name: 'thread_name', pid: pidOf(i), tid: tidOf(i), args: { name: n.name } });
      meta.push({ ph: 'M', name: 'thread_sort_index', pid: pidOf(i), tid: tidOf(i), args: { sort_index: 2 * i } });
      meta.push({ ph: 'M', name: 'thread_name', pid: pidOf(i), tid: netTid(i), args: { name: `${n.name} net` } });
      meta.push({ ph: 'M', name: 'thread_sort_index', pid: pidOf(i), tid: netTid(i), args: { sort_index: 2 * i + 1 } });
    });
    meta.push({ ph: 'M', name: 'process_name', pid: faultPid, tid: 0, args: { name: 'faults' } });
    meta.push({ ph: 'M', name: 'process_sort_index', pid: faultPid, tid: 0, args: { sort_index: 0 } });

    const timed: TraceEvent[] = [];
    for (const s of this.spans) timed.push({ ph: 'X', cat: 'node', name: s.name, ts: s.at, dur: s.end - s.at, pid: pidOf(s.node), tid: tidOf(s.node) });
    for (const m of this.moments) timed.push({ ph: 'i', s: 't', cat: 'node', name: m.name, ts: m.at, pid: pidOf(m.node), tid: tidOf(m.node), args: m.args });
    const verdicts = this.verdicts.result();
    for (const v of verdicts.items) {
      timed.push({ ph: 'i', s: 't', cat: 'detector', name: `${v.state} by ${name(v.observer)}`, ts: v.at, pid: pidOf(v.subject), tid: tidOf(v.subject), args: { observer: name(v.observer), state: v.state } });
    }
    this.faultEvents(faults, faultPid, horizon, meta, timed);
    const messages = this.messages.result();
    messages.items.forEach((m, id) => {
      const args = { from: name(m.from), to: name(m.to) };
      timed.push({ ph: 'X', cat: 'msg', name: m.port, ts: m.at, dur: 0, pid: pidOf(m.from), tid: netTid(m.from), args });
      timed.push({ ph: 's', cat: 'msg', name: m.port, id: `m${id}`, ts: m.at, pid: pidOf(m.from), tid: netTid(m.from) });
      timed.push({ ph: 'X', cat: 'msg', name: m.delivered ? m.port : `${m.port} (dropped)`, ts: m.end, dur: 0, pid: pidOf(m.to), tid: netTid(m.to), args });
      timed.push({ ph: 'f', bp: 'e', cat: 'msg', name: m.port, id: `m${id}`, ts: m.end, pid: pidOf(m.to), tid: netTid(m.to) });
    });
    const transfers = this.transfers.result();
    transfers.items.forEach((t, id) => {
      const args = { from: name(t.from), to: name(t.to), bytes: t.bytes, ok: t.ok };
      const label = `${t.port} ${t.bytes} B${t.ok ? '' : ' (failed)'}`;
      timed.push({ ph: 'b', cat: 'transfer', name: label, id: `t${id}`, ts: t.at, pid: pidOf(t.from), tid: netTid(t.from), args });
      timed.push({ ph: 'e', cat: 'transfer', name: label, id: `t${id}`, ts: t.end, pid: pidOf(t.from), tid: netTid(t.from) });
      timed.push({ ph: 'X', cat: 'transfer', name: label, ts: t.at, dur: 0, pid: pidOf(t.from), tid: netTid(t.from), args });
      timed.push({ ph: 's', cat: 'transfer', name: t.port, id: `tf${id}`, ts: t.at, pid: pidOf(t.from), tid: netTid(t.from) });
      timed.push({ ph: 'X', cat: 'transfer', name: label, ts: t.end, dur: 0, pid: pidOf(t.to), tid: netTid(t.to), args });
      timed.push({ ph: 'f', bp: 'e', cat: 'transfer', name: t.port, id: `tf${id}`, ts: t.end, pid: pidOf(t.to), tid: netTid(t.to) });
    });
    // In time order (a stable sort: same-instant events keep the order they were made in).
    timed.sort((a, b) => (a.ts as number) - (b.ts as number));
    const sampled = (r: { of: number; every: number }): { total: number; kept_every: number } => ({ total: r.of, kept_every: r.every });
    const about = {
      generator: 'Lorenz',
      time_unit: 'simulated microseconds',
      horizon_us: horizon,
      messages: sampled(messages),
      transfers: sampled(transfers),
      detector_verdicts: sampled(verdicts),
    };
    return `{"displayTimeUnit":"ms","otherData":${JSON.stringify(about)},"traceEvents":[\n${[...meta, ...timed].map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
  }

  /** A track per fault under the "faults" process: a slice over its window (to the horizon if it never ended), an instant where it waited for a role's holder. */
  private faultEvents(faults: readonly FaultRecord[], pid: number, horizon: SimTime, meta: TraceEvent[], timed: TraceEvent[]): void {
    const started = new Map<number, FaultRecord>();
    const ended = new Set<number>();
    const named = new Set<number>();
    const track = (f: FaultRecord): number => {
      if (!named.has(f.index)) meta.push({ ph: 'M', name: 'thread_name', pid, tid: f.index + 1, args: { name: `fault ${f.index}: ${f.kind}` } });
      named.add(f.index);
      return f.index + 1;
    };
    for (const f of faults) {
      if (f.phase === 'start') started.set(f.index, f);
      else if (f.phase === 'end') {
        const s = started.get(f.index);
        if (s === undefined) continue;
        ended.add(f.index);
        timed.push({ ph: 'X', cat: 'fault', name: `${s.kind} ${s.targets}`, ts: s.time, dur: f.time - s.time, pid, tid: track(s), args: { kind: s.kind, targets: s.targets } });
      } else timed.push({ ph: 'i', s: 't', cat: 'fault', name: `${f.kind} ${f.phase}`, ts: f.time, pid, tid: track(f), args: { targets: f.targets } });
    }
    for (const [index, s] of started) {
      if (ended.has(index)) continue;
      timed.push({ ph: 'X', cat: 'fault', name: `${s.kind} ${s.targets}`, ts: s.time, dur: Math.max(0, horizon - s.time), pid, tid: track(s), args: { kind: s.kind, targets: s.targets } });
    }
  }
}

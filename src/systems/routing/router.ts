import type { SimTime } from '../../kernel/index.js';
import type { NodeRuntime, Port, TransferHandle } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import type { NodeRegistry } from '../registry.js';
import type { Telemetry } from '../telemetry.js';
import { RoutingPort, type RelayDone, type RelayRequest } from './messages.js';
import { PathRates } from './path-rates.js';

/** A relayed path is taken only when it is expected at least this many times faster than the direct one. */
export const RELAY_GAIN = 2;
/** While relaying to a region, every DIRECT_EVERY-th transfer there still goes direct, so the direct path is measured again and relaying stops once it has recovered. */
export const DIRECT_EVERY = 8;
/** How an unreported onward hop from a region in the sender's or the destination's cloud is rated: likely on the same troubled interconnect. */
const UNKNOWN_SAME_CLOUD = 0.25;
/** How often transfers in flight to other regions are looked at (only while there are some). */
export const LOOK_EVERY: SimTime = 1_000_000;
/** A relayed transfer whose relay never answered is forgotten after this long (the caller's own timeout has long acted). */
const FORGET_AFTER: SimTime = 600_000_000;

interface Relayed { onDone: ((ok: boolean) => void) | undefined; via: number; to: number; sentAt: SimTime }

/** A transfer as the router sends it: its current first hop, which a re-route replaces. */
interface Routed extends TransferHandle {
  hop: TransferHandle | undefined;
  /** While relayed: its number in `pending`. */
  relayId: number;
}

/** A direct transfer to another region in flight, with what it takes to send it again another way. */
interface DirectFlight {
  to: number;
  port: Port<unknown>;
  body: unknown;
  onDone: ((ok: boolean) => void) | undefined;
  handle: Routed;
  /** Bytes sent at the last look, and when (monotonic). */
  sentThen: number;
  lookedAt: SimTime;
}

/**
 * Document 004's network topology optimizer, on every node (`pipeline.routing:
 * relay`). Bulk transfers go direct while that is the fastest path this node
 * has measured; when its transfers to a region run more than RELAY_GAIN
 * times slower than a path through a third region (a brownout, a throttled
 * or lossy interconnect), they go through a node there, which sends them on,
 * and transfers already crawling along the slow path are stopped and sent
 * that way too. A relayed transfer really crosses both links, with their
 * bandwidth, latency and faults; the relay reports how its hop went.
 *
 * Rates come only from this node's own traffic (every LOOK_EVERY, while
 * transfers to other regions are in flight, it reads how far each has got,
 * as a sender sees its stream's progress) and from its relays' reports.
 * Every DIRECT_EVERY-th transfer to a region it relays to still goes direct,
 * so the direct path is measured again and relaying stops once it recovers.
 *
 * Small messages are not relayed: a path cut both ways shows in the failure
 * detector and placement instead.
 */
export class Router {
  private readonly regionOf: Int32Array;
  /** Each region's cloud, as an index. */
  private readonly cloudOfRegion: Int32Array;
  private readonly membersIn: number[][];
  private readonly rates: PathRates;
  private readonly pending = new Map<number, Relayed>();
  private readonly sinceDirect: Int32Array;
  private readonly cursor: Int32Array;
  /** Direct transfers to other regions in flight, by destination region. */
  private readonly inFlight: Array<Set<DirectFlight>>;
  private flights = 0;
  private looking = false;
  private nextId = 0;

  constructor(private readonly rt: NodeRuntime, cluster: ClusterConfig, private readonly registry: NodeRegistry, private readonly telemetry: Telemetry) {
    const regionIndex = new Map<string, number>();
    for (const m of cluster.members) if (!regionIndex.has(m.region)) regionIndex.set(m.region, regionIndex.size);
    this.regionOf = Int32Array.from(cluster.members, (m) => regionIndex.get(m.region)!);
    this.membersIn = Array.from({ length: regionIndex.size }, () => []);
    const clouds = new Map<string, number>();
    this.cloudOfRegion = new Int32Array(regionIndex.size);
    for (const m of cluster.members) {
      this.membersIn[this.regionOf[m.index]!]!.push(m.index);
      if (!clouds.has(m.cloud)) clouds.set(m.cloud, clouds.size);
      this.cloudOfRegion[regionIndex.get(m.region)!] = clouds.get(m.cloud)!;
    }
    this.rates = new PathRates(regionIndex.size);
    this.sinceDirect = new Int32Array(regionIndex.size);
    this.cursor = new Int32Array(regionIndex.size);
    this.inFlight = Array.from({ length: regionIndex.size }, () => new Set());
    rt.listen(RoutingPort.forward, (from, req) => this.forward(from, req));
    rt.listen(RoutingPort.done, (_from, done) => this.done(done));
  }

  /** NodeRuntime.transfer, by the best path this node knows. */
  transfer<T>(to: number, port: Port<T>, bytes: number, body: T, onDone?: (ok: boolean) => void): TransferHandle {
    const handle: Routed = { bytes, hop: undefined, relayId: 0 };
    const dest = this.regionOf[to]!;
    const via = dest === this.regionOf[this.rt.self] ? -1 : this.relayRegion(dest, true);
    const relay = via < 0 ? -1 : this.relayIn(via, to);
    if (relay < 0) this.direct(handle, to, port as Port<unknown>, body, onDone);
    else this.relay(handle, relay, via, to, port as Port<unknown>, body, onDone);
    return handle;
  }

  /** NodeRuntime.cancelTransfer for a transfer this router sent. */
  cancel(handle: TransferHandle): void {
    const routed = handle as Routed;
    if (routed.hop) this.rt.cancelTransfer(routed.hop);
    if (routed.relayId) this.pending.delete(routed.relayId);
    for (const flights of this.inFlight) {
      for (const f of flights) {
        if (f.handle !== routed) continue;
        flights.delete(f);
        this.flights--;
      }
    }
  }

  /** NodeRuntime.transferProgress: of the current first hop. */
  progress(handle: TransferHandle): number {
    const routed = handle as Routed;
    return routed.hop ? this.rt.transferProgress(routed.hop) : 0;
  }

  private relay(handle: Routed, relay: number, via: number, to: number, port: Port<unknown>, body: unknown, onDone: ((ok: boolean) => void) | undefined): void {
    const id = ++this.nextId;
    this.forgetStale();
    this.pending.set(id, { onDone, via, to: this.regionOf[to]!, sentAt: this.rt.monotonic() });
    handle.relayId = id;
    const req: RelayRequest = { id, to, port, bytes: handle.bytes, body };
    handle.hop = this.rt.transfer(relay, RoutingPort.forward, handle.bytes, req, (ok) => {
      if (ok) return;
      // The first hop broke: the transfer did not happen.
      this.pending.delete(id);
      onDone?.(false);
    });
  }

  private direct(handle: Routed, to: number, port: Port<unknown>, body: unknown, onDone: ((ok: boolean) => void) | undefined): void {
    const region = this.regionOf[to]!;
    const started = this.rt.monotonic();
    handle.relayId = 0;
    if (region === this.regionOf[this.rt.self]) {
      handle.hop = this.rt.transfer(to, port, handle.bytes, body, onDone);
      return;
    }
    const flight: DirectFlight = { to, port, body, onDone, handle, sentThen: 0, lookedAt: started };
    this.inFlight[region]!.add(flight);
    this.flights++;
    handle.hop = this.rt.transfer(to, port, handle.bytes, body, (ok) => {
      if (this.inFlight[region]!.delete(flight)) this.flights--;
      if (ok && handle.bytes > flight.sentThen) {
        this.rates.recordDirect(region, ((handle.bytes - flight.sentThen) * 1e6) / Math.max(1, this.rt.monotonic() - flight.lookedAt));
      }
      onDone?.(ok);
    });
    this.lookLater();
  }

  /** Looks at transfers in flight every LOOK_EVERY while there are any. */
  private lookLater(): void {
    if (this.looking || this.flights === 0) return;
    this.looking = true;
    this.rt.setTimer(LOOK_EVERY, () => {
      this.looking = false;
      this.look();
      this.lookLater();
    });
  }

  /**
   * Each direct transfer in flight: its rate since the last look is a
   * sample of its path; one whose rest would take longer than RELAY_GAIN
   * times the whole of it through the best relay is stopped and sent that
   * way (from its first byte).
   */
  private look(): void {
    const now = this.rt.monotonic();
    for (let region = 0; region < this.inFlight.length; region++) {
      const flights = this.inFlight[region]!;
      if (flights.size === 0) continue;
      for (const f of flights) {
        const sent = this.rt.transferProgress(f.handle.hop!);
        // All of it has left: what remains is the link's latency, not its rate.
        if (sent >= f.handle.bytes || now - f.lookedAt <= 0) continue;
        this.rates.recordDirect(region, ((sent - f.sentThen) * 1e6) / (now - f.lookedAt));
        f.sentThen = sent;
        f.lookedAt = now;
      }
      const via = this.relayRegion(region, false);
      if (via < 0) continue;
      const relayRate = this.rates.relayRate(via, region, this.unknownShare(region, via));
      const directRate = this.rates.directRate(region);
      for (const f of [...flights]) {
        const left = ((f.handle.bytes - f.sentThen) * 1e6) / Math.max(1, directRate);
        const relayed = (f.handle.bytes * 1e6) / relayRate;
        if (left <= RELAY_GAIN * relayed) continue;
        const relay = this.relayIn(via, f.to);
        if (relay < 0) break;
        flights.delete(f);
        this.flights--;
        if (f.handle.hop) this.rt.cancelTransfer(f.handle.hop);
        this.relay(f.handle, relay, via, f.to, f.port, f.body, f.onDone);
      }
    }
  }

  /** The region to relay through to reach `dest`, or -1 to go direct; `explore`: every DIRECT_EVERY-th time go direct anyway, to measure it again. */
  private relayRegion(dest: number, explore: boolean): number {
    const direct = this.rates.directRate(dest);
    if (direct === 0) return -1;
    const home = this.regionOf[this.rt.self]!;
    let best = -1;
    let bestRate = RELAY_GAIN * direct;
    // Regions of a third cloud first: a region of either end's cloud is tried only when none of those will do.
    for (const apart of [true, false]) {
      for (let via = 0; via < this.membersIn.length && best < 0; via++) {
        if (via === home || via === dest || this.apart(dest, via) !== apart) continue;
        const rate = this.rates.relayRate(via, dest, this.unknownShare(dest, via));
        if (rate > bestRate) {
          best = via;
          bestRate = rate;
        }
      }
      if (best >= 0) break;
    }
    if (explore && best >= 0 && ++this.sinceDirect[dest]! % DIRECT_EVERY === 0) return -1;
    return best;
  }

  /** Whether `via` is in a third cloud, neither this node's nor `dest`'s. */
  private apart(dest: number, via: number): boolean {
    const cloud = this.cloudOfRegion[via]!;
    return cloud !== this.cloudOfRegion[this.regionOf[this.rt.self]!]! && cloud !== this.cloudOfRegion[dest]!;
  }

  /** How an unreported hop from `via` to `dest` is rated: a region of a third cloud likely reaches it over other links; one in either end's cloud likely shares their trouble. */
  private unknownShare(dest: number, via: number): number {
    return this.apart(dest, via) ? 1 : UNKNOWN_SAME_CLOUD;
  }

  /** A member of region `via` this node believes healthy, in turn; -1 if none. */
  private relayIn(via: number, to: number): number {
    const members = this.membersIn[via]!;
    for (let i = 0; i < members.length; i++) {
      const m = members[(this.cursor[via]! + i) % members.length]!;
      if (m !== to && m !== this.rt.self && this.registry.healthy(m)) {
        this.cursor[via] = (this.cursor[via]! + i + 1) % members.length;
        return m;
      }
    }
    return -1;
  }

  /** As a relay: send the payload on, then tell the origin how it went. */
  private forward(origin: number, req: RelayRequest): void {
    const started = this.rt.monotonic();
    this.rt.transfer(req.to, req.port, req.bytes, req.body, (ok) => {
      const rate = ok ? (req.bytes * 1e6) / Math.max(1, this.rt.monotonic() - started) : 0;
      if (ok) this.telemetry.emit({ kind: 'relayed', node: this.rt.self, bytes: req.bytes });
      this.rt.send(origin, RoutingPort.done, { id: req.id, ok, rate } satisfies RelayDone);
    });
  }

  private done(d: RelayDone): void {
    const p = this.pending.get(d.id);
    if (!p) return;
    this.pending.delete(d.id);
    if (d.ok) this.rates.recordOnward(p.via, p.to, d.rate);
    p.onDone?.(d.ok);
  }

  /** Relays that died never answer: their entries go after FORGET_AFTER, checked as new ones are made. */
  private forgetStale(): void {
    if (this.pending.size < 256) return;
    const now = this.rt.monotonic();
    for (const [id, p] of this.pending) if (now - p.sentAt > FORGET_AFTER) this.pending.delete(id);
  }
}

/** `rt` with its bulk transfers routed by `router`; everything else is `rt`'s own. */
export function routedRuntime(rt: NodeRuntime, router: Router): NodeRuntime {
  return {
    get self() { return rt.self; },
    get name() { return rt.name; },
    now: () => rt.now(),
    monotonic: () => rt.monotonic(),
    send: (to, port, body) => rt.send(to, port, body),
    listen: (port, handler) => rt.listen(port, handler),
    transfer: (to, port, bytes, body, onDone) => router.transfer(to, port, bytes, body, onDone),
    cancelTransfer: (transfer) => router.cancel(transfer),
    transferProgress: (transfer) => router.progress(transfer),
    setTimer: (delay, fn) => rt.setTimer(delay, fn),
    cancelTimer: (timer) => rt.cancelTimer(timer),
    timerSet: (fire) => rt.timerSet(fire),
    get disk() { return rt.disk; },
    get logDisk() { return rt.logDisk; },
    rng: (purpose) => rt.rng(purpose),
    leave: () => rt.leave(),
  };
}

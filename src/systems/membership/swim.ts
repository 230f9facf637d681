import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime, TimerHandle, TimerSet } from '../../world/runtime.js';
import type { MemberState, NodeRegistry } from '../registry.js';
import type { MemberTables } from '../member-tables.js';
import { GossipBuffer } from './gossip-buffer.js';
import { expectedConfirmations, LocalHealth, suspicionBounds, suspicionTimeout } from './lifeguard.js';
import { IncarnationBook, KnownIncarnations } from './incarnations.js';
import { otherMember, ProbeOrder, RandomProbes } from './probe-order.js';
import { SwimPort, type Ack, type Ping, type PingReq, type SwimStatus, type SwimUpdate } from './messages.js';
import type { SwimOptions } from './options.js';
import { Beliefs, type Verdict } from './verdicts.js';

const TO_STATE: Record<SwimStatus, MemberState> = { alive: 'healthy', suspect: 'suspected', dead: 'failed' };
/**
 * A member's status as one byte: the code (MEMBER_STATE_CODE, pinned by the
 * tests) of the verdict it maps to, since a node's statuses are its
 * registry's verdict codes (see `status`).
 */
const ALIVE = 0;
const SUSPECT = 1;
const DEAD = 2;

/**
 * SWIM: each period a node pings one member (round-robin in a random order
 * drawn anew each round); without an ack within `pingTimeout` it asks `indirectProbes` others
 * to ping it; without any ack by the end of the period the member is
 * suspected. A suspect that does not refute (by raising its incarnation)
 * within `suspicionTimeout` is declared dead. Membership updates ride on
 * pings and acks, so load per node stays constant as the cluster grows.
 */
export class SwimDetector {
  /**
   * Each member's status (ALIVE, SUSPECT, DEAD): the registry's verdict
   * codes, read here and changed through `beliefs` (an accepted rumour
   * changes both at once, and nothing else changes either for a member).
   * Members that left are dead to SWIM: see `statusOf`.
   */
  private readonly status: ArrayLike<number>;
  /** Members this node saw leave (`registry.depart` with it present): rare, so kept apart from the table. */
  private gone: Set<number> | undefined;
  private readonly size: number;
  private readonly incarnations: KnownIncarnations;
  /** One timer per suspected member, its incarnation as the data: after a partition into halves a node suspects half the cluster at once. */
  private readonly suspicionTimers: TimerSet;
  /** Lifeguard only: per suspected member, when the suspicion began and who has confirmed it (the first suspecter included). */
  private readonly suspicions = new Map<number, { since: number; incarnation: number; confirmers: Set<number> }>();
  /** Lifeguard only: this node's local health, stretching its probing when it is itself in trouble. */
  private readonly health: LocalHealth | undefined;
  /** Lifeguard only: the suspicion's shortest and longest spans and the confirmations it waits for. */
  private readonly bounds: { min: number; max: number; expected: number } | undefined;
  /** Updates to piggyback, with remaining transmissions, oldest first. */
  private readonly gossip: GossipBuffer;
  private readonly beliefs: Beliefs;
  private readonly rng: Rng;
  private readonly order: ProbeOrder | RandomProbes;
  // Made once, not per period: a period runs once a second on every node.
  private readonly isDead = (member: number): boolean => this.status[member] === DEAD || !this.registry.present(member);
  private readonly nextPeriod = (): void => this.period();
  private seq = 0;
  /** Probe in progress: its target and whether an ack came. */
  private probe: { seq: number; target: number; acked: boolean; timeout: TimerHandle } | undefined;
  /** Pings sent on behalf of others: our seq -> (requester, their seq, the timer that forgets it). */
  private readonly relays = new Map<number, { requester: number; seq: number; expiry: TimerHandle }>();
  private ownIncarnation: number;

  /**
   * `tables` hands out this node's per-member tables and says how many
   * members there are (the peers are every other one); `book` is the run's
   * table of announced incarnations, one for all nodes (see incarnations.ts).
   */
  constructor(private readonly rt: NodeRuntime, private readonly opts: SwimOptions, verdict: Verdict, tables: MemberTables, book: IncarnationBook, private readonly registry: NodeRegistry) {
    const size = (this.size = tables.members);
    this.beliefs = new Beliefs(registry, verdict);
    this.status = registry.verdictCodes;
    this.incarnations = new KnownIncarnations(book, tables.shorts('swim/incarnations', rt.self));
    this.suspicionTimers = rt.timerSet((member, incarnation) => {
      if (this.status[member] === SUSPECT && this.incarnations.get(member) === incarnation) {
        this.apply({ subject: member, status: 'dead', incarnation });
      }
    });
    this.rng = rt.rng('swim');
    this.order = opts.probeOrder === 'random'
      ? new RandomProbes(size, rt.self, this.rng)
      : new ProbeOrder(size, rt.self, this.rng, size - 1 < 0xffff ? tables.shorts('swim/order', rt.self) : undefined);
    // The monotonic clock at boot is a fresh, ever-larger incarnation: a restarted node outranks its old death.
    this.ownIncarnation = rt.monotonic();
    const lifeguard = opts.lifeguard;
    if (lifeguard) {
      this.health = new LocalHealth(lifeguard.maxHealth);
      this.bounds = { ...suspicionBounds(lifeguard, size, opts.period), expected: expectedConfirmations(lifeguard, size) };
    }
    // A rumour in the buffer always says what this node believes of its subject now (see GossipBuffer), so it is read from here.
    const self = rt.self;
    const rumours = {
      status: (subject: number): number => (subject === self ? ALIVE : this.status[subject]!),
      incarnation: (subject: number): number => (subject === self ? this.ownIncarnation : this.incarnations.get(subject)),
    };
    this.gossip = new GossipBuffer(opts.retransmitMultiplier * Math.ceil(Math.log2(size + 1)), tables, rt.self, rumours, lifeguard !== undefined);
    this.spread({ subject: rt.self, status: 'alive', incarnation: this.ownIncarnation });
    // Members come and go by the roster (a hello, an announced departure); SWIM watches members only.
    // A joiner is alive from its admission (the registry's verdict on it is healthy).
    registry.onRosterChange((member, change) => {
      if (change === 'draining') return;
      this.cancelSuspicion(member);
      if (change === 'left') (this.gone ??= new Set()).add(member);
    });
    rt.listen(SwimPort.ping, (from, ping) => this.onPing(from, ping));
    rt.listen(SwimPort.pingReq, (from, req) => this.onPingReq(from, req));
    rt.listen(SwimPort.ack, (from, ack) => this.onAck(from, ack));
    this.period();
  }

  // --- probing -------------------------------------------------------------

  /** The i-th other member, in index order. */
  private peer(i: number): number {
    return otherMember(i, this.rt.self);
  }

  private period(): void {
    const health = this.health;
    const previous = this.probe;
    const missed = previous !== undefined && !previous.acked;
    if (missed) health?.worse();
    // Lifeguard: a node in poor local health probes less often and waits longer for answers.
    this.rt.setTimer(health ? health.scale(this.opts.period) : this.opts.period, this.nextPeriod);
    if (missed) this.suspect(previous.target, this.incarnations.get(previous.target));
    const target = this.order.next(this.isDead);
    this.probe = undefined;
    if (target === undefined) return;
    const seq = ++this.seq;
    const updates = this.piggyback();
    // Lifeguard's buddy system: a ping to a suspect tells it so first, so it refutes at once.
    if (health && this.status[target] === SUSPECT) updates.unshift(this.suspicionOf(target));
    this.rt.send(target, SwimPort.ping, { seq, updates });
    // Cancelled when the ack comes in time, which is most rounds: no event then.
    const timeout = this.rt.setTimer(health ? health.scale(this.opts.pingTimeout) : this.opts.pingTimeout, () => {
      if (this.probe?.seq !== seq || this.probe.acked) return;
      for (const h of this.helpers(target)) this.rt.send(h, SwimPort.pingReq, { seq, target, updates: this.piggyback() });
    });
    this.probe = { seq, target, acked: false, timeout };
  }

  /**
   * Up to `indirectProbes` distinct members believed alive, other than
   * `target`, uniformly at random. Drawn by rejection, O(probes) while most
   * members are alive rather than a shuffle of every peer per missed ack;
   * when draws keep missing (few alive), the rest come from a shuffle of
   * those eligible.
   */
  private helpers(target: number): number[] {
    const want = this.opts.indirectProbes;
    const peers = this.size - 1;
    const picked: number[] = [];
    const eligible = (p: number) => p !== target && this.status[p] === ALIVE && this.registry.present(p) && !picked.includes(p);
    for (let tries = 0; picked.length < want && tries < 4 * want + 8 && peers > 0; tries++) {
      const p = this.peer(this.rng.int(0, peers - 1));
      if (eligible(p)) picked.push(p);
    }
    if (picked.length < want) {
      const rest: number[] = [];
      for (let i = 0; i < peers; i++) if (eligible(this.peer(i))) rest.push(this.peer(i));
      picked.push(...this.rng.shuffled(rest).slice(0, want - picked.length));
    }
    return picked;
  }

  private onPing(from: number, ping: Ping): void {
    // A ping from a machine not known as a member: it has joined (discovery by contact).
    if (!this.registry.present(from)) this.registry.admit(from);
    this.absorb(ping.updates);
    const updates = this.piggyback();
    // Lifeguard's buddy system, answering: a member we hold suspect or dead hears so from us, so it can refute (its own rumour may be spent by now).
    const status = this.statusOf(from);
    if (this.health && status !== ALIVE) updates.unshift(status === SUSPECT ? this.suspicionOf(from) : { subject: from, status: 'dead', incarnation: this.incarnations.get(from) });
    this.rt.send(from, SwimPort.ack, { seq: ping.seq, from: this.rt.self, updates });
  }

  private onPingReq(from: number, req: PingReq): void {
    this.absorb(req.updates);
    const seq = ++this.seq;
    this.rt.send(req.target, SwimPort.ping, { seq, updates: this.piggyback() });
    this.relays.set(seq, { requester: from, seq: req.seq, expiry: this.rt.setTimer(this.opts.period, () => this.relays.delete(seq)) });
  }

  private onAck(_from: number, ack: Ack): void {
    this.absorb(ack.updates);
    const relay = this.relays.get(ack.seq);
    if (relay) {
      this.relays.delete(ack.seq);
      this.rt.cancelTimer(relay.expiry);
      this.rt.send(relay.requester, SwimPort.ack, { seq: relay.seq, from: ack.from, updates: this.piggyback() });
      return;
    }
    if (this.probe && this.probe.seq === ack.seq && this.probe.target === ack.from && !this.probe.acked) {
      this.probe.acked = true;
      this.rt.cancelTimer(this.probe.timeout);
      this.health?.better();
    }
  }

  // --- membership state ----------------------------------------------------

  private suspect(member: number, incarnation: number): void {
    this.apply(this.health ? { subject: member, status: 'suspect', incarnation, from: this.rt.self } : { subject: member, status: 'suspect', incarnation });
  }

  /** The suspicion this node holds of `member`, as a rumour naming the first suspecter it heard of. */
  private suspicionOf(member: number): SwimUpdate {
    const first = this.suspicions.get(member)?.confirmers.values().next().value;
    return { subject: member, status: 'suspect', incarnation: this.incarnations.get(member), from: first ?? this.rt.self };
  }

  /** SWIM's precedence rules; accepted news is gossiped on. */
  private apply(u: SwimUpdate): void {
    if (u.subject === this.rt.self) {
      // Rumours of our own suspicion or death are refuted with a higher incarnation.
      if (u.status !== 'alive' && u.incarnation >= this.ownIncarnation) {
        // Lifeguard: being suspected is a sign this node itself is slow or cut off.
        this.health?.worse();
        this.ownIncarnation = u.incarnation + 1;
        this.spread({ subject: this.rt.self, status: 'alive', incarnation: this.ownIncarnation });
      }
      return;
    }
    // News of a machine not known as a member: an alive rumour is how a joiner is discovered; the rest is about no member.
    if (!this.registry.present(u.subject) && !(u.status === 'alive' && this.registry.admit(u.subject))) return;
    const current = this.status[u.subject]!;
    const inc = this.incarnations.get(u.subject);
    const accept =
      u.status === 'alive' ? u.incarnation > inc :
      u.status === 'suspect' ? (current === ALIVE && u.incarnation >= inc) || (current === SUSPECT && u.incarnation > inc) :
      current !== DEAD && u.incarnation >= inc;
    if (!accept) {
      if (this.bounds && u.status === 'suspect' && current === SUSPECT && u.incarnation === inc && u.from !== undefined) this.confirm(u);
      return;
    }
    this.incarnations.set(u.subject, Math.max(inc, u.incarnation));
    this.beliefs.set(u.subject, TO_STATE[u.status]);
    this.cancelSuspicion(u.subject);
    if (u.status === 'suspect') {
      if (this.bounds) {
        this.suspicions.set(u.subject, { since: this.rt.monotonic(), incarnation: u.incarnation, confirmers: new Set([u.from ?? this.rt.self]) });
        this.armSuspicion(u.subject, u.incarnation, this.bounds.max);
      } else this.armSuspicion(u.subject, u.incarnation, this.opts.suspicionTimeout);
    }
    this.spread(u);
  }

  /** A member's status, dead once it left (elsewhere a departed member is not present, which SWIM treats alike). */
  private statusOf(member: number): number {
    return this.gone?.has(member) ? DEAD : this.status[member]!;
  }

  private armSuspicion(member: number, incarnation: number, after: number): void {
    this.suspicionTimers.arm(member, after, incarnation);
  }

  /**
   * Lifeguard: another member suspects `u.subject` too. A suspecter not
   * counted yet shortens the suspicion (never below its minimum, and at
   * once if it is already over) and its rumour is passed on, so others
   * count it as well.
   */
  private confirm(u: SwimUpdate): void {
    const s = this.suspicions.get(u.subject);
    if (!s || s.incarnation !== u.incarnation || s.confirmers.has(u.from!)) return;
    s.confirmers.add(u.from!);
    const { min, max, expected } = this.bounds!;
    const left = s.since + suspicionTimeout(s.confirmers.size - 1, expected, min, max) - this.rt.monotonic();
    this.armSuspicion(u.subject, u.incarnation, Math.max(0, left));
    this.spread(u);
  }

  private cancelSuspicion(member: number): void {
    this.suspicions.delete(member);
    this.suspicionTimers.cancel(member);
  }

  private absorb(updates: readonly SwimUpdate[]): void {
    for (const u of updates) this.apply(u);
  }

  /** Queues news this node now believes (an accepted rumour, its own refutation, a confirmation) to piggyback. */
  private spread(u: SwimUpdate): void {
    this.gossip.add(u.subject, u.from);
  }

  /** Up to maxPiggyback updates, oldest first (by when each rumour was last replaced, see GossipBuffer); each use spends one transmission. */
  private piggyback(): SwimUpdate[] {
    return this.gossip.take(this.opts.maxPiggyback);
  }
}

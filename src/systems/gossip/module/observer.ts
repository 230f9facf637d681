import { InvariantSet } from '../../../check/invariant.js';
import type { SimTime } from '../../../kernel/index.js';
import { seconds, toCsv } from '../../../metrics/csv.js';
import type { GroundTruth } from '../../../world/ground-truth.js';
import type { TelemetryEvent } from '../../telemetry.js';
import type { GossipOptions } from '../anti-entropy.js';

/** summary.json's `gossip` section. */
export interface GossipSummary {
  versions: number;
  /** Versions that reached every node that was up. */
  converged: number;
  /** Time from a version's publication to every live node knowing it, seconds. */
  p50_convergence_s: number | null;
  p95_convergence_s: number | null;
  max_convergence_s: number | null;
}

/**
 * Judges the gossip from ground truth and the nodes' reports: when each
 * version reached every node that was up (convergence), that no node ever
 * adopts a version before the source published it, and, at the end, that
 * every live node knows every version published long enough ago.
 */
export class GossipObserver {
  private readonly invariants = new InvariantSet();
  private readonly noFuture = this.invariants.declare('gossip_no_unpublished_version', 'a node adopts only versions the source has published');
  private readonly converges = this.invariants.declare('gossip_converges', 'at the end, every live node knows every version published more than 20 rounds before');
  /** Publication time of version v at v - 1. */
  private readonly created: SimTime[] = [];
  private readonly converged: SimTime[] = [];
  /** What each node knows now, by the reports of its current life. */
  private readonly known: Int32Array;

  constructor(private readonly truth: GroundTruth, private readonly opts: GossipOptions) {
    this.known = new Int32Array(truth.nodes.length);
    // A crash wipes what a node knew: it must learn it again.
    truth.onNodeState((node, event) => {
      if (event === 'crash' || event === 'leave') this.known[node.index] = 0;
    });
  }

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'gossip_version') return;
    const now = this.truth.now;
    if (e.created) this.created.push(now);
    else if (e.version > this.created.length) this.noFuture.violated(now, `${this.truth.nodeName(e.node)} adopted version ${e.version}; the source has published ${this.created.length}`);
    this.known[e.node] = e.version;
    // Versions converge in order: a node that knows v knows everything before it.
    while (this.converged.length < this.created.length && this.everyLiveNodeKnows(this.converged.length + 1)) this.converged.push(now);
  }

  private everyLiveNodeKnows(version: number): boolean {
    return this.opts.members.every((m) => !this.truth.nodes[m]!.up || this.known[m]! >= version);
  }

  finish(): void {
    const settle = 20 * this.opts.interval;
    const owed = this.created.filter((t) => t <= this.truth.now - settle).length;
    const behind = this.opts.members.filter((m) => this.truth.nodes[m]!.up && this.known[m]! < owed);
    if (behind.length > 0) this.converges.violated(this.truth.now, `${behind.length} live node(s) do not know version ${owed} (e.g. ${this.truth.nodeName(behind[0]!)} knows ${this.known[behind[0]!]})`);
  }

  results() {
    return this.invariants.results();
  }

  summary(): GossipSummary {
    const times = this.converged.map((t, i) => (t - this.created[i]!) / 1e6).sort((a, b) => a - b);
    const rank = (q: number): number | null => (times.length === 0 ? null : times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!);
    return { versions: this.created.length, converged: this.converged.length, p50_convergence_s: rank(0.5), p95_convergence_s: rank(0.95), max_convergence_s: times.at(-1) ?? null };
  }

  toCsv(): string {
    // time_s first, as in every CSV: when the version was published.
    return toCsv(['time_s', 'version', 'converged_s', 'convergence_s'], this.created.map((t, i) => {
      const c = this.converged[i];
      return [seconds(t), i + 1, c === undefined ? '' : seconds(c), c === undefined ? '' : seconds(c - t)];
    }));
  }
}

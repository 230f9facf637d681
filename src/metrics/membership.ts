import type { SimTime } from '../kernel/index.js';
import type { TelemetryEvent } from '../systems/index.js';
import type { GroundTruth } from '../world/ground-truth.js';

export interface MembershipSummary {
  /** Machines in service when the run started. */
  nodes_at_start: number;
  /** Machines in service (joined or configured, not left) and up at the end. */
  nodes_at_end: number;
  /** Standby machines that joined (by node_join or as a replacement). */
  joins: number;
  /** Nodes that left after draining, and nodes decommissioned at once. */
  drains: number;
  decommissions: number;
  /** From a node's drain announcement to its leaving, seconds (null: no drain finished). */
  drain_p50_s: number | null;
  drain_max_s: number | null;
  /** Drains still waiting for their handoff at the end. */
  drains_unfinished: number;
}

/**
 * The cluster's membership over a run: joins from the world (a standby
 * machine powered on), drains and decommissions from the nodes' own
 * announcements, and how long each drain took to hand its data off.
 */
export class MembershipCollector {
  private readonly atStart: number;
  private readonly hasStandby: boolean;
  private joins = 0;
  private drains = 0;
  private decommissions = 0;
  private readonly drainStarted = new Map<number, SimTime>();
  private readonly drainTimes: number[] = [];

  constructor(private readonly truth: GroundTruth) {
    this.atStart = truth.nodes.filter((n) => n.service === 'active').length;
    this.hasStandby = truth.nodes.some((n) => n.service === 'standby');
    truth.onNodeState((_node, event) => {
      if (event === 'join') this.joins++;
    });
  }

  observe(e: TelemetryEvent): void {
    if (e.kind !== 'roster') return;
    if (e.change === 'draining') this.drainStarted.set(e.node, this.truth.now);
    else if (e.change === 'left' && e.how === 'decommission') this.decommissions++;
    else if (e.change === 'left' && e.how === 'drain') {
      this.drains++;
      const started = this.drainStarted.get(e.node);
      this.drainStarted.delete(e.node);
      if (started !== undefined) this.drainTimes.push((this.truth.now - started) / 1e6);
    }
  }

  /** The section, when the run could change its membership (standby machines) or did. */
  summary(): MembershipSummary | undefined {
    if (!this.hasStandby && this.drains + this.decommissions + this.drainStarted.size === 0) return undefined;
    const times = [...this.drainTimes].sort((a, b) => a - b);
    return {
      nodes_at_start: this.atStart,
      nodes_at_end: this.truth.nodes.filter((n) => n.service === 'active' && n.up).length,
      joins: this.joins,
      drains: this.drains,
      decommissions: this.decommissions,
      drain_p50_s: times.length === 0 ? null : times[Math.ceil(0.5 * times.length) - 1]!,
      drain_max_s: times.length === 0 ? null : times[times.length - 1]!,
      drains_unfinished: this.drainStarted.size,
    };
  }
}

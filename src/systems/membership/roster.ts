import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import type { NodeRegistry } from '../registry.js';
import type { Telemetry } from '../telemetry.js';
import { RosterPort } from './messages.js';

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** A node's own account of its place in the cluster: it joined (said hello), began draining, or left (drained or decommissioned). */
    roster: { node: number; change: 'joined' | 'draining' | 'left'; how: 'join' | 'drain' | 'decommission' };
  }
}

/**
 * Who is in the cluster, learned from messages (document 001's join, drain
 * and remove): a machine that was not in the configuration says hello to
 * every address it knows at each boot, and those that are members answer
 * (and so learn of it); the operator's drain command makes a node announce
 * that it is draining, wait until the catalog's keeper releases it (its data
 * handed off), then announce that it leaves and leave; a decommission leaves
 * at once, data and all. Nothing here reads the world's truth: a node that
 * misses an announcement learns the change by its failure detector.
 */
export class RosterAgent {
  private draining = false;
  private leaving = false;

  /** `keepsCatalog`: this node keeps the catalog and orchestrates; it refuses to drain or leave (the nemesis may still draw it). */
  constructor(private readonly rt: NodeRuntime, private readonly registry: NodeRegistry, private readonly cluster: ClusterConfig, private readonly telemetry: Telemetry, private readonly keepsCatalog = false) {
    rt.listen(RosterPort.hello, (from) => {
      registry.admit(from);
      rt.send(from, RosterPort.welcome, { draining: this.draining, departed: this.departed() });
    });
    rt.listen(RosterPort.welcome, (from, w) => {
      for (const d of w.departed) registry.depart(d);
      registry.admit(from);
      if (w.draining) registry.markDraining(from);
    });
    rt.listen(RosterPort.draining, (from) => registry.markDraining(from));
    rt.listen(RosterPort.left, (from) => registry.depart(from));
    rt.listen(RosterPort.drain, () => this.drain());
    rt.listen(RosterPort.decommission, () => this.leave('decommission'));
    rt.listen(RosterPort.release, () => {
      if (this.draining) this.leave('drain');
    });
    if (!cluster.members[rt.self]!.initial) {
      telemetry.emit({ kind: 'roster', node: rt.self, change: 'joined', how: 'join' });
      for (const m of cluster.members) if (m.index !== rt.self) rt.send(m.index, RosterPort.hello, {});
    }
  }

  private departed(): number[] {
    const out: number[] = [];
    for (const m of this.cluster.members) if (this.registry.departed(m.index)) out.push(m.index);
    return out;
  }

  /** The operator's drain: announce it, then wait for the release. */
  private drain(): void {
    if (this.draining || this.leaving || this.keepsCatalog) return;
    this.draining = true;
    this.registry.markDraining(this.rt.self);
    this.telemetry.emit({ kind: 'roster', node: this.rt.self, change: 'draining', how: 'drain' });
    this.tellMembers(RosterPort.draining);
  }

  private leave(how: 'drain' | 'decommission'): void {
    if (this.leaving || (this.keepsCatalog && how === 'decommission')) return;
    this.leaving = true;
    this.telemetry.emit({ kind: 'roster', node: this.rt.self, change: 'left', how });
    this.tellMembers(RosterPort.left);
    this.rt.leave();
  }

  private tellMembers(port: typeof RosterPort.left): void {
    for (const m of this.cluster.members) if (m.index !== this.rt.self && this.registry.present(m.index)) this.rt.send(m.index, port, {});
  }
}

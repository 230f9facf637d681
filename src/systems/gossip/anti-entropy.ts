import type { SimTime } from '../../kernel/index.js';
import { port, type NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';

/** What an anti-entropy node is configured with. */
export interface GossipOptions {
  /** The node that publishes new versions. */
  source: number;
  /** Time between a node's gossip rounds, microseconds. */
  interval: SimTime;
  /** Time between new versions at the source, microseconds. */
  updateEvery: SimTime;
  /** Peers each round pushes to. */
  fanout: number;
  /** Every node that takes part, by index. */
  members: readonly number[];
  /** Test-only: nodes ignore what peers push (gossip never spreads), to show the checker catches it. */
  ignorePushes: boolean;
}

/** A push of the highest version a node knows. */
export interface GossipDigest { version: number }

export const GossipPort = {
  /** A peer's digest, pushed every round. */
  push: port<GossipDigest>('gossip/push'),
};

/** Where the source keeps the last version it published, so a restart never reuses a number. */
const VERSION_KEY = 'gossip/version';

/**
 * Push anti-entropy of one versioned value (a configuration, a membership
 * epoch): the source publishes a new version every `updateEvery`; every
 * node, each `interval`, pushes the highest version it knows to `fanout`
 * random peers, which adopt it if newer. What a node knows is volatile: a
 * restarted node starts from nothing and catches up by gossip.
 */
export class AntiEntropyNode {
  private version = 0;

  constructor(private readonly rt: NodeRuntime, private readonly opts: GossipOptions, private readonly telemetry: Telemetry) {
    rt.listen(GossipPort.push, (_from, digest) => {
      if (!opts.ignorePushes) this.learn(digest.version);
    });
    const rng = rt.rng('gossip');
    // Rounds start at a random phase so the nodes do not all gossip at the same instant.
    rt.setTimer(Math.round(rng.uniform(0, opts.interval)), () => this.round());
    if (rt.self === opts.source) {
      rt.disk.read(VERSION_KEY, (obj) => {
        this.learn(typeof obj?.data === 'number' ? obj.data : 0);
        rt.setTimer(opts.updateEvery, () => this.publish());
      });
    }
  }

  private learn(version: number, created = false): void {
    if (version <= this.version) return;
    this.version = version;
    this.telemetry.emit({ kind: 'gossip_version', node: this.rt.self, version, created });
  }

  /** The source's next version, made durable before anyone hears of it. */
  private publish(): void {
    const next = this.version + 1;
    this.rt.disk.write(VERSION_KEY, 8, next, (ok) => {
      if (ok) this.learn(next, true);
      this.rt.setTimer(this.opts.updateEvery, () => this.publish());
    }, next);
  }

  private round(): void {
    if (this.version > 0) for (const peer of this.pickPeers()) this.rt.send(peer, GossipPort.push, { version: this.version });
    this.rt.setTimer(this.opts.interval, () => this.round());
  }

  /** `fanout` distinct random peers, drawn without copying or shuffling the member list (a round costs O(fanout), not O(nodes)). */
  private pickPeers(): number[] {
    const members = this.opts.members;
    const want = Math.min(this.opts.fanout, members.length - 1);
    const rng = this.rt.rng('gossip');
    const picked: number[] = [];
    while (picked.length < want) {
      const m = members[rng.int(0, members.length - 1)]!;
      if (m !== this.rt.self && !picked.includes(m)) picked.push(m);
    }
    return picked;
  }
}

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /** A node adopted a newer version of the gossiped value; `created`: the source published it. */
    gossip_version: { node: number; version: number; created: boolean };
  }
}

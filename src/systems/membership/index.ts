/**
 * systems/membership/ — failure detectors, selectable per scenario, feeding a
 * node's NodeRegistry. Heartbeats and probes are real messages, so loss,
 * latency and partitions cause real false suspicions.
 * - heartbeat.ts: document 002's timeout detector. phi.ts: phi accrual. swim.ts: SWIM.
 * - messages.ts: their ports and wire messages.
 */
import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import { memberTables } from '../member-tables.js';
import { NodeRegistry } from '../registry.js';
import type { Telemetry } from '../telemetry.js';
import { HeartbeatDetector } from './heartbeat.js';
import type { DetectorOptions } from './options.js';
import { PhiAccrualDetector } from './phi.js';
import { IncarnationBook } from './incarnations.js';
import { RosterAgent } from './roster.js';
import { SwimDetector } from './swim.js';
import type { Verdict } from './verdicts.js';

export * from './options.js';
export { HeartbeatDetector } from './heartbeat.js';
export { PhiAccrualDetector, ArrivalWindow, phi } from './phi.js';
export { SwimDetector } from './swim.js';
export { IncarnationBook } from './incarnations.js';

/** A node's membership view, fed by the configured failure detector; the pipeline consults it. */
export function bootMembership(rt: NodeRuntime, opts: DetectorOptions, suspicionPeriod: number, cluster: ClusterConfig, telemetry: Telemetry, catalogNode = -1): NodeRegistry {
  const registry = new NodeRegistry(cluster, () => rt.monotonic(), suspicionPeriod, memberTables(cluster).bytes('registry', rt.self));
  new RosterAgent(rt, registry, cluster, telemetry, rt.self === catalogNode);
  startDetector(rt, registry, opts, cluster, telemetry);
  return registry;
}

/** Starts the configured detector on this node; its verdicts go to the registry and to telemetry. */
export function startDetector(rt: NodeRuntime, registry: NodeRegistry, opts: DetectorOptions, cluster: ClusterConfig, telemetry: Telemetry): void {
  const size = cluster.members.length;
  const peers = () => cluster.members.map((m) => m.index).filter((i) => i !== rt.self);
  const verdict: Verdict = (subject, state) => telemetry.emit({ kind: 'detector', observer: rt.self, subject, state });
  switch (opts.kind) {
    case 'heartbeat':
      return void new HeartbeatDetector(rt, peers(), opts.heartbeat, verdict, size, registry);
    case 'phi_accrual':
      return void new PhiAccrualDetector(rt, peers(), opts.phi, verdict, size, registry);
    case 'swim':
      return void new SwimDetector(rt, opts.swim, verdict, memberTables(cluster), incarnationBook(cluster), registry);
    case 'none':
      return;
  }
}

/** One table of announced incarnations per run (per cluster configuration), shared by its SWIM nodes: see incarnations.ts. */
const books = new WeakMap<ClusterConfig, IncarnationBook>();
function incarnationBook(cluster: ClusterConfig): IncarnationBook {
  let book = books.get(cluster);
  if (!book) books.set(cluster, (book = new IncarnationBook(cluster.members.length)));
  return book;
}

import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import type { NodeRegistry } from '../registry.js';
import type { RecordReplicas, ReplicaCatalog } from '../repair/catalog.js';
import type { ChunkHeat } from '../repair/heat.js';
import type { ChunkClaims } from '../repair/claims.js';
import type { HolderSightings } from '../repair/sightings.js';
import type { Telemetry } from '../telemetry.js';
import type { PipelineDefect } from './options.js';
import type { PlacedBytes } from './placed-bytes.js';
import type { FailureDomains } from './spread.js';

/**
 * What the orchestrator, the repairer and the rebalancer on the source node
 * share, built once by bootPipeline. Each component takes this plus its own
 * options, instead of a long list of positional parameters.
 */
export interface SourceNodeContext {
  readonly rt: NodeRuntime;
  readonly cluster: ClusterConfig;
  readonly registry: NodeRegistry;
  readonly telemetry: Telemetry;
  /** Where each acknowledged chunk's replicas are. */
  readonly catalog: ReplicaCatalog;
  /** How often each chunk was read, as reported (empty without reads): moves take the hottest first. */
  readonly heat: ChunkHeat;
  /** Bytes placed on each member: the one ledger of disk load all three keep. */
  readonly placed: PlacedBytes;
  /** Which chunks a repair or a move holds. */
  readonly claims: ChunkClaims;
  /** Which holders confirmed their copies this garbage-collection sweep. */
  readonly sightings: HolderSightings;
  /** Replicas per chunk (pipeline.replication_factor). */
  readonly replicationFactor: number;
  /** Test-only deliberate bugs; empty in every real run. */
  readonly defects: ReadonlySet<PipelineDefect>;
  /** The failure-domain rule every replica set keeps (`placement.spread`); absent: none. */
  readonly domains?: FailureDomains;
  /** Commits replica sets to the metadata catalog (Raft) before they count; absent: no such step. */
  readonly record?: RecordReplicas;
}

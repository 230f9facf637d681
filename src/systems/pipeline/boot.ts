import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import { CoordinatorClient, type CoordinatorOptions } from '../coordinator/index.js';
import { raftCatalogWriter, type RaftOptions } from '../raft/index.js';
import type { NodeRegistry } from '../registry.js';
import { ReplicaCatalog } from '../repair/catalog.js';
import type { RepairOptions } from '../repair/options.js';
import { Rebalancer, type RebalanceOptions } from '../repair/rebalancer.js';
import { Repairer } from '../repair/repairer.js';
import { ReplicaStore } from '../storage/replica-store.js';
import type { Telemetry } from '../telemetry.js';
import type { PipelineOptions } from './options.js';
import { Orchestrator } from './orchestrator.js';
import { OutcomeLog } from './outcome-log.js';
import { makePlacement } from './placement.js';
import { PipelineWorker } from './worker.js';

/** What the pipeline, storage and repair are configured with, and the other systems they use. */
export interface PipelineBootOptions {
  pipeline: PipelineOptions;
  repair: RepairOptions;
  rebalance: RebalanceOptions;
  /** With `pipeline.coordination: coordinator`: the coordinator that picks processing workers. */
  coordinator?: CoordinatorOptions;
  /** With `pipeline.catalog: raft`: the Raft group that commits placements. */
  raft?: RaftOptions;
}

/**
 * The pipeline on one node: the processing worker and the replica store on
 * every node; on the source node also the orchestrator (resuming from its
 * outcome log), the catalog, the repairer and the rebalancer.
 */
export function bootPipeline(rt: NodeRuntime, opts: PipelineBootOptions, cluster: ClusterConfig, registry: NodeRegistry, telemetry: Telemetry): void {
  new PipelineWorker(rt, opts.pipeline, cluster.members[rt.self]!.slots, telemetry);
  const metadataNode = opts.pipeline.sourceNode;
  new ReplicaStore(rt, { metadataNode, verifyAfterWrite: opts.pipeline.verifyAfterDistribution, scrubInterval: opts.repair.scrubInterval, defects: opts.pipeline.defects }, telemetry);
  if (rt.self !== metadataNode) return;
  OutcomeLog.read(rt, (recovered) => {
    const catalog = new ReplicaCatalog();
    const placedBytes = new Float64Array(cluster.members.length);
    const record = opts.pipeline.catalog === 'raft' && opts.raft ? raftCatalogWriter(rt, opts.raft, telemetry) : undefined;
    // With `coordination: coordinator`, the coordinator's agents, not the orchestrator, pick processing workers.
    const broker = opts.pipeline.coordination === 'coordinator' && opts.coordinator ? new CoordinatorClient(rt, opts.coordinator) : undefined;
    const repairer = new Repairer(rt, opts.repair, opts.pipeline.replicationFactor, catalog, registry, makePlacement(opts.pipeline.placement), cluster, placedBytes, telemetry, record);
    new Orchestrator(rt, opts.pipeline, cluster, telemetry, registry, (chunk, bytes, checksum, replicas) => {
      repairer.track(catalog.add(chunk, bytes, checksum, replicas));
    }, recovered, placedBytes, record && ((chunk, replicas, done) => record(chunk, () => replicas, done)), broker);
    new Rebalancer(rt, opts.rebalance, catalog, registry, repairer, cluster, placedBytes, opts.pipeline.replicationFactor, telemetry, opts.pipeline.defects, record);
  });
}

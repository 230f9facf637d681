import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import { CoordinatorClient, type CoordinatorOptions } from '../coordinator/index.js';
import { raftCatalogWriter, type RaftOptions } from '../raft/index.js';
import type { NodeRegistry } from '../registry.js';
import { ReplicaCatalog } from '../repair/catalog.js';
import { ChunkHeat } from '../repair/heat.js';
import { ChunkClaims } from '../repair/claims.js';
import type { RepairOptions } from '../repair/options.js';
import { Rebalancer, type RebalanceOptions } from '../repair/rebalancer.js';
import { Repairer } from '../repair/repairer.js';
import { HolderSightings } from '../repair/sightings.js';
import { ReplicaStore } from '../storage/replica-store.js';
import type { Telemetry } from '../telemetry.js';
import type { PipelineOptions } from './options.js';
import { Orchestrator } from './orchestrator/orchestrator.js';
import { OutcomeLog } from './outcome-log.js';
import { PlacedBytes } from './placed-bytes.js';
import { makePlacement } from './placement.js';
import type { SourceNodeContext } from './source-node.js';
import { FailureDomains } from './spread.js';
import { PipelineWorker } from './worker.js';
import { Router, routedRuntime } from '../routing/index.js';

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

/** What the source node's pipeline offers the systems booted after it: the catalog to publish, the heat ledger to fill. */
export interface SourceServices {
  catalog: ReplicaCatalog;
  heat: ChunkHeat;
}

/**
 * The pipeline on one node: the processing worker and the replica store on
 * every node; on the source node also the orchestrator (resuming from its
 * outcome log), the catalog, the repairer and the rebalancer.
 */
export function bootPipeline(raw: NodeRuntime, opts: PipelineBootOptions, cluster: ClusterConfig, registry: NodeRegistry, telemetry: Telemetry): SourceServices | undefined {
  // With the topology optimizer, the pipeline's bulk transfers (raw chunks, replicas, repair copies) take the path it picks.
  const rt = opts.pipeline.routing === 'relay' ? routedRuntime(raw, new Router(raw, cluster, registry, telemetry)) : raw;
  new PipelineWorker(rt, opts.pipeline, cluster.members[rt.self]!.slots, telemetry);
  const metadataNode = opts.pipeline.sourceNode;
  new ReplicaStore(rt, { metadataNode, verifyAfterWrite: opts.pipeline.verifyAfterDistribution, scrubInterval: opts.repair.scrubInterval, defects: opts.pipeline.defects }, telemetry);
  if (rt.self !== metadataNode) return undefined;
  const spread = opts.pipeline.placement.spread;
  // Made now, filled once the outcome log is read: systems booted after this one subscribe to them at boot.
  const services: SourceServices = { catalog: new ReplicaCatalog(opts.pipeline.replicationFactor), heat: new ChunkHeat() };
  OutcomeLog.read(rt, (recovered) => {
    const ctx: SourceNodeContext = {
      rt, cluster, registry, telemetry,
      catalog: services.catalog,
      heat: services.heat,
      placed: new PlacedBytes(cluster.members.length),
      claims: new ChunkClaims(),
      sightings: new HolderSightings(opts.pipeline.replicationFactor),
      replicationFactor: opts.pipeline.replicationFactor,
      defects: opts.pipeline.defects,
      domains: spread.domain === 'none' ? undefined : new FailureDomains(cluster, spread.domain, spread.minDomains),
      record: opts.pipeline.catalog === 'raft' && opts.raft ? raftCatalogWriter(rt, opts.raft, telemetry) : undefined,
    };
    // With `coordination: coordinator`, the coordinator's agents, not the orchestrator, pick processing workers.
    const broker = opts.pipeline.coordination === 'coordinator' && opts.coordinator ? new CoordinatorClient(rt, opts.coordinator) : undefined;
    // Construction order is part of the run: each registers timers, listeners and membership callbacks as it is built.
    const repairer = new Repairer(ctx, opts.repair, makePlacement(opts.pipeline.placement, opts.pipeline.replicationFactor, () => rt.rng('repair-placement')));
    new Orchestrator(ctx, opts.pipeline, {
      recovered,
      onAcked: (chunk, bytes, checksum, replicas) => repairer.track(ctx.catalog.add(chunk, bytes, checksum, replicas)),
      broker,
      onBackgroundReplica: (chunk, node, ok) => repairer.backgroundAnswered(chunk, node, ok),
    });
    new Rebalancer(ctx, opts.rebalance);
  });
  return services;
}

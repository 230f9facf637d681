import type { NodeRuntime } from '../world/runtime.js';
import type { ClusterConfig } from './cluster.js';
import { startDetector, type DetectorOptions } from './membership/index.js';
import { makePlacement, Orchestrator, OutcomeLog, PipelineWorker, type PipelineOptions, type RecordPlacement } from './pipeline/index.js';
import { NodeRegistry } from './registry.js';
import { ReplicaCatalog } from './repair/catalog.js';
import type { RepairOptions } from './repair/options.js';
import { Rebalancer, type RebalanceOptions } from './repair/rebalancer.js';
import { Repairer } from './repair/repairer.js';
import { ReplicaStore } from './storage/replica-store.js';
import type { Telemetry } from './telemetry.js';
import { RaftClient, raftCatalogWriter, RaftNode, type RaftClientOptions, type RaftOptions } from './raft/index.js';
import { CoordinatorAgent, CoordinatorClient, TaskSubmitter, type CoordinatorOptions, type TaskWorkloadOptions } from './coordinator/index.js';

/** Everything the software on a node is configured with. */
export interface SoftwareOptions {
  pipeline: PipelineOptions;
  detector: DetectorOptions;
  repair: RepairOptions;
  rebalance: RebalanceOptions;
  /** Document 003's coordinator and, if the scenario has one, a task workload. */
  coordinator?: { group: CoordinatorOptions; work?: TaskWorkloadOptions };
  /** A Raft group and its client, when the scenario has one. */
  raft?: { group: RaftOptions; client: RaftClientOptions };
}

/**
 * Starts a node's software, at boot and after every restart: its membership
 * view and failure detector, the processing worker and the replica store; on
 * the source node also the orchestrator (resuming from its outcome log), the
 * catalog and the repairer, and, when the coordinator picks processing
 * workers, the orchestrator's client of the coordinator.
 */
export function bootNode(rt: NodeRuntime, opts: SoftwareOptions, cluster: ClusterConfig, telemetry: Telemetry): void {
  if (opts.coordinator) {
    const { group, work } = opts.coordinator;
    if (group.agents.includes(rt.self)) new CoordinatorAgent(rt, group, telemetry);
    if (work?.node === rt.self) new TaskSubmitter(rt, work, group, telemetry);
  }
  if (opts.raft) {
    const { group, client } = opts.raft;
    if (group.members.includes(rt.self)) new RaftNode(rt, group, telemetry);
    if (client.node === rt.self) new RaftClient(rt, client, group.members, telemetry, group.heartbeatInterval);
  }
  const registry = new NodeRegistry(cluster, () => rt.monotonic(), opts.pipeline.suspicionPeriod);
  startDetector(rt, registry, opts.detector, cluster, telemetry);
  new PipelineWorker(rt, opts.pipeline, cluster.members[rt.self]!.slots, telemetry);
  const metadataNode = opts.pipeline.sourceNode;
  new ReplicaStore(rt, { metadataNode, verifyAfterWrite: opts.pipeline.verifyAfterDistribution, scrubInterval: opts.repair.scrubInterval, defects: opts.pipeline.defects }, telemetry);
  if (rt.self !== metadataNode) return;
  OutcomeLog.read(rt, (recovered) => {
    const catalog = new ReplicaCatalog();
    const placedBytes = new Float64Array(cluster.members.length);
    const record = opts.pipeline.catalog === 'raft' && opts.raft ? raftCatalogWriter(rt, opts.raft.group, telemetry) : undefined;
    // With `coordination: coordinator`, the coordinator's agents, not the orchestrator, pick processing workers.
    const broker = opts.pipeline.coordination === 'coordinator' && opts.coordinator ? new CoordinatorClient(rt, opts.coordinator.group) : undefined;
    const repairer = new Repairer(rt, opts.repair, opts.pipeline.replicationFactor, catalog, registry, makePlacement(opts.pipeline.placement), cluster, placedBytes, telemetry, record);
    new Orchestrator(rt, opts.pipeline, cluster, telemetry, registry, (chunk, bytes, checksum, replicas) => {
      repairer.track(catalog.add(chunk, bytes, checksum, replicas));
    }, recovered, placedBytes, record && ((chunk, replicas, done) => record(chunk, () => replicas, done)), broker);
    new Rebalancer(rt, opts.rebalance, catalog, registry, repairer, cluster, placedBytes, opts.pipeline.replicationFactor, telemetry, opts.pipeline.defects, record);
  });
}


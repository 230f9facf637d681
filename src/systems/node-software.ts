import type { NodeRuntime } from '../world/runtime.js';
import type { ClusterConfig } from './cluster.js';
import { bootCoordinator } from './coordinator/boot.js';
import type { CoordinatorOptions, TaskWorkloadOptions } from './coordinator/index.js';
import { bootMembership, type DetectorOptions } from './membership/index.js';
import { bootPipeline } from './pipeline/boot.js';
import type { PipelineOptions } from './pipeline/index.js';
import { bootRaft } from './raft/boot.js';
import type { RaftClientOptions, RaftOptions } from './raft/index.js';
import type { RepairOptions } from './repair/options.js';
import type { RebalanceOptions } from './repair/rebalancer.js';
import type { Telemetry } from './telemetry.js';

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
 * Starts a node's software, at boot and after every restart, in a fixed
 * order: the coordinator, the Raft group, the membership view and its failure
 * detector, then the pipeline (worker, replica store, and on the source node
 * the orchestrator, catalog, repairer and rebalancer).
 */
export function bootNode(rt: NodeRuntime, opts: SoftwareOptions, cluster: ClusterConfig, telemetry: Telemetry): void {
  if (opts.coordinator) bootCoordinator(rt, opts.coordinator, telemetry);
  if (opts.raft) bootRaft(rt, opts.raft, telemetry);
  const registry = bootMembership(rt, opts.detector, opts.pipeline.suspicionPeriod, cluster, telemetry);
  bootPipeline(rt, { ...opts, coordinator: opts.coordinator?.group, raft: opts.raft?.group }, cluster, registry, telemetry);
}

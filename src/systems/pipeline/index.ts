/**
 * systems/pipeline/ — the data pipeline of source documents 004 and 000.
 * - orchestrator.ts: ingestion, worker assignment, distribution coordination (source node).
 * - worker.ts: processing slots, replica sending and storing (every node).
 * - placement.ts: network_aware, round_robin, load_balanced.
 * - chunks.ts, messages.ts, options.ts: the data, the wire protocol, the settings.
 */
import type { NodeRuntime } from '../../world/runtime.js';
import type { ClusterConfig } from '../cluster.js';
import type { Telemetry } from '../telemetry.js';
import type { PipelineOptions } from './options.js';
import { Orchestrator } from './orchestrator.js';
import { PipelineWorker } from './worker.js';

export * from './options.js';
export * from './chunks.js';
export * from './placement.js';
export { Orchestrator } from './orchestrator.js';
export { PipelineWorker } from './worker.js';

/**
 * Starts the pipeline's software on a node (at boot and after each restart).
 * The orchestrator starts only at the first boot of the source node: it keeps
 * no checkpoint yet, so a restarted source does not resume.
 */
export function bootPipeline(rt: NodeRuntime, opts: PipelineOptions, cluster: ClusterConfig, telemetry: Telemetry, firstBoot: boolean): void {
  new PipelineWorker(rt, opts, cluster.members[rt.self]!.slots, telemetry);
  if (rt.self === opts.sourceNode && firstBoot) new Orchestrator(rt, opts, cluster, telemetry);
}

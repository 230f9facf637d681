import type { ClusterConfig, MemberInfo, PipelineOptions, SoftwareOptions } from '../systems/index.js';
import { typicalLatency, type LatencyDist, type LinkSpec, type NodeSpec, type RegionSpec, type TopologySpec } from '../world/index.js';
import type { LatencySetting, Scenario } from './schema.js';

/** Turns a latency setting (a duration or a distribution) into the world's form. */
export function toLatencyDist(l: LatencySetting): LatencyDist {
  if (typeof l === 'number') return { kind: 'constant', value: l };
  switch (l.dist) {
    case 'constant':
      return { kind: 'constant', value: l.value };
    case 'uniform':
      return { kind: 'uniform', min: l.min, max: l.max };
    case 'normal':
      return { kind: 'normal', mean: l.mean, stddev: l.stddev, floor: l.floor };
    case 'lognormal':
      return { kind: 'lognormal', median: l.median, sigma: l.sigma, floor: l.floor };
  }
}

function cloudLatency(sc: Scenario, a: string, b: string): LatencySetting | undefined {
  return sc.network.cloud_latency[`${a}-${b}`] ?? sc.network.cloud_latency[`${b}-${a}`];
}

/** Default cross-cloud latency when a pair is not configured (document 000 uses 100 ms). */
const UNKNOWN_CLOUD_PAIR_LATENCY = 100_000;

export function buildTopology(sc: Scenario): TopologySpec {
  const clouds = Object.keys(sc.topology.clouds);
  const regions: RegionSpec[] = [];
  const nodes: NodeSpec[] = [];
  const def = sc.topology.node_defaults;
  for (const [cloud, c] of Object.entries(sc.topology.clouds)) {
    for (const [region, r] of Object.entries(c.regions)) {
      regions.push({ name: region, cloud });
      const disk = { ...def.disk, ...r.disk };
      for (let i = 1; i <= r.nodes; i++) {
        nodes.push({
          name: `${region}-${i}`, cloud, region, slots: r.slots ?? def.slots,
          disk: { capacityBytes: disk.capacity, readBytesPerS: disk.read, writeBytesPerS: disk.write, opLatency: disk.op_latency, syncInterval: disk.sync_interval },
          // raft.log_device: dedicated gives each member a second device like its first, for Raft's state.
          ...(sc.raft?.log_device === 'dedicated' && sc.raft.members.includes(`${region}-${i}`)
            ? { logDisk: { capacityBytes: disk.capacity, readBytesPerS: disk.read, writeBytesPerS: disk.write, opLatency: disk.op_latency, syncInterval: disk.sync_interval } }
            : {}),
          ...(r.racks ? { rack: `${region}-rack${((i - 1) % r.racks) + 1}` } : {}),
        });
      }
    }
  }
  const link = (from: RegionSpec, to: RegionSpec): LinkSpec => {
    const cls = from.name === to.name ? sc.network.same_region : from.cloud === to.cloud ? sc.network.same_cloud : sc.network.cross_cloud;
    const latency = cls.latency ?? (from.cloud !== to.cloud ? cloudLatency(sc, from.cloud, to.cloud) : undefined) ?? UNKNOWN_CLOUD_PAIR_LATENCY;
    let spec: LinkSpec = { latency: toLatencyDist(latency), bandwidthBytesPerS: cls.bandwidth, loss: cls.loss };
    for (const o of sc.network.links) {
      const matches = (x: string, r: RegionSpec) => x === r.name || x === r.cloud;
      if ((matches(o.between[0], from) && matches(o.between[1], to)) || (matches(o.between[1], from) && matches(o.between[0], to))) {
        spec = {
          latency: o.latency !== undefined ? toLatencyDist(o.latency) : spec.latency,
          bandwidthBytesPerS: o.bandwidth ?? spec.bandwidthBytesPerS,
          loss: o.loss ?? spec.loss,
        };
      }
    }
    return spec;
  };
  return { clouds, regions, nodes, link };
}

export function buildCluster(topology: TopologySpec): ClusterConfig {
  const members: MemberInfo[] = topology.nodes.map((n, index) => ({
    index, name: n.name, cloud: n.cloud, region: n.region, slots: n.slots, diskCapacityBytes: n.disk.capacityBytes,
  }));
  const nominal = new Map<string, number>();
  for (const a of topology.regions) for (const b of topology.regions) nominal.set(`${a.name}|${b.name}`, typicalLatency(topology.link(a, b).latency));
  return {
    members,
    nominalLatency: (a, b) => nominal.get(`${members[a]!.region}|${members[b]!.region}`)!,
  };
}

export function buildPipelineOptions(sc: Scenario, topology: TopologySpec): PipelineOptions {
  const p = sc.pipeline;
  const d = p.distribution;
  return {
    sourceNode: topology.nodes.findIndex((n) => n.name === p.source_node),
    datasetBytes: p.dataset.size,
    fileBytes: p.dataset.file_size,
    chunkBytes: p.chunk_size,
    ingestBytesPerS: p.ingest_rate,
    maxStagedChunks: p.max_staged_chunks,
    processBytesPerSPerSlot: p.processing.rate_per_slot,
    processingJitter: p.processing.jitter,
    outputRatio: p.processing.output_ratio,
    processingTimeout: p.processing.timeout,
    maxProcessingAttempts: p.processing.max_attempts,
    replicationFactor: d.replication_factor,
    minReplicasSuccess: d.min_replicas_success,
    placement: { strategy: d.placement.strategy, preferSameCloud: d.placement.prefer_same_cloud, crossCloudThreshold: d.placement.cross_cloud_threshold },
    maxConcurrentDistributions: d.max_concurrent,
    distributionTimeout: d.timeout,
    maxRetries: d.max_retries,
    retryDelay: d.retry_delay,
    fallbackToAnyNode: d.fallback_to_any_node,
    verifyAfterDistribution: d.verify,
    suspicionPeriod: p.suspicion_period,
    recoveryWait: p.recovery_wait,
    catalog: p.catalog,
    coordination: p.coordination,
    defects: new Set(),
  };
}

/** The fault target that names whichever node leads the Raft group when the fault strikes. */
export const RAFT_LEADER = '@raft-leader';

export function buildSoftwareOptions(sc: Scenario, topology: TopologySpec): SoftwareOptions {
  const d = sc.detector;
  const r = sc.repair;
  const index = (name: string) => topology.nodes.findIndex((n) => n.name === name);
  return {
    ...(sc.coordinator ? {
      coordinator: {
        group: {
          agents: sc.coordinator.agents.map((a) => index(a.node)),
          priorities: sc.coordinator.agents.map((a) => a.priority),
          capabilities: sc.coordinator.agents.map((a) => a.capabilities),
          heartbeatInterval: sc.coordinator.heartbeat_interval,
          heartbeatTimeout: sc.coordinator.heartbeat_timeout,
          quorumThreshold: sc.coordinator.quorum_threshold,
          voteTimeout: sc.coordinator.vote_timeout,
          maxRetries: sc.coordinator.max_retries,
          election: sc.coordinator.election,
          slots: sc.coordinator.agents.map((a) => topology.nodes[index(a.node)]!.slots),
        },
        ...(sc.coordinator.tasks ? { work: {
          node: index(sc.coordinator.tasks.node), every: sc.coordinator.tasks.every, duration: sc.coordinator.tasks.duration,
          maxPriority: sc.coordinator.tasks.max_priority, capabilities: sc.coordinator.tasks.capabilities,
        } } : {}),
      },
    } : {}),
    ...(sc.raft ? {
      raft: {
        group: {
          members: sc.raft.members.map(index),
          electionTimeoutMin: sc.raft.election_timeout.min,
          electionTimeoutMax: sc.raft.election_timeout.max,
          heartbeatInterval: sc.raft.heartbeat,
          maxBatch: sc.raft.max_batch,
          maxStaleness: sc.raft.max_staleness,
          checkQuorum: sc.raft.check_quorum,
          preVote: sc.raft.pre_vote,
          snapshotEvery: sc.raft.snapshot_every,
          defects: new Set(),
        },
        client: {
          node: index(sc.raft.client.node), every: sc.raft.client.every, timeout: sc.raft.client.timeout, keys: sc.raft.client.keys,
          readEvery: sc.raft.client.reads.every, readLevels: sc.raft.client.reads.levels,
        },
      },
    } : {}),
    pipeline: buildPipelineOptions(sc, topology),
    detector: {
      kind: d.kind,
      heartbeat: { interval: d.heartbeat.interval, suspectAfter: d.heartbeat.suspect_after, timeout: d.heartbeat.timeout },
      phi: {
        interval: d.phi_accrual.interval, checkInterval: d.phi_accrual.check_interval, suspectThreshold: d.phi_accrual.suspect_threshold,
        threshold: d.phi_accrual.threshold, windowSize: d.phi_accrual.window_size, minStdDev: d.phi_accrual.min_std_dev, acceptablePause: d.phi_accrual.acceptable_pause,
      },
      swim: {
        period: d.swim.period, pingTimeout: d.swim.ping_timeout, indirectProbes: d.swim.indirect_probes, suspicionTimeout: d.swim.suspicion_timeout,
        retransmitMultiplier: d.swim.retransmit_multiplier, maxPiggyback: d.swim.max_piggyback,
      },
    },
    rebalance: {
      enabled: sc.rebalance.enabled, interval: sc.rebalance.interval, threshold: sc.rebalance.threshold,
      maxConcurrent: sc.rebalance.max_concurrent, timeout: sc.rebalance.timeout,
    },
    repair: {
      enabled: r.enabled, bandwidthBytesPerS: r.bandwidth, maxConcurrent: r.max_concurrent, timeout: r.timeout,
      scrubInterval: r.scrub_interval, collectGarbage: r.collect_garbage,
    },
  };
}

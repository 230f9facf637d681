import type { ClusterConfig, MemberInfo, PipelineOptions } from '../systems/index.js';
import { typicalLatency, type LatencyDist, type LinkSpec, type NodeSpec, type RegionSpec, type TopologySpec } from '../world/index.js';
import { geographicLatency, locate, type Location } from './geography.js';
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
      // Standby machines are numbered after the region's nodes and dealt to its racks the same way.
      for (let i = 1; i <= r.nodes + r.standby; i++) {
        nodes.push({
          name: `${region}-${i}`, cloud, region, slots: r.slots ?? def.slots,
          disk: { capacityBytes: disk.capacity, readBytesPerS: disk.read, writeBytesPerS: disk.write, opLatency: disk.op_latency, syncInterval: disk.sync_interval },
          ...(r.racks ? { rack: `${region}-rack${((i - 1) % r.racks) + 1}` } : {}),
          ...(i > r.nodes ? { standby: true } : {}),
        });
      }
    }
  }
  // Regions with a location: their pairs take the latency their distance gives, before the class and cloud defaults.
  const located = new Map<string, Location>();
  for (const c of Object.values(sc.topology.clouds)) for (const [name, r] of Object.entries(c.regions)) if (r.location !== undefined) located.set(name, locate(r.location));
  const link = (from: RegionSpec, to: RegionSpec): LinkSpec => {
    const cls = from.name === to.name ? sc.network.same_region : from.cloud === to.cloud ? sc.network.same_cloud : sc.network.cross_cloud;
    const a = located.get(from.name);
    const b = located.get(to.name);
    const geographic = from.name !== to.name && a && b ? geographicLatency(a, b) : undefined;
    const latency = geographic ?? cls.latency ?? (from.cloud !== to.cloud ? cloudLatency(sc, from.cloud, to.cloud) : undefined) ?? UNKNOWN_CLOUD_PAIR_LATENCY;
    let spec: LinkSpec = { latency: toLatencyDist(latency), bandwidthBytesPerS: cls.bandwidth, loss: cls.loss };
    for (const o of sc.network.links) {
      const matches = (x: string, r: RegionSpec) => x === r.name || x === r.cloud;
      if ((matches(o.between[0], from) && matches(o.between[1], to)) || (!o.one_way && matches(o.between[1], from) && matches(o.between[0], to))) {
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
    index, name: n.name, cloud: n.cloud, region: n.region, rack: n.rack ?? n.region, slots: n.slots, diskCapacityBytes: n.disk.capacityBytes, initial: !n.standby,
  }));
  // A region-by-region table indexed by number: placement asks for it in
  // every comparison of its sort, so a string-keyed lookup there dominated.
  const regions = topology.regions.length;
  const regionIndex = new Map(topology.regions.map((r, i) => [r.name, i]));
  const regionOf = Int32Array.from(members, (m) => regionIndex.get(m.region)!);
  const nominal = new Float64Array(regions * regions);
  topology.regions.forEach((a, i) => topology.regions.forEach((b, j) => (nominal[i * regions + j] = typicalLatency(topology.link(a, b).latency))));
  return {
    members,
    nominalLatency: (a, b) => nominal[regionOf[a]! * regions + regionOf[b]!]!,
  };
}

export function buildPipelineOptions(sc: Scenario, topology: TopologySpec): PipelineOptions {
  const p = sc.pipeline;
  const d = p.distribution;
  return {
    sourceNode: topology.nodes.findIndex((n) => n.name === p.source_node),
    datasetBytes: p.dataset.size,
    fileBytes: p.dataset.file_size,
    batches: p.dataset.batches.count,
    batchEvery: p.dataset.batches.every,
    ...(p.dataset.arrivals ? { arrivals: p.dataset.arrivals.every } : {}),
    chunkBytes: p.chunk_size,
    ingestBytesPerS: p.ingest_rate,
    maxStagedChunks: p.max_staged_chunks,
    processBytesPerSPerSlot: p.processing.rate_per_slot,
    processingJitter: p.processing.jitter,
    processingService: p.processing.service,
    outputRatio: p.processing.output_ratio,
    processingTimeout: p.processing.timeout,
    maxProcessingAttempts: p.processing.max_attempts,
    replicationFactor: d.replication_factor,
    minReplicasSuccess: d.min_replicas_success,
    acknowledge: d.acknowledge,
    placement: {
      strategy: d.placement.strategy, preferSameCloud: d.placement.prefer_same_cloud, crossCloudThreshold: d.placement.cross_cloud_threshold,
      spread: { domain: d.placement.spread.domain, minDomains: d.placement.spread.min_domains },
      shards: d.placement.shards, scatterWidth: d.placement.scatter_width,
    },
    maxConcurrentDistributions: d.max_concurrent,
    distributionTimeout: d.timeout,
    maxRetries: d.max_retries,
    retryDelay: d.retry_delay,
    backoff: { multiplier: d.backoff.multiplier, max: d.backoff.max, jitter: d.backoff.jitter },
    fallbackToAnyNode: d.fallback_to_any_node,
    verifyAfterDistribution: d.verify,
    suspicionPeriod: p.suspicion_period,
    recoveryWait: p.recovery_wait,
    checkpoint: { every: p.checkpoint.every, maxDelay: p.checkpoint.max_delay },
    catalog: p.catalog,
    coordination: p.coordination,
    balancer: p.balancer,
    routing: p.routing,
    defects: new Set(),
  };
}

/**
 * Network benchmark: NODES nodes (10 regions of 20, in 2 clouds), each sending
 * a small message to every other node once per simulated second for SECONDS
 * seconds, over links of 5 ms + uniform(0, 2 ms) one-way latency, no loss.
 * Messages go through World / NodeRuntime / Network as real software's would.
 *
 * The body object is shared by every message, so the benchmark itself
 * allocates nothing per message. World construction is outside the timing;
 * world.start() and sim.run() are inside.
 */
import { performance } from 'node:perf_hooks';
import { RandomStreams } from '../src/kernel/random.js';
import { Simulator } from '../src/kernel/simulator.js';
import { port } from '../src/world/runtime.js';
import type { LinkSpec, NodeSpec, RegionSpec, TopologySpec } from '../src/world/spec.js';
import { World } from '../src/world/world.js';

export interface NetworkOptions {
  regions?: number;
  nodesPerRegion?: number;
  seconds?: number;
  seed?: number;
}

export interface NetworkResult {
  /** Messages delivered to the receiving handler. */
  messages: number;
  /** Expected deliveries: nodes * (nodes - 1) * seconds. */
  expected: number;
  /** Simulator events run (deliveries + per-node ticks). */
  events: number;
  wallMs: number;
}

const SECOND = 1_000_000;

export function topology(regions: number, nodesPerRegion: number): TopologySpec {
  const clouds = ['cloud-a', 'cloud-b'];
  const regionSpecs: RegionSpec[] = [];
  for (let r = 0; r < regions; r++) regionSpecs.push({ name: `region-${r}`, cloud: clouds[r % clouds.length]! });
  const nodes: NodeSpec[] = [];
  for (let r = 0; r < regions; r++) {
    for (let k = 0; k < nodesPerRegion; k++) {
      nodes.push({
        name: `node-${r}-${k}`,
        cloud: regionSpecs[r]!.cloud,
        region: regionSpecs[r]!.name,
        slots: 4,
        disk: { capacityBytes: 1e12, readBytesPerS: 500e6, writeBytesPerS: 300e6, opLatency: 100, syncInterval: 0 },
      });
    }
  }
  const link: LinkSpec = { latency: { kind: 'uniform', min: 5_000, max: 7_000 }, bandwidthBytesPerS: 1.25e9, loss: 0 };
  return { clouds, regions: regionSpecs, nodes, link: () => link };
}

export function benchNetwork(opts: NetworkOptions = {}): NetworkResult {
  const regions = opts.regions ?? 10;
  const perRegion = opts.nodesPerRegion ?? 20;
  const seconds = opts.seconds ?? 60;
  const n = regions * perRegion;

  const sim = new Simulator();
  const streams = new RandomStreams(opts.seed ?? 1);
  const world = new World(sim, streams, topology(regions, perRegion));

  const ping = port<{ kind: string }>('ping');
  const body = { kind: 'ping' };
  let delivered = 0;
  const onPing = (_from: number, _body: { kind: string }): void => {
    delivered++;
  };

  world.install((rt) => {
    rt.listen(ping, onPing);
    const self = rt.self;
    let rounds = 0;
    const tick = (): void => {
      for (let to = 0; to < n; to++) if (to !== self) rt.send(to, ping, body);
      if (++rounds < seconds) rt.setTimer(SECOND, tick);
    };
    rt.setTimer(0, tick);
  });

  const t0 = performance.now();
  world.start();
  sim.run(seconds * SECOND + SECOND);
  const wallMs = performance.now() - t0;
  return { messages: delivered, expected: n * (n - 1) * seconds, events: sim.eventsRun, wallMs };
}

import { RandomStreams, Simulator, type SimTime } from '../../src/kernel/index.js';
import { port, World, type DiskSpec, type LinkSpec, type NodeRuntime, type RegionSpec, type TopologySpec } from '../../src/world/index.js';

export const MB = 1_000_000;

export interface TinyWorldOptions {
  /** One-way latency between the two regions, µs. */
  crossLatency?: SimTime;
  /** One-way latency inside a region, µs. */
  localLatency?: SimTime;
  bandwidthBytesPerS?: number;
  loss?: number;
  /** Loss inside a region (defaults to `loss`). */
  localLoss?: number;
  disk?: Partial<DiskSpec>;
  /** Give every node a dedicated log device like its disk. */
  logDisk?: boolean;
  seed?: number;
  /** Nodes (by index) that are standby machines: off until `World.join`. */
  standby?: number[];
  /** Extra software, installed after the recording listeners; `life` counts boots of that node from 1. */
  onBoot?: (rt: NodeRuntime, life: number) => void;
}

/** The ports every node of a tiny world listens on, recording what arrives: small messages and transfers. */
export const MSG = port<unknown>('msg');
export const DATA = port<unknown>('data');

export interface Delivery {
  at: SimTime;
  to: number;
  from: number;
  /** The port's name. */
  port: string;
  body: unknown;
}

/**
 * Two regions of one cloud, two nodes each:
 *   0 = r1-0, 1 = r1-1 (region r1), 2 = r2-0, 3 = r2-1 (region r2).
 * Every node listens on ports 'msg' and 'data' and records what arrives.
 */
export function tinyWorld(opts: TinyWorldOptions = {}) {
  const sim = new Simulator();
  const streams = new RandomStreams(opts.seed ?? 1);
  const disk: DiskSpec = {
    capacityBytes: 1_000 * MB,
    readBytesPerS: 200 * MB,
    writeBytesPerS: 100 * MB,
    opLatency: 1_000,
    syncInterval: 0,
    ...opts.disk,
  };
  const regions: RegionSpec[] = [
    { name: 'r1', cloud: 'c' },
    { name: 'r2', cloud: 'c' },
  ];
  const spec: TopologySpec = {
    clouds: ['c'],
    regions,
    nodes: ['r1-0', 'r1-1', 'r2-0', 'r2-1'].map((name, i) => ({
      name,
      cloud: 'c',
      region: name.slice(0, 2),
      rack: `${name.slice(0, 2)}-rack`,
      slots: 1,
      disk,
      ...(opts.logDisk ? { logDisk: disk } : {}),
      ...(opts.standby?.includes(i) ? { standby: true } : {}),
    })),
    link(from, to): LinkSpec {
      const local = from.name === to.name;
      return {
        latency: { kind: 'constant', value: local ? (opts.localLatency ?? 1_000) : (opts.crossLatency ?? 10_000) },
        bandwidthBytesPerS: opts.bandwidthBytesPerS ?? 100 * MB,
        loss: local ? (opts.localLoss ?? opts.loss ?? 0) : (opts.loss ?? 0),
      };
    },
  };
  const world = new World(sim, streams, spec);
  const rts: NodeRuntime[] = [];
  const deliveries: Delivery[] = [];
  const boots: Array<{ node: number; at: SimTime }> = [];
  world.install((rt) => {
    rts[rt.self] = rt;
    boots.push({ node: rt.self, at: sim.now });
    for (const p of [MSG, DATA]) {
      rt.listen(p, (from, body) => deliveries.push({ at: sim.now, to: rt.self, from, port: p.name, body }));
    }
    opts.onBoot?.(rt, boots.filter((b) => b.node === rt.self).length);
  });
  world.start();

  /** Runs `fn` at absolute simulated time `at`. */
  const at = (t: SimTime, fn: () => void) => sim.at(t, fn, undefined);

  /** Starts a transfer at `t` and records its outcome. */
  const transferAt = (t: SimTime, from: number, to: number, bytes: number, body: unknown = null) => {
    const outcome: { done?: boolean; doneAt?: SimTime; calls: number } = { calls: 0 };
    at(t, () =>
      rts[from]!.transfer(to, DATA, bytes, body, (ok) => {
        outcome.calls++;
        outcome.done = ok;
        outcome.doneAt = sim.now;
      }),
    );
    return outcome;
  };

  /** Sends a small message on port 'msg' at `t`. */
  const sendAt = (t: SimTime, from: number, to: number, body: unknown = null) => at(t, () => rts[from]!.send(to, MSG, body));

  return { sim, streams, world, rts, deliveries, boots, at, transferAt, sendAt };
}

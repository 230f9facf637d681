/**
 * Data at rest: what each stored chunk costs in memory. A 100-node cluster
 * (SWIM, no Raft group, no chaos) takes a 10 TB dataset in 100 MB chunks,
 * three replicas each; the heap and array buffers are measured after a
 * full GC at the end of the first and the second simulated hour, and their
 * growth divided by the chunks acknowledged in between. Everything that
 * keeps a chunk for the whole run is in it: the orchestrator's chunk
 * table, the disks' objects, ground truth, the catalog, the outcome log, the
 * repairer's sightings and the checkers. A million chunks (100 TB) cost
 * about a million times the figure. It also prints the CPU time of each of
 * the two hours: the second stores twice the data, and every node lists
 * and scrubs all it holds each scrub interval, so it costs more.
 */
import { loadScenarioFromText, ScenarioRun } from '../src/run/index.js';

const SCENARIO = `
description: Data at rest (bench).
duration: 2h
metrics:
  bucket: 1m
topology:
  clouds:
    aws:
      regions:
        aws-east: { nodes: 40 }
        aws-west: { nodes: 30 }
    gcp:
      regions:
        gcp-central: { nodes: 30 }
detector:
  kind: swim
pipeline:
  dataset: { size: 10TB, file_size: 10GB }
`;

export interface AtRestResult {
  /** Chunks acknowledged in the second simulated hour. */
  chunks: number;
  /** Heap plus array buffers after a full GC, at the end of hours 1 and 2, MiB. */
  liveMiB: [number, number];
  bytesPerChunk: number;
  /** CPU seconds of the first and the second simulated hour. */
  cpuS: [number, number];
  gcExposed: boolean;
}

const HOUR = 3600e6;

export function benchAtRest(): AtRestResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  let acked = 0;
  const run = new ScenarioRun(loadScenarioFromText('bench/at-rest (inline)', SCENARIO), {
    seed: 1,
    observe: (_t, e) => {
      if (e.kind === 'acked') acked++;
    },
  });
  const live = (): number => {
    gc?.();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const cpu = (since: NodeJS.CpuUsage): number => {
    const c = process.cpuUsage(since);
    return (c.user + c.system) / 1e6;
  };
  let start = process.cpuUsage();
  run.advance(HOUR);
  const firstHour = cpu(start);
  const before = live();
  const ackedBefore = acked;
  start = process.cpuUsage();
  run.advance(2 * HOUR);
  const secondHour = cpu(start);
  const after = live();
  run.finish();
  const chunks = acked - ackedBefore;
  return { chunks, liveMiB: [before / 2 ** 20, after / 2 ** 20], bytesPerChunk: (after - before) / chunks, cpuS: [firstHour, secondHour], gcExposed: gc !== undefined };
}

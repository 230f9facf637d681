import type { NodeRuntime } from '../../world/runtime.js';
import type { RecordReplicas } from '../repair/catalog.js';
import type { Telemetry } from '../telemetry.js';
import type { RaftOptions } from './options.js';
import { RaftPort } from './messages.js';
import { RaftProposer } from './proposer.js';

/**
 * The metadata catalog's writes through the Raft group: key `chunk/<id>`,
 * value the replica set as a bit mask of node indexes (exact for the first
 * 53 nodes). Writes for one chunk go one at a time, each reading its set when
 * sent, because the proposer retries (at-least-once): two writes for a chunk
 * in flight together could commit in either order and leave an old set last.
 * Ids carry the boot time, so a restarted node never reuses one.
 */
export function raftCatalogWriter(rt: NodeRuntime, group: RaftOptions, telemetry: Telemetry): RecordReplicas {
  const proposer = new RaftProposer(rt, group.members, RaftPort.catalogProposeReply, 1_000_000, group.heartbeatInterval, telemetry);
  const epoch = rt.monotonic();
  let seq = 0;
  const chunks = new Map<number, { busy: boolean; queue: Array<{ replicas: () => Iterable<number>; done: () => void }> }>();
  const pump = (chunk: number): void => {
    const c = chunks.get(chunk)!;
    if (c.busy) return;
    const next = c.queue.shift();
    if (!next) return void chunks.delete(chunk);
    c.busy = true;
    let mask = 0;
    for (const n of next.replicas()) mask += 2 ** n;
    proposer.propose(`cat${rt.self}-${epoch}-${++seq}`, `chunk/${chunk}`, mask, () => {
      c.busy = false;
      next.done();
      pump(chunk);
    });
  };
  return (chunk, replicas, done) => {
    let c = chunks.get(chunk);
    if (!c) chunks.set(chunk, (c = { busy: false, queue: [] }));
    c.queue.push({ replicas, done });
    pump(chunk);
  };
}

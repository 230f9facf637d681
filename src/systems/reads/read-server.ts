import type { NodeRuntime } from '../../world/runtime.js';
import { chunkKey } from '../pipeline/chunks.js';
import type { Telemetry } from '../telemetry.js';
import { ReadPort } from './messages.js';
import type { ReadsOptions } from './options.js';

/** Chunks a heat report names at most: the hottest of the interval. */
const HEAT_REPORT_CHUNKS = 32;

/**
 * On every node: serves ranges of its replicas to clients (its own and
 * remote ones), checking each replica's checksum first, and counts what it
 * served so the metadata node learns which chunks are hot.
 */
export class ReadServer {
  private heat = new Map<number, number>();
  private reporting = false;

  constructor(private readonly rt: NodeRuntime, private readonly opts: ReadsOptions, private readonly telemetry: Telemetry) {
    rt.listen(ReadPort.fetch, (from, req) => {
      this.serve(req.chunk, req.bytes, from, (ok) => {
        if (ok) rt.transfer(from, ReadPort.data, req.bytes, { chunk: req.chunk, request: req.request, ok: true });
        else rt.send(from, ReadPort.data, { chunk: req.chunk, request: req.request, ok: false });
      });
    });
  }

  /** Reads `bytes` of the local replica of `chunk` for `client`; `done(false)` when it is missing or fails its checksum. */
  serve(chunk: number, bytes: number, client: number, done: (ok: boolean) => void): void {
    this.rt.disk.read(chunkKey(chunk), (obj) => {
      const intact = obj !== null && (obj.actualChecksum === obj.checksum || this.opts.defects.has('read_skip_checksum'));
      if (!intact) return done(false);
      this.telemetry.emit({ kind: 'read_served', node: this.rt.self, client, chunk });
      this.count(chunk);
      done(true);
    }, bytes);
  }

  private count(chunk: number): void {
    this.heat.set(chunk, (this.heat.get(chunk) ?? 0) + 1);
    if (this.reporting) return;
    // Armed by the first read of an interval, so a node nobody reads from costs no events.
    this.reporting = true;
    this.rt.setTimer(this.opts.heatReport, () => this.report());
  }

  private report(): void {
    this.reporting = false;
    const hottest = [...this.heat].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, HEAT_REPORT_CHUNKS);
    this.heat = new Map();
    this.rt.send(this.opts.metadataNode, ReadPort.heat, { chunks: hottest.map((h) => h[0]), reads: hottest.map((h) => h[1]) });
  }
}

/** What a read ended as: served from the client's cache, its own replica or another node's, or not at all. */
export type ReadPath = 'cache' | 'local' | 'remote' | 'none';
/** Why a read failed: no such chunk yet, no metadata answer, or no replica could serve it. */
export type ReadFailure = 'not_found' | 'metadata' | 'unavailable';

declare module '../telemetry.js' {
  interface TelemetryEvents {
    /**
     * A client's read ended. `micros`: from its start (cache, local) or from
     * the end of its lookup (remote) to the data; `lookup`: the metadata
     * lookup's time, -1 without one; `fallback`: the shard's owner could not
     * answer and the metadata node did; `fetches`: holders asked.
     */
    read_done: { node: number; chunk: number; path: ReadPath; ok: boolean; reason: ReadFailure | ''; micros: number; lookup: number; fallback: boolean; fetches: number };
    /** `node` served a range of its replica of `chunk` to `client` (itself for a local read), having checked it. */
    read_served: { node: number; client: number; chunk: number };
  }
}

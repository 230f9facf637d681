import type { Rng } from '../../kernel/index.js';
import type { NodeRuntime } from '../../world/runtime.js';
import type { Telemetry } from '../telemetry.js';
import { StoragePort, type StoreRequest } from '../storage/messages.js';
import { contentChecksum } from './chunks.js';
import { PipelinePort, type DistributeRequest, type ProcessRequest } from './messages.js';
import type { PipelineOptions } from './options.js';

interface Output { bytes: number; checksum: number }

/**
 * The pipeline's software on every node: processes chunks on its worker slots
 * and sends processed chunks to replica targets (the storage stage, on the
 * targets, is the ReplicaStore). All state here is volatile.
 */
export class PipelineWorker {
  private busySlots = 0;
  private readonly queue: Array<{ from: number; req: ProcessRequest }> = [];
  private readonly outputs = new Map<number, Output>();
  private readonly rng: Rng;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly opts: PipelineOptions,
    private readonly slots: number,
    private readonly telemetry: Telemetry,
  ) {
    this.rng = rt.rng('processing');
    rt.listen(PipelinePort.process, (_from, req) => this.enqueue(req.orchestrator, req));
    rt.listen(PipelinePort.distribute, (from, req) => this.distribute(from, req));
    rt.listen(PipelinePort.release, (_from, req) => this.outputs.delete(req.chunk));
  }

  private enqueue(from: number, req: ProcessRequest): void {
    this.queue.push({ from, req });
    this.startNext();
  }

  private startNext(): void {
    while (this.busySlots < this.slots && this.queue.length > 0) {
      const { from, req } = this.queue.shift()!;
      this.busySlots++;
      const nominal = (req.chunk.bytes * 1_000_000) / this.opts.processBytesPerSPerSlot;
      const jitter = this.opts.processingService === 'exponential' ? this.rng.exponential(1) : this.opts.processingJitter > 0 ? this.rng.lognormal(1, this.opts.processingJitter) : 1;
      const micros = Math.ceil(nominal * jitter);
      const startedAt = this.rt.monotonic();
      this.rt.setTimer(micros, () => {
        this.busySlots--;
        const bytes = Math.round(req.chunk.bytes * this.opts.outputRatio);
        this.outputs.set(req.chunk.id, { bytes, checksum: contentChecksum(req.chunk.id, 1) });
        this.telemetry.emit({ kind: 'busy', stage: 'processing', micros, node: this.rt.self });
        this.telemetry.emit({ kind: 'processed', chunk: req.chunk.id, bytes: req.chunk.bytes, node: this.rt.self });
        this.rt.send(from, PipelinePort.processed, { chunk: req.chunk.id, attempt: req.attempt, bytes, micros: this.rt.monotonic() - startedAt });
        this.startNext();
      });
    }
  }

  private distribute(orchestrator: number, req: DistributeRequest): void {
    const out = this.outputs.get(req.chunk);
    if (!out) return this.rt.send(orchestrator, PipelinePort.missing, { chunk: req.chunk, attempt: req.attempt });
    for (const target of req.targets) {
      const body: StoreRequest = { chunk: req.chunk, attempt: req.attempt, bytes: out.bytes, checksum: out.checksum, orchestrator, replyPort: PipelinePort.stored };
      this.rt.transfer(target, StoragePort.store, out.bytes, body, (ok) => {
        if (!ok) this.rt.send(orchestrator, PipelinePort.stored, { chunk: req.chunk, attempt: req.attempt, node: target, ok: false });
      });
    }
  }
}

import type { NodeRuntime } from '../world/runtime.js';

/**
 * One small object a node keeps on its disk (a client's open work, a vote):
 * `save` writes the value as it is when the write starts, syncs, and only
 * then runs the callbacks waiting for it. Saves asked for during a write
 * share the next one (group commit); a failed write (disk full or failed) is
 * retried after `retryAfter`, and nothing waiting on it runs meanwhile.
 */
export class DurableRecord<T> {
  private writing = false;
  private waiting: Array<() => void> = [];
  private due = false;

  constructor(
    private readonly rt: NodeRuntime,
    private readonly key: string,
    private readonly value: () => T,
    private readonly bytes: (value: T) => number,
    private readonly retryAfter: number,
  ) {}

  save(then: () => void = () => {}): void {
    this.waiting.push(then);
    this.due = true;
    if (!this.writing) this.write();
  }

  private write(): void {
    this.writing = true;
    this.due = false;
    const batch = this.waiting;
    this.waiting = [];
    const value = this.value();
    this.rt.disk.write(this.key, this.bytes(value), 0, (ok) => {
      if (!ok) {
        this.waiting = [...batch, ...this.waiting];
        this.due = true;
        this.rt.setTimer(this.retryAfter, () => this.write());
        return;
      }
      this.rt.disk.sync(() => {
        this.writing = false;
        for (const w of batch) w();
        if (this.due) this.write();
      });
    }, value);
  }
}

import { EventQueue, type EventId, type Handler } from './event-queue.js';
import { assertSimTime, type SimTime } from './time.js';

/**
 * The virtual clock and its scheduler. Time advances only by running the next
 * event; nothing here knows what an event means. Handlers run synchronously
 * inside `run`/`step` (no Promises), so the order of effects is exactly the
 * order of events.
 */
export class Simulator {
  private readonly queue = new EventQueue();
  private stopped = false;
  /** Events run so far. */
  eventsRun = 0;

  get now(): SimTime {
    return this.queue.time;
  }

  /** Events scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.queue.size;
  }

  /** Runs `handler(arg)` at absolute time `at` (not before now). */
  at<A>(at: SimTime, handler: Handler<A>, arg: A): EventId {
    if (!(at >= this.queue.time) || !Number.isSafeInteger(at)) {
      throw new RangeError(`cannot schedule at ${at}: must be an integer >= now (${this.queue.time})`);
    }
    return this.queue.push(at, handler, arg);
  }

  /**
   * A place in the same-instant order, taken now for an event scheduled
   * later with `atPlace`: it then runs where one scheduled now would have.
   */
  reservePlace(): number {
    return this.queue.reserve();
  }

  /** Runs `handler(arg)` at absolute time `at` (not before now), in the same-instant order at `place` (from `reservePlace`). */
  atPlace<A>(at: SimTime, place: number, handler: Handler<A>, arg: A): EventId {
    if (!(at >= this.queue.time) || !Number.isSafeInteger(at)) {
      throw new RangeError(`cannot schedule at ${at}: must be an integer >= now (${this.queue.time})`);
    }
    return this.queue.pushInPlace(at, place, handler, arg);
  }

  /** Runs `handler(arg)` after `delay` microseconds (0 = later in this instant). */
  after<A>(delay: SimTime, handler: Handler<A>, arg: A): EventId {
    // Same test as Number.isSafeInteger plus sign, in the form V8 inlines best (this is the hot path).
    if (!(delay >= 0 && delay <= Number.MAX_SAFE_INTEGER) || Math.floor(delay) !== delay) {
      throw new RangeError(`negative or fractional delay ${delay}`);
    }
    return this.queue.push(this.queue.time + delay, handler, arg);
  }

  /** Cancels a pending event; false if it already ran or was cancelled. */
  cancel(id: EventId): boolean {
    return this.queue.cancel(id);
  }

  /** Time of the next pending event, or Infinity. */
  nextTime(): number {
    return this.queue.peekTime();
  }

  /** Runs one event; false when none is pending. */
  step(): boolean {
    const ran = this.queue.runNext(Infinity);
    if (ran) this.eventsRun++;
    return ran;
  }

  /**
   * Runs events in (time, insertion) order until none remain, `until` is
   * passed, or `stop()` is called. With `until`, the clock ends at `until`
   * even if the last event came earlier, so a run always covers its horizon.
   */
  run(until: SimTime = Infinity): number {
    if (until !== Infinity) assertSimTime(until, 'run horizon');
    this.stopped = false;
    const queue = this.queue;
    let n = 0;
    while (!this.stopped && queue.runNext(until)) n++;
    this.eventsRun += n;
    if (until !== Infinity && !this.stopped && queue.time < until) queue.time = until;
    return n;
  }

  /** Ends the current `run` after the event being handled. */
  stop(): void {
    this.stopped = true;
  }
}

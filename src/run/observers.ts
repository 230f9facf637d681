import type { InvariantResult } from '../check/index.js';
import type { RunEnd, SystemModule, SystemObserver } from '../modules/system-module.js';
import type { Summary } from '../modules/summary.js';
import type { Telemetry, TelemetryEvent } from '../systems/index.js';

/** The invariants one system checks. */
export interface InvariantFamily {
  family: string;
  names: string[];
}

/**
 * Every observer of one run, one per module that has one, in registry order.
 * It is the systems' telemetry sink: each event reaches the observers in that
 * order (after the caller's tap, if any).
 */
export class RunObservers implements Telemetry {
  private readonly list: Array<{ module: SystemModule; observer: SystemObserver }>;

  constructor(entries: ReadonlyArray<{ module: SystemModule; observer: SystemObserver }>, private readonly tap?: (e: TelemetryEvent) => void) {
    this.list = [...entries];
  }

  emit(e: TelemetryEvent): void {
    this.tap?.(e);
    for (const { observer } of this.list) observer.observe?.(e);
  }

  sample(): void {
    for (const { observer } of this.list) observer.sample?.();
  }

  /** Every observer's gauges, merged in registry order. */
  gauges(): Record<string, number> {
    return Object.assign({}, ...this.list.map(({ observer }) => observer.gauges?.() ?? {})) as Record<string, number>;
  }

  afterFault(): void {
    for (const { observer } of this.list) observer.afterFault?.();
  }

  finish(end: RunEnd): void {
    for (const { observer } of this.list) observer.finish?.(end);
  }

  /** The nodes holding a role now, or undefined when no module declares it. */
  holders(role: string): number[] | undefined {
    const entry = this.list.find(({ module }) => module.roles !== undefined && role in module.roles);
    return entry ? entry.observer.holders?.(role) ?? [] : undefined;
  }

  files(): Record<string, string> {
    return Object.assign({}, ...this.list.map(({ observer }) => observer.files?.() ?? {})) as Record<string, string>;
  }

  sections(): Partial<Summary> {
    return Object.assign({}, ...this.list.map(({ observer }) => observer.summary?.() ?? {})) as Partial<Summary>;
  }

  /** Judges every invariant (once per run: some checkers are costly), noting which module's each is. */
  invariants(): InvariantResult[] {
    const byModule = this.list.map(({ module, observer }) => ({ family: module.name, results: observer.invariants?.() ?? [] })).filter((m) => m.results.length > 0);
    this.families = byModule.map((m) => ({ family: m.family, names: m.results.map((r) => r.name) }));
    return byModule.flatMap((m) => m.results);
  }

  private families: InvariantFamily[] = [];

  /** The invariants judged, by the module that checks them (a family), in registry order. */
  invariantFamilies(): InvariantFamily[] {
    return this.families;
  }
}

import type { Simulator, SimTime } from '../kernel/index.js';
import type { Summary } from '../modules/summary.js';
import type { LoadedScenario } from '../scenario/index.js';
import type { GroundTruth } from '../world/ground-truth.js';
import type { RunObservers } from './observers.js';

export type { StageSummary, Summary } from '../modules/summary.js';

export interface SummaryInputs {
  loaded: LoadedScenario;
  seed: number;
  sim: Simulator;
  truth: GroundTruth;
  observers: RunObservers;
  /** Faults scheduled: the fixed timeline plus those the nemesis drew. */
  faultCount: number;
  /** Where the run ended (its duration, or a stop), and the `stop_when:` condition that stopped it. */
  end: SimTime;
  stopped: { at: SimTime; condition: string } | undefined;
}

/**
 * Where each section stands in summary.json. This is the order summaries
 * have always had, kept so they stay byte-identical; a section this list
 * does not name (a new module's) goes after these, in registry order.
 */
const SECTION_ORDER: ReadonlyArray<keyof Summary> = ['pipeline', 'stages', 'bottleneck', 'durability', 'detection', 'repair', 'rebalance', 'raft', 'network', 'faults', 'coordinator'];

/** summary.json (expectations are judged afterwards, from its named metrics). */
export function buildSummary(inputs: SummaryInputs): Summary {
  const { loaded, seed, sim, truth, observers } = inputs;
  const net = truth.networkStats;
  const sections: Partial<Summary> = {
    ...observers.sections(),
    network: {
      messages_sent: net.sent,
      messages_delivered: net.delivered,
      messages_dropped: net.dropped.loss + net.dropped.node_down + net.dropped.partition,
      transfers_completed: truth.transferStats.completed,
      transfers_aborted: truth.transferStats.aborted,
      transfers_cross_cloud: truth.transferStats.crossCloud,
      mean_transfer_s: truth.transferStats.completed > 0 ? Math.round(truth.transferStats.completedMicros / truth.transferStats.completed) / 1e6 : null,
    },
    faults: inputs.faultCount,
  };
  const ordered: Record<string, unknown> = {};
  for (const key of SECTION_ORDER) if (sections[key] !== undefined) ordered[key] = sections[key];
  for (const [key, value] of Object.entries(sections)) if (!(key in ordered) && value !== undefined) ordered[key] = value;
  return {
    scenario: loaded.name,
    seed,
    scenario_sha256: loaded.hash,
    simulated_s: inputs.end / 1e6,
    events: sim.eventsRun,
    ...(loaded.scenario.stop_when === undefined ? {} : { stopped: inputs.stopped ? { at_s: inputs.stopped.at / 1e6, condition: inputs.stopped.condition } : null }),
    ...(ordered as Omit<Summary, 'scenario' | 'seed' | 'scenario_sha256' | 'simulated_s' | 'events' | 'stopped' | 'invariants' | 'expectations'>),
    invariants: observers.invariants(),
    expectations: [],
  };
}

import { DetectorCollector } from '../../metrics/detector.js';
import { MembershipCollector } from '../../metrics/membership.js';
import type { SystemModule } from '../../modules/system-module.js';
import { bootMembership, type DetectorOptions } from './index.js';

export interface MembershipSettings {
  detector: DetectorOptions;
  /** How long one piece of evidence from failed work keeps a member out of placement (`pipeline.suspicion_period`). */
  suspicionPeriod: number;
  /** The node that keeps the catalog (the pipeline's source node): it refuses to drain or be decommissioned. */
  catalogNode: number;
}

/**
 * Membership: every node's view of who is healthy, fed by the failure
 * detector chosen in `detector:`. Its observer writes detector.csv and the
 * `detection` section: detection times of real crashes and the cost in
 * false suspicions.
 */
export const membershipModule: SystemModule<MembershipSettings> = {
  name: 'membership',
  settings({ scenario, index }) {
    const d = scenario.detector;
    return {
      suspicionPeriod: scenario.pipeline.suspicion_period,
      catalogNode: index(scenario.pipeline.source_node),
      detector: {
        kind: d.kind,
        heartbeat: { interval: d.heartbeat.interval, suspectAfter: d.heartbeat.suspect_after, timeout: d.heartbeat.timeout },
        phi: {
          interval: d.phi_accrual.interval, checkInterval: d.phi_accrual.check_interval, suspectThreshold: d.phi_accrual.suspect_threshold,
          threshold: d.phi_accrual.threshold, windowSize: d.phi_accrual.window_size, minStdDev: d.phi_accrual.min_std_dev, acceptablePause: d.phi_accrual.acceptable_pause, model: d.phi_accrual.model,
        },
        swim: {
          period: d.swim.period, pingTimeout: d.swim.ping_timeout, indirectProbes: d.swim.indirect_probes, suspicionTimeout: d.swim.suspicion_timeout,
          retransmitMultiplier: d.swim.retransmit_multiplier, maxPiggyback: d.swim.max_piggyback, probeOrder: d.swim.probe_order,
          lifeguard: d.swim.lifeguard.enabled
            ? { suspicionMultiplier: d.swim.lifeguard.suspicion_multiplier, maxMultiplier: d.swim.lifeguard.max_multiplier, maxHealth: d.swim.lifeguard.max_health }
            : undefined,
        },
      },
    };
  },
  boot(node, s) {
    node.registry = bootMembership(node.rt, s.detector, s.suspicionPeriod, node.cluster, node.telemetry, s.catalogNode);
  },
  observe({ truth, bucket }) {
    const detector = new DetectorCollector(truth, bucket);
    const membership = new MembershipCollector(truth);
    return {
      observe: (e) => {
        detector.observe(e);
        membership.observe(e);
      },
      files: () => ({ 'detector.csv': detector.toCsv() }),
      summary: () => {
        const m = membership.summary();
        return { detection: detector.summary(), ...(m ? { membership: m } : {}) };
      },
    };
  },
  terminal(s) {
    const d = s.detection;
    const times = d.detected > 0 ? ` (p50 ${d.p50_s}s, max ${d.max_s}s)` : '';
    const m = s.membership;
    const lines = m ? [`membership: ${m.nodes_at_start} nodes at the start, ${m.nodes_at_end} at the end; ${m.joins} joined, ${m.drains} drained${m.drain_max_s !== null ? ` (longest ${m.drain_max_s}s)` : ''}, ${m.decommissions} decommissioned`] : [];
    return [...lines, `detection: ${d.detected} of ${d.crashes} crashes detected${times}; ${d.false_suspicions} false suspicions, ${d.false_failures} of them live nodes declared failed`];
  },
  metrics: {
    crashes_detected: (s) => s.detection.detected,
    detection_p50_s: (s) => s.detection.p50_s,
    detection_p95_s: (s) => s.detection.p95_s,
    detection_max_s: (s) => s.detection.max_s,
    false_suspicions: (s) => s.detection.false_suspicions,
    false_failures: (s) => s.detection.false_failures,
    nodes_at_end: (s) => s.membership?.nodes_at_end ?? null,
    drain_max_s: (s) => s.membership?.drain_max_s ?? null,
  },
};

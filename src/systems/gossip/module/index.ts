import type { SystemModule } from '../../../modules/system-module.js';
import { AntiEntropyNode, type GossipOptions } from '../anti-entropy.js';
import { GossipObserver, type GossipSummary } from './observer.js';
import { gossipBlock, type GossipBlock } from '../scenario-block.js';

/**
 * Push anti-entropy of a versioned value, when the scenario has a `gossip:`
 * block: a small system that also serves as the worked example of adding
 * one. Everything it needs is in this folder, plus its line in
 * modules/registry.ts.
 */
export const gossipModule: SystemModule<GossipOptions, GossipBlock> = {
  name: 'gossip',
  block: { key: 'gossip', schema: gossipBlock },
  defects: ['gossip_ignore_pushes'],
  check({ names, hint }, g) {
    if (g && !names.nodes.includes(g.source)) return { path: ['gossip', 'source'], message: `no node called "${g.source}"; ${hint}` };
    return undefined;
  },
  settings({ topology, index, defects }, g) {
    if (!g) return undefined;
    return {
      source: index(g.source), interval: g.interval, updateEvery: g.update_every, fanout: g.fanout,
      members: topology.nodes.map((_, i) => i), ignorePushes: defects.has('gossip_ignore_pushes'),
    };
  },
  boot(node, options) {
    new AntiEntropyNode(node.rt, options, node.telemetry);
  },
  observe({ truth }, options) {
    const observer = new GossipObserver(truth, options);
    return {
      observe: (e) => observer.observe(e),
      finish: () => observer.finish(),
      files: () => ({ 'gossip.csv': observer.toCsv() }),
      summary: () => ({ gossip: observer.summary() }),
      invariants: () => observer.results(),
    };
  },
  metrics: {
    gossip_versions: (s) => s.gossip?.versions ?? null,
    gossip_convergence_p95_s: (s) => s.gossip?.p95_convergence_s ?? null,
    gossip_convergence_max_s: (s) => s.gossip?.max_convergence_s ?? null,
  },
  terminal: (s) => (s.gossip ? [`gossip: ${s.gossip.converged}/${s.gossip.versions} versions reached every live node, p95 ${s.gossip.p95_convergence_s ?? '-'}s`] : []),
};

declare module '../../../modules/summary.js' {
  interface Summary {
    /** Present when the scenario runs the gossip system. */
    gossip?: GossipSummary;
  }
}

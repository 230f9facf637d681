import type { NodeRuntime } from '../../world/runtime.js';
import type { NodeRegistry } from '../registry.js';
import { DetectorPort, type Beat } from './messages.js';
import type { HeartbeatOptions } from './options.js';
import { Beliefs, type Verdict } from './verdicts.js';

/**
 * Sends a heartbeat to every peer each interval and, at the same tick, judges
 * each peer by how long it has been silent (document 002): longer than
 * `suspectAfter` is Suspected, longer than `timeout` is Failed; any heartbeat
 * makes it Healthy again. A crash is therefore declared within
 * timeout + interval (plus one link latency). Only members are watched
 * (the registry's roster); a heartbeat from a machine not yet known as one
 * makes it one.
 */
export class HeartbeatDetector {
  private readonly lastHeard: Float64Array;
  private readonly beliefs: Beliefs;
  private readonly body: Beat = {};

  constructor(private readonly rt: NodeRuntime, private readonly peers: readonly number[], private readonly opts: HeartbeatOptions, verdict: Verdict, size: number, private readonly registry: NodeRegistry) {
    this.beliefs = new Beliefs(registry, verdict);
    // Booting counts as hearing from everyone: silence is measured from here.
    this.lastHeard = new Float64Array(size).fill(rt.monotonic());
    rt.listen(DetectorPort.heartbeat, (from) => {
      if (!registry.present(from) && !registry.admit(from)) return;
      this.lastHeard[from] = rt.monotonic();
      this.beliefs.set(from, 'healthy');
    });
    // A joiner's silence is measured from when it joined (and its admission made it healthy).
    registry.onRosterChange((member, change) => {
      if (change === 'joined') this.lastHeard[member] = rt.monotonic();
    });
    this.tick();
  }

  private tick(): void {
    const now = this.rt.monotonic();
    for (const peer of this.peers) {
      if (!this.registry.present(peer)) continue;
      this.rt.send(peer, DetectorPort.heartbeat, this.body);
      const silence = now - this.lastHeard[peer]!;
      if (silence > this.opts.timeout) this.beliefs.set(peer, 'failed');
      else if (silence > this.opts.suspectAfter) this.beliefs.set(peer, 'suspected');
    }
    this.rt.setTimer(this.opts.interval, () => this.tick());
  }
}

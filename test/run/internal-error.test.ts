import { describe, expect, it } from 'vitest';
import { InternalRunError, lastEventsBefore, loadScenario, runScenario } from '../../src/run/index.js';

/** A bug inside a run must say where it happened, so it can be replayed; the replay reaches the same event. */
describe('an error inside a run', () => {
  const loaded = loadScenario('scenarios/node-loss.yml');
  const boom = (_t: number, e: { kind: string }): void => {
    if (e.kind === 'acked') throw new Error('planted bug');
  };

  it('comes out as an InternalRunError naming the scenario, seed and simulated instant', () => {
    let caught: unknown;
    try {
      runScenario(loaded, { seed: 42, observe: boom });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InternalRunError);
    const e = caught as InternalRunError;
    expect(e.seed).toBe(42);
    expect(e.simTime).toBeGreaterThan(0);
    expect(e.message).toMatch(/^internal error in node-loss at seed 42, t=[\d.]+s \(after \d+ events\): planted bug$/);
  });

  it('a traced replay shows the events that led to it, ending at the same instant', () => {
    let simTime = -1;
    try {
      runScenario(loaded, { seed: 42, observe: boom });
    } catch (e) {
      simTime = (e as InternalRunError).simTime;
    }
    const last = lastEventsBefore(loaded, 42, 5, { observe: boom });
    expect(last).toHaveLength(5);
    expect(last.at(-1)).toMatch(new RegExp(`^t=${simTime / 1e6}s `));
  });
});

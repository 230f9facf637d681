import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, ScenarioRun } from '../../src/run/index.js';

/** The CLI advances a run in slices (to answer signals and show progress): the outputs must be those of one call. */
describe('a run advanced in slices', () => {
  const loaded = loadScenario('scenarios/raft-leader-crash.yml', { set: ['duration=40s'] });
  const whole = runScenario(loaded, { seed: 3 });

  it('gives byte-identical outputs however the horizon is cut', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: loaded.scenario.duration }), { maxLength: 6 }), (cuts) => {
      const run = new ScenarioRun(loaded, { seed: 3 });
      for (const t of [...cuts].sort((a, b) => a - b)) run.advance(t);
      expect(run.finish().files).toEqual(whole.files);
    }), { numRuns: 4, seed: 17 });
  });
});

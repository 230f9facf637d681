import { describe, expect, it } from 'vitest';
import { loadScenario, loadScenarioWith, scenarioFromSettings, settingsAsSet } from '../../src/run/index.js';
import { ScenarioError } from '../../src/scenario/index.js';

describe('scenarios in code (typed settings)', () => {
  it('turns nested overrides into --set settings, a list as one value', () => {
    expect(settingsAsSet({ duration: '90s', pipeline: { distribution: { replication_factor: 2 } }, network: { links: [{ between: ['aws', 'gcp'], loss: 0.1 }] } })).toEqual([
      'duration="90s"',
      'pipeline.distribution.replication_factor=2',
      'network.links=[{"between":["aws","gcp"],"loss":0.1}]',
    ]);
  });

  it('overrides a file exactly as --set does', () => {
    const typed = loadScenarioWith('scenarios/node-loss.yml', { duration: '90s', detector: { kind: 'swim' } });
    const flagged = loadScenario('scenarios/node-loss.yml', { set: ['duration=90s', 'detector.kind=swim'] });
    expect(typed.scenario).toEqual(flagged.scenario);
    expect(typed.hash).toBe(flagged.hash);
  });

  it('names the setting when an override is refused', () => {
    expect(() => loadScenarioWith('scenarios/node-loss.yml', { pipeline: { distribution: { replication_factor: 0 } } })).toThrow(ScenarioError);
    expect(() => loadScenarioWith('scenarios/node-loss.yml', { pipeline: { distribution: { replication_factor: 0 } } })).toThrow(/pipeline\.distribution\.replication_factor/);
  });

  it('builds a whole scenario from an object, defaults filling in the rest', () => {
    const built = scenarioFromSettings('tiny', { duration: '30s', faults: [{ kind: 'node_crash', at: '10s', node: 'aws-east-2' }] });
    expect(built.name).toBe('tiny');
    expect(built.scenario.duration).toBe(30e6);
    expect(built.scenario.faults).toHaveLength(1);
    expect(built.scenario.detector.kind).toBe('heartbeat');
  });
});

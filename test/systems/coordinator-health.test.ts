import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, loadScenarioFromText, runScenario } from '../../src/run/index.js';
import { AgentHealth, HEALTH_WINDOW } from '../../src/systems/coordinator/health.js';
import type { TelemetryEvent } from '../../src/systems/index.js';

const invariant = (summary: { invariants: Array<{ name: string; held: boolean }> }, name: string) => summary.invariants.find((i) => i.name === name)! as { held: boolean; first?: { detail: string } };

describe('AgentHealth: document 003\'s health score, measured', () => {
  it('is 100 for an agent that hears everyone and has done nothing yet', () => {
    expect(new AgentHealth().score(1)).toBe(100);
  });

  it('falls with the share of agents not heard, failed tasks and slow ones, each over a window of 20', () => {
    const h = new AgentHealth();
    expect(h.score(0.5)).toBe(50);
    // One failure among the first tasks costs a twentieth, not everything.
    h.executed(false, 1000, 1000);
    expect(h.score(1)).toBe(95);
    const slow = new AgentHealth();
    for (let i = 0; i < HEALTH_WINDOW; i++) slow.executed(true, 1000, 3000);
    expect(slow.score(1)).toBe(33);
    // The window forgets: twenty good tasks later, full marks.
    for (let i = 0; i < HEALTH_WINDOW; i++) slow.executed(true, 1000, 1000);
    expect(slow.score(1)).toBe(100);
  });
});

describe('coordinator-health.yml: measured health, weighted proposals, failing and timed-out tasks', () => {
  const scenario = loadScenario('scenarios/coordinator-health.yml');

  it('passes over the browned-out agent at failover; retries failed and timed-out tasks; nothing lost; every checker holds', () => {
    const health: Array<{ node: number; health: number }> = [];
    const { summary } = runScenario(scenario, { seed: 42, observe: (_t, e: TelemetryEvent) => { if (e.kind === 'coord_health') health.push(e); } });
    const c = summary.coordinator!;
    expect(summary.invariants.every((i) => i.held)).toBe(true);
    expect(c.failovers[0]).toMatchObject({ at_s: 90, from: 'aws-east-1', to: 'gcp-central-1' });
    const slowed = c.agent_health.find((h) => h.agent === 'aws-east-2')!;
    expect(slowed.final).toBeLessThan(40);
    // The cut-off agent heard nobody for a while.
    expect(c.agent_health.find((h) => h.agent === 'azure-east-1')!.min).toBe(0);
    expect(c.task_retries.failed).toBeGreaterThan(0);
    expect(c.task_retries.timeout).toBeGreaterThan(0);
    expect(c.tasks_lost).toBe(0);
    expect(c.proposals.policy_change.decided).toBe(11);
    expect(c.proposals.abstained_weight).toBeGreaterThan(0);
    expect(health.length).toBeGreaterThan(0);
  });

  it('without the brownout, the next agent by priority (aws-east-2) takes over', () => {
    const text = readFileSync('scenarios/coordinator-health.yml', 'utf8');
    const plain = loadScenarioFromText('no-brownout.yml', text.replace(/^  - \{ kind: brownout.*\n/m, ''), { set: [] });
    expect(plain.scenario.faults).toHaveLength(2);
    expect(runScenario(plain, { seed: 42 }).summary.coordinator!.failovers[0]!.to).toBe('aws-east-2');
  });

  it('a planted defect: abstentions counted as approvals are caught by proposal_tally_matches_ballots', () => {
    const caught = invariant(runScenario(scenario, { seed: 42, defects: ['abstain_counts_as_approve'] }).summary, 'proposal_tally_matches_ballots');
    expect(caught.held).toBe(false);
    expect(caught.first!.detail).toMatch(/^\S+ counted [\d.]+ approve on proposal \d+ \((agent_dead|policy_change)\); ballots cast: [\d.]+$/);
    expect(invariant(runScenario(scenario, { seed: 42 }).summary, 'proposal_tally_matches_ballots').held).toBe(true);
  });
});

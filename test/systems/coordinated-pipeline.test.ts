import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, runScenario, type RunResult } from '../../src/run/index.js';
import { buildTopology, ScenarioError } from '../../src/scenario/index.js';
import { blockOf } from '../../src/modules/scenario-systems.js';
import { coordinatorModule } from '../../src/systems/coordinator/module.js';
import { CoordinatorAgent, CoordinatorClient, type CoordinatorOptions, type TelemetryEvent } from '../../src/systems/index.js';
import type { NodeRuntime } from '../../src/world/index.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { scenarioFrom } from '../helpers/scenario.js';
import { tinyWorld } from '../world/helpers.js';

const s = (n: number) => n * 1_000_000;
const FILE = 'scenarios/coordinated-pipeline.yml';

// --- the client and the agents on their own, in a four-node world ------------

interface Claim { task: string; agent: number; at: number }

/** Agents on nodes 1, 2, 3 (one processing slot each); the client on node 0. */
function coordinated(capabilities: string[][], priorities = [30, 20, 10]) {
  const group: CoordinatorOptions = {
    agents: [1, 2, 3], priorities, capabilities,
    heartbeatInterval: s(1), heartbeatTimeout: s(5), quorumThreshold: 0.5, voteTimeout: s(1), maxRetries: 3, election: 'bully', slots: [1, 1, 1], weights: 'equal', taskTimeout: 0, taskFailureRate: 0,
  };
  const telemetry = { emit: (_e: TelemetryEvent) => {} };
  let client: CoordinatorClient | undefined;
  const w = tinyWorld({
    onBoot: (rt: NodeRuntime) => {
      if (rt.self === 0) client = new CoordinatorClient(rt, group);
      else new CoordinatorAgent(rt, group, telemetry);
    },
  });
  const claims: Claim[] = [];
  /** Asks at `t` for a worker; `accept` decides whether the claim is taken. */
  const request = (t: number, name: string, accept = true) => {
    const ticket = { id: '' };
    w.at(t, () => {
      ticket.id = client!.request((agent) => {
        claims.push({ task: name, agent, at: w.sim.now });
        return accept;
      });
    });
    return ticket;
  };
  const finish = (t: number, ticket: { id: string }) => w.at(t, () => client!.finished(ticket.id, true));
  return { ...w, claims, request, finish };
}

describe('the coordinator picks workers for the pipeline (CoordinatorClient)', () => {
  it('work goes only to agents with "process" and a free slot; the rest waits until a slot is released', () => {
    const c = coordinated([['process'], ['process'], ['index']]);
    const a = c.request(s(1), 'a');
    c.request(s(1), 'b');
    c.request(s(1), 'c');
    c.sim.run(s(5));
    expect(c.claims.map((x) => [x.task, x.agent])).toEqual([['a', 1], ['b', 2]]);
    c.finish(s(5), a);
    c.sim.run(s(8));
    expect(c.claims.map((x) => [x.task, x.agent])).toEqual([['a', 1], ['b', 2], ['c', 1]]);
    expect(c.claims[2]!.at).toBeLessThan(s(5) + s(0.1)); // at once, not at the next heartbeat
  });

  it('a claim the submitter declines is released at once, so the agent can take other work', () => {
    const c = coordinated([['process'], ['index'], ['index']]);
    c.request(s(1), 'stale', false);
    c.request(s(2), 'next');
    c.sim.run(s(4));
    // One agent, one slot: "next" could only be claimed if "stale" was let go.
    expect(c.claims.map((x) => [x.task, x.agent])).toEqual([['stale', 1], ['next', 1]]);
  });

  it('when the coordinator dies, waiting work is resubmitted to the new one, within capacity, each claimed once', () => {
    // Node 1 coordinates (highest priority) but cannot process; 2 and 3 can, one slot each.
    const c = coordinated([['index'], ['process'], ['process']], [50, 20, 10]);
    const a = c.request(s(1), 'a');
    c.request(s(1), 'b');
    c.request(s(1), 'c');
    c.at(s(3), () => c.world.crash(1));
    c.finish(s(4), a);
    c.sim.run(s(40));
    expect(c.claims.map((x) => [x.task, x.agent])).toEqual([['a', 2], ['b', 3], ['c', 2]]);
    // Claimed only after a new coordinator was elected (heartbeat timeout after the crash).
    expect(c.claims[2]!.at).toBeGreaterThan(s(3) + s(5));
  });
});

// --- the shipped scenario ----------------------------------------------------

function observed(file: string, seed: number, set: string[] = []) {
  const events: Array<{ t: number; e: TelemetryEvent }> = [];
  const loaded = loadScenario(file, { set });
  const result = runScenario(loaded, { seed, observe: (t, e) => events.push({ t, e }) });
  const names = buildTopology(loaded.scenario).nodes.map((n) => n.name);
  const processedOn = (chunk?: number) => events.flatMap(({ e }) => (e.kind === 'processed' && (chunk === undefined || e.chunk === chunk) ? [names[e.node]!] : []));
  return { events, result, names, processedOn };
}

const digest = (r: RunResult) => createHash('sha256').update(JSON.stringify(r.files)).digest('hex');

describe(`${FILE}: processing through the coordinator, which dies, and a worker agent dies too`, () => {
  const run = observed(FILE, 42);
  const { events, result } = run;

  it('passes its expectations and invariants: every chunk acknowledged once', () => {
    expect(result.failures).toEqual([]);
    expect(result.summary.pipeline.chunks_acked).toBe(200);
    expect(result.summary.pipeline.chunks_failed).toBe(0);
    const acked = events.flatMap(({ e }) => (e.kind === 'acked' ? [e.chunk] : []));
    expect(new Set(acked).size).toBe(200);
    expect(acked.length).toBe(200);
  });

  it('chunks are processed only on agents with "process", never on the source, plain nodes or indexing agents', () => {
    const used = new Set(run.processedOn());
    expect([...used].sort()).toEqual(['aws-east-2', 'aws-east-3', 'gcp-central-1', 'gcp-central-2']);
    // The same scenario with the orchestrator picking spreads work over nodes that are not agents.
    const direct = new Set(observed(FILE, 42, ['pipeline.coordination=direct']).processedOn());
    expect(direct.has('aws-east-1') || direct.has('azure-east-1')).toBe(true);
  });

  it('the coordinator dies mid-processing; another is elected and the pipeline carries on through it', () => {
    const roles = events.flatMap(({ t, e }) => (e.kind === 'coord_role' ? [{ t, node: run.names[e.node], term: e.term }] : []));
    expect(roles[0]).toMatchObject({ node: 'aws-east-2', term: 1 });
    const next = roles.find((r) => r.t > s(12))!;
    expect(next).toMatchObject({ node: 'gcp-central-1', term: 2 });
    const at = (t: number, e: TelemetryEvent) => (e.kind === 'processed' ? [{ t, node: run.names[e.node] }] : []);
    const processed = events.flatMap(({ t, e }) => at(t, e));
    // aws-east-2 was processing when it died, and none of its work was accepted afterwards.
    expect(processed.some((p) => p.node === 'aws-east-2' && p.t < s(12))).toBe(true);
    expect(processed.filter((p) => p.node === 'aws-east-2' && p.t > s(12))).toEqual([]);
    // Work assigned by the new coordinator is processed.
    expect(processed.filter((p) => p.t > next.t).length).toBeGreaterThan(100);
    // The chunks on the dead coordinator and on the dead worker agent were processed again elsewhere.
    const retried = events.flatMap(({ e }) => (e.kind === 'retry' && e.stage === 'processing' ? [e.reason] : []));
    expect(retried.some((r) => r.endsWith('on node 1'))).toBe(true); // aws-east-2
    expect(retried.some((r) => r.endsWith('on node 6'))).toBe(true); // gcp-central-2
  });

  it('no chunk is processed twice for one attempt: at most once per dispatch the orchestrator made', () => {
    const retries = new Map<number, number>();
    for (const { e } of events) if (e.kind === 'retry' && e.stage === 'processing') retries.set(e.chunk, (retries.get(e.chunk) ?? 0) + 1);
    for (let chunk = 0; chunk < 200; chunk++) expect(run.processedOn(chunk).length, `chunk ${chunk}`).toBeLessThanOrEqual(1 + (retries.get(chunk) ?? 0));
    // Chunks never retried were processed exactly once.
    expect(run.processedOn(0)).toHaveLength(1 + (retries.get(0) ?? 0));
  });

  it('the same seed gives byte-identical outputs; another seed does not', () => {
    expect(digest(runScenario(loadScenario(FILE), { seed: 42 }))).toBe(digest(result));
    expect(digest(runScenario(loadScenario(FILE), { seed: 7 }))).not.toBe(digest(result));
  });
});

describe('pipeline.coordination in scenario files', () => {
  it('defaults to direct; coordinator.tasks is optional and without it no task workload runs', () => {
    expect(scenarioFrom('duration: 1m\n').scenario.pipeline.coordination).toBe('direct');
    const loaded = scenarioFrom('duration: 1m\npipeline:\n  dataset: { size: 1GB, file_size: 1GB }\n  coordination: coordinator\ncoordinator:\n  agents:\n    - { node: aws-east-2 }\n    - { node: gcp-central-1 }\n');
    expect(blockOf(loaded.scenario, coordinatorModule)!.tasks).toBeUndefined();
    const tasks: string[] = [];
    const r = runScenario(loaded, { seed: 1, observe: (_t, e) => { if (e.kind === 'coord_task') tasks.push(e.phase); } });
    expect(tasks).toEqual([]);
    expect(r.summary.pipeline.chunks_acked).toBe(10);
    expect(r.failures).toEqual([]);
  });

  it('coordination: coordinator without a coordinator block is an input error naming file, line and field', () => {
    const yaml = 'duration: 1m\npipeline:\n  coordination: coordinator\n';
    expect(() => scenarioFrom(yaml)).toThrow(ScenarioError);
    expect(() => scenarioFrom(yaml)).toThrow(/^inline\.yml:3:17: pipeline\.coordination: "coordinator" needs document 003's coordinator in the scenario \(a coordinator: block/);
    expect(() => scenarioFrom('duration: 1m\n', 'x.yml', ['pipeline.coordination=coordinator'])).toThrow(/^--set pipeline\.coordination=coordinator: pipeline\.coordination: "coordinator" needs/);
    expect(() => scenarioFrom(`${yaml}coordinator:\n  agents:\n    - { node: aws-east-2, capabilities: [index] }\n`)).toThrow(/pipeline\.coordination: "coordinator" needs at least one coordinator agent with the capability "process"/);
  });

  it('the CLI exits 2 on it, with the message and no stack trace', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'duration: 1m\npipeline:\n  coordination: coordinator\n');
    const r = runCli('sim.ts', [file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3:17: pipeline.coordination: "coordinator" needs document 003's coordinator`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

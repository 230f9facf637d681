import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync, tempDir, type CliResult } from '../helpers/cli.js';
import { freePort, startRedis, type TestRedis } from '../helpers/redis.js';
import { tree } from '../helpers/tree.js';

/**
 * The sweep across processes: a producer puts the seeds on a real Redis,
 * two `npm run worker`s serve it, one is killed (SIGKILL) mid-sweep with a
 * job in hand, and the result is the bytes of a one-thread local sweep.
 */
const SCENARIO = 'scenarios/node-loss.yml';
const ARGS = [SCENARIO, '--set', 'duration=90s', '--seeds', '1..24', '--quiet'];
const QUEUE = 'sweep-test';

let redis: TestRedis;
let local: { dir: string; result: CliResult };
const children = new Set<ChildProcess>();
let client: Redis | undefined;

/** Starts a Lorenz command, tracked so that afterAll can end it. */
function start(script: string, args: string[], onLine?: (line: string) => void): { child: ChildProcess; done: Promise<CliResult> } {
  let child!: ChildProcess;
  const done = runCliAsync(script, args, (c) => {
    child = c;
    children.add(c);
    let buffered = '';
    c.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) onLine?.(l);
    });
  }).finally(() => children.delete(child));
  return { child, done };
}

beforeAll(async () => {
  const dir = join(tempDir('lorenz-queue-'), 'local');
  // The reference sweep runs while redis-server starts (or is installed, on a fresh machine).
  const [r, result] = await Promise.all([startRedis(), runCliAsync('sweep.ts', [...ARGS, '--workers', '1', '--out', dir])]);
  redis = r;
  local = { dir, result };
}, 240_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  client?.disconnect();
  await redis?.stop();
});

describe('npm run sweep -- --queue, served by npm run worker', () => {
  it('survives a worker killed mid-sweep, shares jobs between producers of the same sweep, and writes the bytes of a local sweep', async () => {
    expect(local.result.code, local.result.stderr).toBe(1);
    const url = `${redis.url}/${QUEUE}`;
    const out = join(tempDir('lorenz-queue-'), 'out');
    const twin = join(tempDir('lorenz-queue-'), 'twin');
    const workerArgs = ['--queue', url, '--concurrency', '1', '--lock', '3s'];

    // Both producers put the same 24 jobs on the queue: 24 added, and 24 adds that found the job there.
    const redisClient = new Redis(redis.port, '127.0.0.1');
    client = redisClient;
    const producer = start('sweep.ts', [...ARGS, '--queue', url, '--out', out]);
    const second = start('sweep.ts', [...ARGS, '--queue', url, '--out', twin]);
    const count = async (): Promise<Record<string, number>> => {
      const n: Record<string, number> = { added: 0, duplicated: 0 };
      for (const [, fields] of await redisClient.xrange(`lorenz:${QUEUE}:events`, '-', '+')) if (fields[1]! in n) n[fields[1]!]!++;
      return n;
    };
    for (let t = 0; t < 600 && Object.values(await count()).some((v) => v < 24); t++) await new Promise((r) => setTimeout(r, 100));
    expect(await count()).toEqual({ added: 24, duplicated: 24 });

    // Worker A: killed as soon as it has run one seed, holding the next.
    let killedA!: () => void;
    const aKilled = new Promise<void>((resolve) => (killedA = resolve));
    const seenA: string[] = [];
    const a = start('worker.ts', workerArgs, (line) => {
      seenA.push(line);
      if (/ seed \d+: (ok|FAIL) in /.test(line) && a.child.exitCode === null && !a.child.killed) {
        a.child.kill('SIGKILL');
        killedA();
      }
    });
    await aKilled;
    expect((await a.done).code).toBe(-1);

    // Nobody serves the queue now: what is active was A's, and only its lapsed lock can free it.
    const held = await redisClient.lrange(`lorenz:${QUEUE}:active`, 0, -1);
    expect(held.length).toBeGreaterThan(0);

    const seen: string[] = [];
    const b = start('worker.ts', workerArgs, (line) => seen.push(line));
    const [made, twinned] = await Promise.all([producer.done, second.done]);
    for (const r of [made, twinned]) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/^FAIL \d+ of 24 runs: /);
    }

    expect(tree(out, ['timing.csv'])).toEqual(tree(local.dir, ['timing.csv']));
    expect(tree(twin, ['timing.csv'])).toEqual(tree(local.dir, ['timing.csv']));
    expect(readFileSync(join(out, 'timing.csv'), 'utf8').trim().split('\n')).toHaveLength(25);
    expect(existsSync(`${out}.partial`)).toBe(false);

    // The producer took its jobs off the queue (what is left is the queue's own bookkeeping).
    const jobs = (await redisClient.keys(`lorenz:${QUEUE}:*`)).filter((k) => k.split(':').length >= 5);
    expect(jobs).toEqual([]);

    // SIGTERM stops a worker cleanly.
    b.child.kill('SIGTERM');
    const stopped = await b.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    // B redid what A held when it died.
    for (const id of held) expect(seen.some((l) => l.includes(` seed ${id.split(':')[2]}: `)), id).toBe(true);
    // Each seed ran once for both producers, or twice if its first worker died with it.
    const ran = [...seenA, ...seen].map((l) => / seed (\d+): /.exec(l)?.[1]).filter((x) => x !== undefined);
    expect(new Set(ran).size).toBe(24);
    expect(ran.length).toBeLessThanOrEqual(24 + held.length);
  }, 120_000);

  it('a worker with --idle-exit stops by itself on an empty queue', async () => {
    const r = await start('worker.ts', ['--queue', `${redis.url}/idle`, '--concurrency', '1', '--idle-exit', '1s']).done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/serving .*idle/);
    expect(r.stderr).toMatch(/idle for 1s; stopping/);
  });
});

describe('a bad --queue exits 2 with one paragraph naming it, within seconds, and writes nothing', () => {
  it('for a URL that is not one, and a Redis that is not there', async () => {
    const port = await freePort();
    const nobody = `redis://127.0.0.1:${port}/q`;
    const outs = [0, 1, 2].map(() => join(tempDir(), 'out'));
    const started = performance.now();
    const [malformed, unreachable, worker] = await Promise.all([
      runCliAsync('sweep.ts', [...ARGS, '--queue', 'redis://127.0.0.1:6379', '--out', outs[0]!]),
      runCliAsync('sweep.ts', [...ARGS, '--queue', nobody, '--out', outs[1]!]),
      runCliAsync('worker.ts', ['--queue', nobody]),
    ]);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe('error: --queue redis://127.0.0.1:6379: no queue name (the path); expected redis://host:port/name, a Redis server and a queue name, such as redis://127.0.0.1:6379/lorenz.\n');
    for (const r of [unreachable, worker]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^error: --queue ${nobody}: cannot reach Redis at 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); start redis-server there, or point --queue at a running one\\.\\n$`));
    }
    for (const o of outs) expect(existsSync(o) || existsSync(`${o}.partial`)).toBe(false);
  });
});

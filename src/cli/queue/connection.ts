import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { ScenarioError } from '../../scenario/index.js';

/**
 * Where a sweep's queue lives: `redis://[user:password@]host[:port]/name`
 * (`rediss://` for TLS). The path is the BullMQ queue name, not a Redis
 * database number; every key is under `lorenz:<name>:`.
 */
export interface QueueTarget {
  /** As given on the command line, for messages and resume commands. */
  url: string;
  host: string;
  port: number;
  name: string;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Key prefix of every Lorenz queue (BullMQ's default is `bull`). */
export const QUEUE_PREFIX = 'lorenz';

/** Connecting gives up after this long (a host that drops packets rather than refusing). */
const CONNECT_TIMEOUT_MS = 3000;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function parseQueueUrl(text: string, flag = '--queue'): QueueTarget {
  const bad = (why: string): never => {
    throw new ScenarioError(`${flag} ${text}: ${why}; expected redis://host:port/name, a Redis server and a queue name, such as redis://127.0.0.1:6379/lorenz.`);
  };
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return bad('not a URL');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') bad(`the scheme is ${u.protocol.replace(/:$/, '')}, not redis or rediss`);
  if (u.hostname === '') bad('no host');
  if (u.search !== '' || u.hash !== '') bad('no query or fragment is understood');
  const name = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (name === '') bad('no queue name (the path)');
  if (!NAME_RE.test(name)) bad(`the queue name "${name}" may hold only letters, digits, ".", "_" and "-"`);
  return {
    url: text,
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port === '' ? 6379 : Number(u.port),
    name,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    tls: u.protocol === 'rediss:',
  };
}

export const addressOf = (t: QueueTarget): string => (t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`);

/**
 * ioredis options (as BullMQ types them) for BullMQ's connections. Reconnects back off up to 5 s;
 * whether Redis is there at all is settled first by `probeQueue`, which
 * does not retry.
 */
export function connectionOptions(t: QueueTarget): RedisOptions {
  return {
    host: t.host,
    port: t.port,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    ...(t.tls ? { tls: {} } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    retryStrategy: (times: number) => Math.min(times * 500, 5000),
  };
}

/**
 * Connects once, without retrying, and PINGs: an unreachable or refusing
 * Redis is a user error (exit 2) within a few seconds, before anything is
 * written. Returns the connected client (the caller quits it).
 */
export async function probeQueue(t: QueueTarget, flag = '--queue'): Promise<Redis> {
  const client = new Redis({ ...connectionOptions(t), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  let last: Error | null = null;
  client.on('error', (e: Error) => void (last = e));
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (e) {
    client.disconnect();
    const why = (last ?? (e as Error)).message || String(e);
    throw new ScenarioError(`${flag} ${t.url}: cannot reach Redis at ${addressOf(t)} (${why}); start redis-server there, or point ${flag} at a running one.`);
  }
}

/** The BullMQ connection settings shared by producer and workers. */
export const queueOptions = (t: QueueTarget): { connection: RedisOptions; prefix: string } => ({ connection: connectionOptions(t), prefix: QUEUE_PREFIX });

import {
  createPostgresBackend,
  type Processor,
  Queue,
  Worker,
  type WorkerOptions,
  withBackend,
} from 'bullmq';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { QueueName } from '../queues.js';

/**
 * Where the queues live. With REDIS_URL: BullMQ on Redis (the production default). Without it:
 * BullMQ 6's own PostgreSQL backend on paperboy's database, in schema `bullmq` (or
 * `bullmq_<prefix>` for another QUEUE_PREFIX), so the demo needs nothing but Node. Both run the
 * same BullMQ classes, so job ids, retries, the limiter and stalled-job recovery behave alike.
 */

export interface QueueBackend {
  readonly kind: 'redis' | 'postgres';
  /** One shared Queue per name (cheap to ask for repeatedly). */
  queue(name: QueueName): Queue;
  worker(
    name: QueueName,
    processor: Processor,
    options?: Omit<WorkerOptions, 'connection' | 'prefix'>,
  ): Worker;
  close(): Promise<void>;
}

export interface QueueBackendOptions {
  redisUrl: string | undefined;
  /** Used when there is no Redis. */
  databaseUrl: string;
  prefix: string;
}

export function queueBackendOptions(config: Config, databaseUrl: string): QueueBackendOptions {
  return { redisUrl: config.redisUrl, databaseUrl, prefix: config.queue.prefix };
}

export function createQueueBackend(options: QueueBackendOptions): QueueBackend {
  return options.redisUrl ? redisBackend(options.redisUrl, options.prefix) : postgresBackend(options);
}

function redisBackend(url: string, prefix: string): QueueBackend {
  const connections: Redis[] = [];
  const closables: { close(): Promise<void> }[] = [];
  const connect = (blocking: boolean) => {
    // Workers block on Redis and must wait out a restart rather than fail their commands.
    const redis = new Redis(url, blocking ? { maxRetriesPerRequest: null } : { maxRetriesPerRequest: 3 });
    // Connection errors reach callers through the commands that fail (and /healthz); without a
    // listener ioredis also prints every reconnect attempt as an unhandled error event.
    redis.on('error', () => {});
    connections.push(redis);
    return redis;
  };
  const queues = new Map<QueueName, Queue>();
  let shared: Redis | undefined;
  return {
    kind: 'redis',
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        shared ??= connect(false);
        q = new Queue(name, { connection: shared, prefix });
        queues.set(name, q);
        closables.push(q);
      }
      return q;
    },
    worker(name, processor, opts = {}) {
      const w = new Worker(name, processor, { ...opts, connection: connect(true), prefix });
      closables.unshift(w);
      return w;
    },
    async close() {
      for (const c of closables.splice(0)) await c.close();
      for (const r of connections.splice(0)) r.disconnect();
    },
  };
}

function postgresBackend(options: QueueBackendOptions): QueueBackend {
  const pg = withBackend(createPostgresBackend);
  const schema = options.prefix === 'paperboy' ? 'bullmq' : `bullmq_${options.prefix.replace(/-/g, '_')}`;
  const connection = (max: number) => ({ connectionString: options.databaseUrl, schema, migrate: true, max });
  const closables: { close(): Promise<void> }[] = [];
  const queues = new Map<QueueName, Queue>();
  return {
    kind: 'postgres',
    queue(name) {
      let q = queues.get(name);
      if (!q) {
        // The classes are the same as on Redis; only the backend type parameter differs.
        q = new pg.Queue(name, { connection: connection(3) }) as unknown as Queue;
        queues.set(name, q);
        closables.push(q);
      }
      return q;
    },
    worker(name, processor, opts = {}) {
      const w = new pg.Worker(name, processor as never, {
        ...opts,
        connection: connection(Math.min(10, (opts.concurrency ?? 1) + 2)),
      }) as unknown as Worker;
      closables.unshift(w);
      return w;
    },
    async close() {
      for (const c of closables.splice(0)) await c.close();
    },
  };
}

import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The one Prometheus registry of the process, and every metric paperboy exposes. Other parts
 * import the metric they feed (`emailsSent.inc()`), never create their own; `/metrics` serves
 * `registry.metrics()`.
 *
 * Counters and histograms live in the process that does the work: a worker's sends count in that
 * worker. `paperboy serve` answers `/metrics` for its own process, and a worker started with
 * METRICS_PORT answers on that port (see `startMetricsServer`).
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'paperboy_' });

export const emailsSent = new Counter({
  name: 'paperboy_emails_sent_total',
  help: 'Emails accepted by the transport (digests and tests).',
  labelNames: ['transport', 'kind'] as const,
  registers: [registry],
});

export const emailsFailed = new Counter({
  name: 'paperboy_emails_failed_total',
  help: 'Emails that failed to send, by reason (permanent, transient, rate_limited, render, …).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

export const rankDuration = new Histogram({
  name: 'paperboy_rank_duration_seconds',
  help: 'Time to rank one subscriber batch (or one preview) against an edition.',
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const renderDuration = new Histogram({
  name: 'paperboy_render_duration_seconds',
  help: 'Time to render one digest, by template.',
  labelNames: ['template'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const webhookEvents = new Counter({
  name: 'paperboy_webhook_events_total',
  help: 'Resend webhook events received and verified, by event type.',
  labelNames: ['type'] as const,
  registers: [registry],
});

export const adminActions = new Counter({
  name: 'paperboy_admin_actions_total',
  help: 'Operator console actions (pause, resume, retry, test send).',
  labelNames: ['action'] as const,
  registers: [registry],
});

/** How many jobs one queue holds in each state; read from the queue backend at scrape time. */
export type QueueDepthSource = () => Promise<{ queue: string; counts: Record<string, number> }[]>;

const queueDepthSources = new Set<QueueDepthSource>();

/**
 * Tells `/metrics` where to read queue depths from; returns how to stop. The web server adds one
 * for its queue backend; without any the gauge is simply empty.
 */
export function addQueueDepthSource(source: QueueDepthSource): () => void {
  queueDepthSources.add(source);
  return () => queueDepthSources.delete(source);
}

export const queueDepth = new Gauge({
  name: 'paperboy_queue_jobs',
  help: 'Jobs in each queue by state (waiting, active, delayed, failed, …), read at scrape time.',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    if (queueDepthSources.size === 0) return;
    try {
      for (const source of queueDepthSources) {
        for (const { queue, counts } of await source()) {
          for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
        }
      }
      queueBackendUp.set(1);
    } catch {
      // A scrape must still answer when the queue backend is down; the 0 below says so.
      queueBackendUp.set(0);
    }
  },
});

export const queueBackendUp = new Gauge({
  name: 'paperboy_queue_backend_up',
  help: '1 when the last scrape could read the queues, 0 when it could not.',
  registers: [registry],
});

/**
 * Serves `/metrics` on its own port, for processes without the web server (workers). Returns the
 * server so the caller can close it on shutdown.
 */
export function startMetricsServer(port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': registry.contentType }).end(await registry.metrics());
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

/**
 * Counts one transport call's emails: sent (an idempotency conflict means an earlier attempt was
 * accepted, so those count as sent too) or failed by the outcome's kind.
 */
export function countSendOutcome(
  transport: string,
  outcome: { ok: true } | { ok: false; kind: string },
  emails: number,
  kind = 'digest',
): void {
  if (outcome.ok || outcome.kind === 'idempotency_conflict') emailsSent.inc({ transport, kind }, emails);
  else emailsFailed.inc({ reason: outcome.kind }, emails);
}

/** Times an async step into a histogram, keeping the step's result and error. */
export async function timed<T>(
  histogram: Histogram<string>,
  labels: Record<string, string>,
  fn: () => Promise<T>,
) {
  const end = histogram.startTimer(labels);
  try {
    return await fn();
  } finally {
    end();
  }
}

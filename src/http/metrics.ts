// Prometheus metrics at GET /metrics (METRICS=on). A registry per app, not prom-client's global
// one, so two apps in one process (tests, a library user's own metrics) never collide.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { MetricsSettings } from '../config/parse-operations.js'
import type { AuditSink } from '../core/ports.js'
import type { AuditEvent } from '../core/types.js'
import { constantTimeEqual } from '../crypto/constant-time.js'
import { readBearer } from './credentials.js'

export interface Metrics {
  readonly registry: Registry
  /** Counts login outcomes from the audit trail, so API, pages and MFA logins all count. */
  readonly auditSink: AuditSink
}

export interface MetricsPluginOptions {
  readonly settings: MetricsSettings
  readonly metrics: Metrics
}

// Seconds; password work sits at 50-500 ms, a session check well under 5 ms.
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/** `hashQueueDepth`: password hashes waiting for a worker thread (the hasher's queue). */
export function createMetrics(hashQueueDepth: () => number): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'latchkey_' })
  const logins = new Counter({
    name: 'latchkey_login_total',
    help: 'Password and MFA login attempts by outcome',
    labelNames: ['outcome', 'reason'] as const,
    registers: [registry],
  })
  new Gauge({
    name: 'latchkey_password_hash_queue_depth',
    help: 'Password hashes and verifies waiting for a free worker thread',
    registers: [registry],
    collect() {
      this.set(hashQueueDepth())
    },
  })
  const auditSink: AuditSink = {
    write(event: AuditEvent): void {
      const outcome = loginOutcome(event)
      if (outcome !== null) logins.inc(outcome)
    },
  }
  return { registry, auditSink }
}

function loginOutcome(event: AuditEvent): { outcome: string; reason: string } | null {
  switch (event.type) {
    case 'user.login_succeeded':
      return { outcome: 'succeeded', reason: 'none' }
    case 'user.login_failed': {
      // Only our own closed set of reasons becomes a label value (bounded cardinality).
      const reason = event.data['reason']
      return { outcome: 'failed', reason: typeof reason === 'string' ? reason : 'other' }
    }
    case 'mfa.failed':
      return { outcome: 'failed', reason: 'mfa' }
    default:
      return null
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

async function metricsRoutes(app: FastifyInstance, opts: MetricsPluginOptions): Promise<void> {
  const { registry } = opts.metrics
  const latency = new Histogram({
    name: 'latchkey_http_request_duration_seconds',
    help: 'Time to answer, by route template (not raw URL) and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  })
  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    // The template keeps the label set bounded: /users/{id}, never one series per user id.
    const route = request.routeOptions.url ?? 'unmatched'
    latency.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    )
  })

  const expected = opts.settings.token === null ? null : digest(opts.settings.token)
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected !== null) {
      // Hashing first makes the comparison length-independent as well as constant-time.
      const given = readBearer(request)
      if (given === null || !constantTimeEqual(digest(given), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send()
      }
    }
    return reply
      .header('content-type', registry.contentType)
      .header('cache-control', 'no-store')
      .send(await registry.metrics())
  })
}

/**
 * Registers the request-latency hook on the whole app (like fastify-plugin) and GET /metrics.
 * Off unless METRICS=on: the numbers say how many logins fail, which is nobody else's business;
 * set METRICS_TOKEN, or keep /metrics off the public proxy.
 */
export const metricsPlugin: FastifyPluginAsync<MetricsPluginOptions> = Object.assign(
  metricsRoutes,
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: 'latchkey-metrics',
  },
)

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../../db/database.ts';
import { observeQueries } from '../../db/dialect.ts';
import { observeAudit } from '../../lib/audit.ts';
import type { Clock } from '../../lib/clock.ts';
import type { JobObserver } from '../../jobs/runner.ts';
import { outboxBacklog } from '../../lib/mail/outbox.ts';

/*
 * The Prometheus metrics of one process (prom-client), in a registry of its own (never the
 * library's global one: tests build several apps in one process). What each series counts is
 * in `docs/operations.md`; this process's requests, statements, job runs, logins and payments,
 * and the outbox as the database holds it, read when scraped.
 */

export interface Metrics {
  readonly registry: Registry;
  /** One answered request: its route's pattern (never the URL), method and status. */
  httpRequest(route: string, method: string, status: number, seconds: number): void;
  /** Hand it to a job runner's `observe`. */
  readonly jobRun: JobObserver;
  /** Stops listening to the database and the audit log. */
  close(): void;
}

/** The label of a request no route matched: its URL would make a series per URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

export function createMetrics(db: Db, clock: Clock): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'portal_http_request_duration_seconds',
    help: 'HTTP requests answered (_count) and their latency, by route pattern, method and status (the probes and /metrics not counted).',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queries = new Histogram({
    name: 'portal_db_query_duration_seconds',
    help: 'Database statements run by this process and their time, by kind of statement and outcome.',
    labelNames: ['statement', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  // Read from the database when scraped: one query serves both gauges of a scrape.
  let backlog: Promise<{ pending: number; oldest: string | null }> | null = null;
  const readBacklog = () => (backlog ??= outboxBacklog(db).finally(() => (backlog = null)));
  new Gauge({
    name: 'portal_outbox_pending',
    help: 'E-mails in the outbox not yet sent nor given up.',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      this.set((await readBacklog()).pending);
    },
  });
  new Gauge({
    name: 'portal_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest e-mail not yet sent nor given up (0: none).',
    registers: [registry],
    aggregator: 'max',
    async collect() {
      const { oldest } = await readBacklog();
      this.set(oldest ? Math.max(0, (clock.now().getTime() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  const jobs = new Counter({
    name: 'portal_job_runs_total',
    help: 'Runs of each background job by this process, by outcome (failure: it threw).',
    labelNames: ['job', 'outcome'] as const,
    registers: [registry],
  });
  const logins = new Counter({
    name: 'portal_logins_total',
    help: 'Login attempts, by area (customer, staff) and outcome (success, failure, denied: throttled).',
    labelNames: ['area', 'outcome'] as const,
    registers: [registry],
  });
  const payments = new Counter({
    name: 'portal_payments_booked_total',
    help: 'Online payments booked from the provider, by kind (balance, badge).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const paid = new Counter({
    name: 'portal_payments_booked_cents_total',
    help: 'Amount of the online payments booked, in euro cents, by kind (balance, badge).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  for (const area of ['customer', 'staff']) for (const outcome of ['success', 'failure', 'denied']) logins.inc({ area, outcome }, 0);
  for (const kind of ['balance', 'badge']) {
    payments.inc({ kind }, 0);
    paid.inc({ kind }, 0);
  }

  const loginAreas: Record<string, string> = { 'auth.login': 'customer', 'staff.login': 'staff' };
  const paymentKinds: Record<string, string> = { 'payment.booked': 'balance', 'badge.paid': 'badge' };
  const stopAudit = observeAudit((e) => {
    const area = loginAreas[e.action];
    if (area) logins.inc({ area, outcome: e.outcome });
    const kind = paymentKinds[e.action];
    if (kind && e.outcome === 'success') {
      payments.inc({ kind });
      const cents = e.details?.amount_cents;
      if (typeof cents === 'number') paid.inc({ kind }, cents);
    }
  });
  const stopQueries = observeQueries(db, (q) => queries.observe({ statement: q.statement, outcome: q.failed ? 'error' : 'ok' }, q.seconds));

  return {
    registry,
    httpRequest: (route, method, status, seconds) => http.observe({ route, method, status: String(status) }, seconds),
    jobRun: ({ job, failed }) => jobs.inc({ job, outcome: failed ? 'failure' : 'success' }),
    close: () => {
      stopAudit();
      stopQueries();
    },
  };
}

import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.ts';
import { migrationState } from '../../db/database.ts';
import { bearerToken } from '../../lib/api.ts';
import { AppError } from '../../lib/errors.ts';
import { hashToken } from '../../lib/tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * An operational route (the probes, /metrics), asked every few seconds by machines: no
     * session nor settings read for it, no log line, not counted in the HTTP metrics.
     */
    probe?: boolean;
  }
}

/** Whether an `Authorization` header carries the METRICS_TOKEN (compared in constant time). */
export function metricsAuthorized(config: Config, authorization: string | undefined): boolean {
  const token = config.METRICS_TOKEN;
  const given = bearerToken(authorization);
  if (!token || !given) return false;
  return timingSafeEqual(Buffer.from(hashToken(given)), Buffer.from(hashToken(token)));
}

/** What a refused scrape is told to send. */
export const METRICS_WWW_AUTHENTICATE = 'Bearer realm="metrics"';

/**
 * The routes operators' machines ask: the load balancer's or orchestrator's probes and the
 * Prometheus scrape. `/healthz`: the process answers (nothing else is asked, so a slow
 * database never gets a live process restarted). `/readyz`: send it requests — the database
 * answers, every migration is applied, and the process is not shutting down.
 */
const opsRoutes: FastifyPluginAsync = async (app) => {
  const { db, config } = app;
  const probe = { config: { probe: true }, logLevel: 'silent' } as const;

  app.get('/healthz', probe, async (_req, reply) => reply.type('text/plain').send('ok'));

  // Logged when it changes, not at every probe.
  let lastProblem: string | null = null;
  app.get('/readyz', probe, async (_req, reply) => {
    let problem: string | null = null;
    let error: unknown;
    const stopping = app.lifecycle.state !== 'serving';
    if (!stopping) {
      try {
        const { pending } = await migrationState(db);
        if (pending.length > 0) problem = `migrations not applied: ${pending.join(', ')}`;
      } catch (e) {
        problem = 'the database does not answer';
        error = e;
      }
    }
    if (stopping) problem = 'shutting down';
    if (problem !== lastProblem && problem !== 'shutting down') {
      if (problem) app.log.warn({ err: error }, `not ready: ${problem}`);
      else if (lastProblem) app.log.info('ready again');
    }
    lastProblem = problem;
    if (problem) return reply.status(503).type('text/plain').send(`not ready: ${problem}`);
    return reply.type('text/plain').send('ready');
  });

  // On PORT only with a token: without one, nothing is there.
  app.get('/metrics', { ...probe, config: { probe: true, api: true } }, async (req, reply) => {
    if (!config.METRICS_TOKEN) throw new AppError('not_found');
    if (!metricsAuthorized(config, req.headers.authorization)) {
      throw new AppError('metrics_unauthorized', { headers: { 'www-authenticate': METRICS_WWW_AUTHENTICATE } });
    }
    return reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics());
  });
};

export default opsRoutes;

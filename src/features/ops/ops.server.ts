import cluster from 'node:cluster';
import { type Server, createServer } from 'node:http';
import { type Config, ConfigError } from '../../config.ts';
import type { Metrics } from './ops.metrics.ts';
import { METRICS_WWW_AUTHENTICATE, metricsAuthorized } from './ops.routes.ts';

/**
 * The metrics on a port of their own (METRICS_PORT, on HOST): `GET /metrics`, asking for the
 * METRICS_TOKEN when one is set; nothing else is served there. `scrape` gives the text: this
 * process's registry, or (`serve --workers`) every worker's summed.
 */
export async function startMetricsServer(
  config: Config,
  scrape: () => Promise<{ contentType: string; text: string }>,
  log: (msg: string, err?: unknown) => void,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (config.METRICS_TOKEN && !metricsAuthorized(config, req.headers.authorization)) {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': METRICS_WWW_AUTHENTICATE }).end('unauthorized\n');
      return;
    }
    scrape().then(
      ({ contentType, text }) => res.writeHead(200, { 'content-type': contentType }).end(req.method === 'HEAD' ? undefined : text),
      (e: unknown) => {
        log('metrics scrape failed', e);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('scrape failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new ConfigError(`METRICS_PORT=${config.METRICS_PORT} is already in use: each process of one machine serving metrics (serve, worker) needs a port of its own.`)
          : e,
      ),
    );
    server.listen({ host: config.HOST, port: config.METRICS_PORT }, () => resolve());
  });
  return server;
}

/** What a scrape of one process's metrics answers. */
export const scrapeOf = (metrics: Metrics) => async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() });

/**
 * A process's metrics made available as METRICS_PORT says: `metrics` served there by this
 * process (`serve`, `worker`), or handed to the supervisor by a worker of `serve --workers`;
 * `'workers'`: the supervisor's, every worker's summed (prom-client's AggregatorRegistry).
 * Returns how to stop serving them.
 */
export async function publishMetrics(config: Config, metrics: Metrics | 'workers', log: (msg: string, err?: unknown) => void): Promise<() => void> {
  if (metrics !== 'workers' && !cluster.isWorker && !config.METRICS_PORT) return () => undefined;
  const { AggregatorRegistry } = await import('prom-client');
  if (metrics !== 'workers' && cluster.isWorker) {
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
    return () => undefined;
  }
  if (!config.METRICS_PORT) return () => undefined;
  let scrape: () => Promise<{ contentType: string; text: string }>;
  if (metrics === 'workers') {
    const all = new AggregatorRegistry();
    scrape = async () => ({ contentType: all.contentType, text: await all.clusterMetrics() });
  } else scrape = scrapeOf(metrics);
  const server = await startMetricsServer(config, scrape, log);
  return () => server.close();
}

/*
 * The load generator of `npm run bench` (bench/run.ts), in a process of its own so that it
 * never takes the measured server's CPU time inside the server's process. One argument, a
 * JSON `LoadSpec`; prints one JSON `LoadResult` on stdout.
 *
 * A warm-up first (not counted), then the highest rate at `connections` connections
 * (autocannon), then, with `fixedRate`, the latency at a fixed rate of half what was just
 * measured: requests sent evenly spaced in time (`paced`; autocannon's `overallRate` sends each
 * second's quota in a burst at the start of the second, which measures the queue of the burst,
 * not the server), over up to `connections` keep-alive connections; the percentiles are of each
 * answer's own time, to 0.01 ms.
 */
import http from 'node:http';
import autocannon from 'autocannon';

export interface LoadSpec {
  /** The server's origin, e.g. http://127.0.0.1:3000 */
  base: string;
  method: 'GET' | 'POST';
  /** Requested in turn, one per request. */
  paths: string[];
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** Also measure the latency at a fixed rate: this fraction of the highest rate (0.5). */
  fixedRate?: number;
  /** The statuses a correct answer has (200; 303 for a login). */
  expect: number[];
}

export interface Measure {
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  statuses: Record<string, number>;
  /** Answers whose status is not one of `expect`, connection errors and timeouts. */
  unexpected: number;
  errors: number;
  timeouts: number;
}

export interface LoadResult {
  max: Measure;
  fixed?: Measure & { rate: number };
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;

/** The q-quantile of sorted values. */
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
const round2 = (n: number) => Math.round(n * 100) / 100;

async function measure(seconds: number): Promise<Measure> {
  let i = 0;
  // Each answer's time to the tenth of a millisecond (autocannon's own histogram keeps whole milliseconds).
  const times: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.base,
        connections: spec.connections,
        duration: seconds,
        requests: [
          {
            method: spec.method,
            headers: spec.headers ?? {},
            ...(spec.body !== undefined ? { body: spec.body } : {}),
            setupRequest: (req) => ({ ...req, path: spec.paths[i++ % spec.paths.length]! }),
          },
        ],
      },
      (err, result) => (err ? reject(err as Error) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  times.sort((a, b) => a - b);
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]));
  const wrong = Object.entries(statuses).filter(([code]) => !spec.expect.includes(Number(code))).reduce((n, [, count]) => n + count, 0);
  const total = Object.values(statuses).reduce((n, c) => n + c, 0);
  return {
    requestsPerSecond: Math.round(total / Math.max(r.duration, 0.001)),
    requests: total,
    latencyMs: { p50: round2(quantile(times, 0.5)), p90: round2(quantile(times, 0.9)), p99: round2(quantile(times, 0.99)), max: round2(times.at(-1) ?? 0) },
    statuses,
    unexpected: wrong + r.errors + r.timeouts,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

/** `rate` requests a second, evenly spaced, for `seconds`: each answer's time from its sending. */
async function paced(seconds: number, rate: number): Promise<Measure> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const times: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let inFlight = 0;
  const url = new URL(spec.base);
  const send = () => {
    const path = spec.paths[sent % spec.paths.length]!;
    sent++;
    inFlight++;
    const started = performance.now();
    const req = http.request(
      { host: url.hostname, port: url.port, path, method: spec.method, agent, headers: { ...(spec.headers ?? {}), ...(spec.body !== undefined ? { 'content-length': Buffer.byteLength(spec.body) } : {}) } },
      (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          times.push(performance.now() - started);
          statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
          inFlight--;
        });
      },
    );
    req.on('error', () => {
      errors++;
      inFlight--;
    });
    req.end(spec.body);
  };
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = performance.now() - start;
      if (elapsed >= seconds * 1000) {
        clearInterval(tick);
        const wait = setInterval(() => {
          if (inFlight === 0) {
            clearInterval(wait);
            resolve();
          }
        }, 5);
        return;
      }
      const due = Math.floor((elapsed * rate) / 1000);
      while (sent < due) send();
    }, 1);
  });
  agent.destroy();
  times.sort((a, b) => a - b);
  const wrong = Object.entries(statuses).filter(([code]) => !spec.expect.includes(Number(code))).reduce((n, [, count]) => n + count, 0);
  const total = Object.values(statuses).reduce((n, c) => n + c, 0);
  return {
    requestsPerSecond: Math.round(total / seconds),
    requests: total,
    latencyMs: { p50: round2(quantile(times, 0.5)), p90: round2(quantile(times, 0.9)), p99: round2(quantile(times, 0.99)), max: round2(times.at(-1) ?? 0) },
    statuses,
    unexpected: wrong + errors,
    errors,
    timeouts: 0,
  };
}

if (spec.warmupSeconds > 0) await measure(spec.warmupSeconds);
const max = await measure(spec.seconds);
const result: LoadResult = { max };
if (spec.fixedRate && max.requestsPerSecond > 0) {
  const rate = Math.max(1, Math.round(max.requestsPerSecond * spec.fixedRate));
  result.fixed = { rate, ...(await paced(spec.seconds, rate)) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);

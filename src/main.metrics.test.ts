import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../tests/support/net.ts';

/*
 * METRICS_PORT on the real commands, one process each: `serve` counts the pages it answered,
 * `worker` the jobs it ran; each scrape answers only with the token; SIGTERM closes the port.
 */

const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';

function start(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-metrics-')), LOG_LEVEL: 'silent', METRICS_TOKEN: TOKEN, ...env },
    stdio: 'ignore',
  });
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

/** The scrape's text, once the port answers (the process is starting). */
async function scrape(port: number, until: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 150; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } }).catch(() => null);
    if (res?.ok) {
      text = await res.text();
      if (until(text)) return text;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return text;
}

/** SIGTERM: the process exits 0 and its metrics port no longer answers. */
async function stopsAndCloses(child: ChildProcess, exited: Promise<number | null>, metricsPort: number) {
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(() => 'answered', () => 'closed')).toBe('closed');
}

const sample = (text: string, series: string) => Number(text.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1));

describe('METRICS_PORT on the commands', () => {
  it('serve: the pages it answered, on the metrics port only with the token; closed at SIGTERM', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const { child, exited } = start(['serve'], { PORT: String(port), METRICS_PORT: String(metricsPort), MAIL_WORKER: 'off' });
    try {
      await scrape(metricsPort, () => true);
      for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${port}/connexion`)).status).toBe(200);
      const series = 'portal_http_request_duration_seconds_count{route="/connexion",method="GET",status="200"}';
      const text = await scrape(metricsPort, (t) => sample(t, series) === 2);
      expect(sample(text, series)).toBe(2);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
      await stopsAndCloses(child, exited, metricsPort);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('worker: the jobs it ran, in a registry of its own; closed at SIGTERM', async () => {
    const metricsPort = await freePort();
    const { child, exited } = start(['worker'], { METRICS_PORT: String(metricsPort) });
    try {
      const text = await scrape(metricsPort, (t) => /^portal_job_runs_total\{job="mail-delivery",outcome="success"\} [1-9]/m.test(t));
      expect(text).toMatch(/^portal_job_runs_total\{job="mail-delivery",outcome="success"\} [1-9]/m);
      expect(text).not.toContain('portal_http_request_duration_seconds_count{');
      await stopsAndCloses(child, exited, metricsPort);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});

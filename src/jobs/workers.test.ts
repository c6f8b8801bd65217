import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type DbKind, databaseKinds, freshDatabase } from '../../tests/support/app.ts';
import { insertDocument } from '../../tests/support/documents.ts';
import { createCustomer } from '../../tests/support/factories.ts';
import { startSmtpServer } from '../../tests/support/smtp.ts';
import { freePort } from '../../tests/support/net.ts';
import { testConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { MINUTE, newId, nowIso, systemClock } from '../lib/clock.ts';
import { enqueueMail } from '../lib/mail/outbox.ts';

/*
 * Several `portal worker` processes on one database (issue 12: "jobs run safely with several
 * workers"): two real processes, started as an operator starts them, share a backlog. Each
 * job's work must be done once — every e-mail delivered once (counted by Message-ID at a real
 * SMTP server), every "new documents" notice queued once, every sandbox webhook sent once —
 * and nothing left claimed when they stop.
 */

interface Workers {
  /** What each process printed (its start line, its JSON log lines). */
  output: string[];
  /** SIGTERM to both; their exit codes. */
  stop(): Promise<Array<number | null>>;
}

/** Two `portal worker` processes with these settings each (beside the shared ones), once both have started. */
async function twoWorkers(shared: Record<string, string>, own: [Record<string, string>, Record<string, string>]): Promise<Workers> {
  const output: string[] = [];
  const children: ChildProcess[] = [];
  const started = own.map(
    (env) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
          env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...shared, ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        for (const stream of [child.stdout!, child.stderr!]) {
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => {
            output.push(chunk);
            if (/^Worker \S+: jobs /m.test(chunk)) resolve();
          });
        }
        child.on('exit', (code) => reject(new Error(`worker exited (${code}) before starting: ${output.join('')}`)));
      }),
  );
  try {
    await Promise.all(started);
  } catch (e) {
    for (const c of children) c.kill('SIGKILL');
    throw e;
  }
  return {
    output,
    stop: () =>
      Promise.all(
        children.map(
          (c) =>
            new Promise<number | null>((resolve) => {
              if (c.exitCode !== null) return resolve(c.exitCode);
              c.on('exit', (code) => resolve(code));
              c.kill('SIGTERM');
            }),
        ),
      ),
  };
}

/** Polls until `done()` holds, or fails after `ms`. */
async function until(what: string, done: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Time for each worker to run more rounds (one every 2 s): anything done twice would show by then. */
const moreRounds = () => new Promise((r) => setTimeout(r, 4500));

describe.each(databaseKinds())('two worker processes on one database (%s)', (kind: DbKind) => {
  async function database(): Promise<{ db: Db; url: string; dataDir: string }> {
    const { db, url } = await freshDatabase(kind);
    return { db, url, dataDir: mkdtempSync(join(tmpdir(), 'portal-workers-')) };
  }

  it('deliver every e-mail of a backlog and every "new documents" notice exactly once, and leave none claimed', async () => {
    const { db, url, dataDir } = await database();
    const smtp = await startSmtpServer();
    const config = testConfig({ DATA_DIR: dataDir });
    const metricsPort = await freePort();
    let workers: Workers | undefined;
    try {
      workers = await twoWorkers({ DATABASE_URL: url, SMTP_URL: smtp.url, DATA_DIR: dataDir }, [
        { MAIL_FROM: 'Worker A <worker-a@parkings-demo.example>', METRICS_PORT: String(metricsPort) },
        { MAIL_FROM: 'Worker B <worker-b@parkings-demo.example>' },
      ]);
      // Slow enough that one worker alone would still be at it when the other's round comes.
      smtp.delay(40);
      for (let i = 0; i < 60; i++) {
        await enqueueMail(db, systemClock, config, { to: `backlog${i}@example.fr`, lang: 'fr', content: { subject: `Message ${i}`, paragraphs: [`Corps ${i}`] }, dedupeKey: `backlog:${i}` });
      }
      // Twenty paperless customers, each with a document published a few minutes ago.
      const published = new Date(Date.now() - 5 * MINUTE).toISOString();
      for (let i = 0; i < 20; i++) {
        const c = await createCustomer(db, systemClock, { paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z', email_primary: `notice${i}@example.fr`, email_primary_verified_at: '2026-01-01T00:00:00.000Z' });
        const d = await insertDocument(db, { customerId: c.id, number: `WKR${i}`, issueDate: published.slice(0, 10), htCents: 1000 + i, pdfSha256: 'c'.repeat(64) });
        await db.updateTable('financial_documents').set({ published_at: published }).where('id', '=', d.id).execute();
      }

      await until('80 messages', () => smtp.received.length >= 80);
      await moreRounds();
      // Worker A's own metrics on its METRICS_PORT: its job runs and statements, the outbox emptied.
      const scraped = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const value = (series: string) => Number(scraped.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1));
      expect(value('portal_job_runs_total{job="mail-delivery",outcome="success"}')).toBeGreaterThan(1);
      expect(value('portal_job_runs_total{job="document-notices",outcome="success"}')).toBeGreaterThan(1);
      expect(scraped).not.toMatch(/portal_job_runs_total\{[^}]*outcome="failure"/);
      expect(value('portal_db_query_duration_seconds_count{statement="update",outcome="ok"}')).toBeGreaterThan(10);
      expect(value('portal_outbox_pending')).toBe(0);
      const { output } = workers;
      const codes = await workers.stop();
      workers = undefined;

      const ids = smtp.received.map((m) => m.messageId);
      expect(ids).toHaveLength(80);
      expect(new Set(ids).size).toBe(80);
      for (let i = 0; i < 60; i++) expect(smtp.to(`backlog${i}@example.fr`), `backlog${i}`).toHaveLength(1);
      for (let i = 0; i < 20; i++) expect(smtp.to(`notice${i}@example.fr`), `notice${i}`).toHaveLength(1);
      // Both took part: each worker's messages leave under its own MAIL_FROM.
      const senders = new Set(smtp.received.map((m) => /^From: .*<(worker-[ab])@/m.exec(m.raw)?.[1]));
      expect([...senders].sort()).toEqual(['worker-a', 'worker-b']);
      // Nothing stuck: every message sent, none claimed; every document notified.
      const left = await db.selectFrom('outbox').select(['status', 'locked_by']).where((eb) => eb.or([eb('status', '!=', 'sent'), eb('locked_by', 'is not', null)])).execute();
      expect(left).toEqual([]);
      expect(await db.selectFrom('financial_documents').select('number').where('notified_at', 'is', null).execute()).toEqual([]);
      expect(codes).toEqual([0, 0]);
      expect(output.join(''), 'no job failed').not.toContain('worker job failed');
    } finally {
      await workers?.stop();
      await smtp.close();
      await db.destroy();
    }
  }, 180_000);

  it('send every sandbox webhook once', async () => {
    const { db, url, dataDir } = await database();
    // The portal's webhook endpoint, as the sandbox reaches it over HTTP (PUBLIC_URL): it counts each event.
    const received: string[] = [];
    const endpoint = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push(req.url === '/paiement/webhook/sandbox' ? (JSON.parse(body) as { id: string }).id : `wrong path ${req.url}`);
        // Slow enough that a round of 50 outlasts the other worker's next round (every 2 s).
        setTimeout(() => res.writeHead(200).end(), 100);
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const events = Array.from({ length: 60 }, (_, i) => `evt_workers_${i}`);
    let workers: Workers | undefined;
    try {
      workers = await twoWorkers({ DATABASE_URL: url, DATA_DIR: dataDir, PUBLIC_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}` }, [{}, {}]);
      const now = nowIso(systemClock);
      await db
        .insertInto('sandbox_webhooks')
        .values(events.map((id) => ({ id: newId(), event_id: id, payload: JSON.stringify({ id, type: 'checkout.succeeded' }), status: 'pending', attempts: 0, next_attempt_at: now, last_error: null, created_at: now })))
        .execute();

      await until('60 webhooks', () => received.length >= 60);
      await moreRounds();
      const codes = await workers.stop();
      workers = undefined;

      expect(received.slice().sort()).toEqual(events.slice().sort());
      const left = await db.selectFrom('sandbox_webhooks').select(['event_id', 'status', 'attempts']).where((eb) => eb.or([eb('status', '!=', 'delivered'), eb('attempts', '!=', 1)])).execute();
      expect(left).toEqual([]);
      expect(codes).toEqual([0, 0]);
    } finally {
      await workers?.stop();
      await new Promise((r) => endpoint.close(r));
      await db.destroy();
    }
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, useTestApp } from '../../tests/support/app.ts';
import { startSmtpServer } from '../../tests/support/smtp.ts';
import { testConfig } from '../config.ts';
import { providerFromConfig } from '../features/payments/payments.providers.ts';
import { HOUR, MINUTE, manualClock } from '../lib/clock.ts';
import { enqueueMail } from '../lib/mail/outbox.ts';
import { type MailTransport, smtpTransport } from '../lib/mail/transport.ts';
import { allJobs } from './all.ts';
import type { Job } from './job.ts';
import { mailDelivery } from './mail-delivery.ts';
import { JobRunner, createJobRunner } from './runner.ts';

const content = (i: number) => ({ subject: `Message ${i}`, paragraphs: [`Corps du message ${i}`] });

describe.each(databaseKinds())('the job runner (%s)', (kind) => {
  const t = useTestApp(kind);
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });

  const runner = (jobs: Job[], log: (msg: string, data?: Record<string, unknown>) => void = () => undefined, mail: MailTransport = smtpTransport(smtp.url)) =>
    new JobRunner(jobs, { db: t.db, clock: t.clock, config: t.config, log, mail, payments: providerFromConfig(t.db, t.clock, t.config) });

  it('goes on delivering when a job fails', async () => {
    await enqueueMail(t.db, t.clock, t.config, { to: 'despite@example.fr', lang: 'fr', content: content(3), dedupeKey: 'despite:1' });
    const logged: string[] = [];
    const w = runner([{ name: 'failing', schedule: 'every round', run: async () => Promise.reject(new Error('provider down')) }, mailDelivery], (msg) =>
      logged.push(msg),
    );
    expect((await w.runOnce()).counts[mailDelivery.name]?.sent).toBeGreaterThanOrEqual(1);
    expect(smtp.to('despite@example.fr')).toHaveLength(1);
    expect(logged).toContain('worker job failed');
  });

  it('runs every job of a round when one throws, and tries the failed one again at its next turn', async () => {
    await enqueueMail(t.db, t.clock, t.config, { to: 'isolated@example.fr', lang: 'fr', content: content(4), dedupeKey: 'isolated:1' });
    const ran: string[] = [];
    const logged: Array<Record<string, unknown> | undefined> = [];
    const job = (name: string, schedule: Job['schedule'], fails = false): Job => ({
      name,
      schedule,
      run: async () => {
        ran.push(name);
        if (fails) throw new Error(`${name} broke`);
        return { counts: { done: 1 } };
      },
    });
    const w = runner([job('first', 'every round', true), job('hourly', { every: HOUR }, true), job('after', 'every round'), mailDelivery], (_, data) =>
      logged.push(data),
    );
    const round = await w.runOnce();
    expect(ran).toEqual(['first', 'hourly', 'after']);
    expect(round.counts).toMatchObject({ after: { done: 1 }, [mailDelivery.name]: { sent: 1, failed: 0 } });
    expect(smtp.to('isolated@example.fr')).toHaveLength(1);
    expect(logged).toEqual([
      { job: 'first', error: 'first broke' },
      { job: 'hourly', error: 'hourly broke' },
    ]);

    ran.length = 0;
    await w.runOnce();
    expect(ran).toEqual(['first', 'after']); // the hourly one waits for its hour, failed or not
    t.clock.advance(HOUR);
    ran.length = 0;
    await w.runOnce();
    expect(ran).toEqual(['first', 'hourly', 'after']);
  });

  it('drains the outbox in batches, summing what each job did', async () => {
    for (let i = 0; i < 45; i++) {
      await enqueueMail(t.db, t.clock, t.config, { to: `drain${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `drain:${i}` });
    }
    let rounds = 0;
    const counted: Job = { name: 'counted', schedule: 'every round', run: async () => (rounds++, { counts: { done: 2 } }) };
    const counts = await runner([counted, mailDelivery]).drain();
    // The drain ends with the first batch that is not full: 20, 20, 5, on both databases.
    expect(counts).toEqual({ counted: { done: 2 * rounds }, [mailDelivery.name]: { sent: 45, failed: 0 } });
    expect(rounds).toBe(3);
    for (let i = 0; i < 45; i++) expect(smtp.to(`drain${i}@example.fr`)).toHaveLength(1);
  });

  it('stops after the mail in flight and hands back the rest of its batch', async () => {
    for (let i = 0; i < 5; i++) {
      await enqueueMail(t.db, t.clock, t.config, { to: `stop${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `stop:${i}` });
    }
    let stopping: Promise<void> | null = null;
    const sent: string[] = [];
    const w: JobRunner = runner([mailDelivery], undefined, {
      send: async (m) => {
        sent.push(m.to);
        // Asked to stop while the first message is being sent.
        stopping ??= w.stop();
      },
      close: () => undefined,
      describe: () => 'stopping',
    });
    w.start(10 * MINUTE);
    await new Promise<void>((resolve) => {
      const wait = () => (stopping ? resolve() : setTimeout(wait, 5));
      wait();
    });
    await stopping;
    expect(sent).toHaveLength(1);
    const rows = await t.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', 'stop:%').execute();
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'pending' && r.locked_by === null)).toHaveLength(4);
    expect(await w.runOnce()).toEqual({ counts: {}, more: false }); // stopped for good
  });
});

describe('the jobs', () => {
  it('have one name each, and the sandbox webhooks run only with the sandbox provider', async () => {
    expect(new Set(allJobs.map((j) => j.name)).size).toBe(allJobs.length);
    const { db } = await freshDatabase('sqlite');
    try {
      const sandbox = createJobRunner(db, manualClock(), testConfig({ PAYMENT_PROVIDER: 'sandbox' }));
      expect(sandbox.jobs.map((j) => j.name)).toContain('sandbox-webhooks');
      expect(sandbox.jobs.at(-1)).toBe(mailDelivery); // last: what the others queued leaves in the same round
      expect(sandbox.jobs.find((j) => j.name === 'outbox-purge')?.schedule).toEqual({ every: HOUR }); // sent mail past OUTBOX_RETENTION_DAYS
      const stripe = createJobRunner(db, manualClock(), testConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_jobs', STRIPE_WEBHOOK_SECRET: 'whsec_jobs' }));
      expect(stripe.jobs.map((j) => j.name)).not.toContain('sandbox-webhooks');
    } finally {
      await db.destroy();
    }
  });
});

import { afterAll, beforeAll, expect } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { providerFromConfig } from '../../src/features/payments/payments.providers.ts';
import { documentNotices } from '../../src/jobs/document-notices.ts';
import { mailDelivery } from '../../src/jobs/mail-delivery.ts';
import { JobRunner } from '../../src/jobs/runner.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { smtpTransport } from '../../src/lib/mail/transport.ts';
import { OutboxWorker } from '../../src/lib/mail/worker.ts';
import { type DbKind, type TestApp, lateBound, useTestApp } from './app.ts';
import type { TestServer } from './browser.ts';
import { type SmtpServer, startSmtpServer } from './smtp.ts';
import { wordingProblems } from './wording.ts';

/**
 * A real SMTP server and a job runner delivering to it (the notices and mail jobs), for a
 * test app (or a browser suite's server: its database, clock and configuration). `deliver()` runs it until nothing is due, then the mails are in `smtp.received`.
 */
export async function mailbox(t: Pick<TestApp, 'db' | 'clock' | 'config'>) {
  const smtp = await startSmtpServer();
  const transport = smtpTransport(smtp.url);
  let checked = 0;
  const worker = new JobRunner([documentNotices, mailDelivery], {
    db: t.db,
    clock: t.clock,
    config: t.config,
    log: () => undefined,
    mail: transport,
    payments: providerFromConfig(t.db, t.clock, t.config),
  });
  return {
    smtp,
    worker,
    /** What the outbox did: `{ sent, failed }`. No mail received may show an unfilled {placeholder}. */
    deliver: async () => {
      const mail = (await worker.drain())[mailDelivery.name];
      if (smtp.received.length < checked) checked = 0; // a test emptied the list
      const fresh = smtp.received.slice(checked);
      checked += fresh.length;
      const problems = fresh.flatMap((m) => {
        const where = `mail “${m.subject}” received by ${m.to.join(', ')}`;
        return [...wordingProblems(where, `${m.subject}\n${m.text}`, 'text'), ...wordingProblems(where, m.html, 'html')];
      });
      expect(problems, 'the words of the e-mails received').toEqual([]);
      return { sent: mail?.sent ?? 0, failed: mail?.failed ?? 0 };
    },
    /** The last mail received by `address`. */
    last(address: string) {
      const all = smtp.to(address);
      return all[all.length - 1];
    },
    /** The first link in a mail's text part that starts with `prefix` (e.g. the app's URL). */
    link(text: string, prefix: string) {
      const m = new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`).exec(text);
      return m?.[0];
    },
    close: async () => {
      transport.close();
      await smtp.close();
    },
  };
}

export type Mailbox = Awaited<ReturnType<typeof mailbox>>;

/** The test app of a `describe` block (`useTestApp`) and a mailbox for it, made and closed with it. */
export function useMailTestApp(kind: DbKind, overrides: Record<string, string> = {}): { t: TestApp; mb: Mailbox } {
  const t = useTestApp(kind, overrides);
  let mb: Mailbox | undefined;
  beforeAll(async () => {
    mb = await mailbox(t);
  });
  // After hooks run in reverse: the mailbox closes before the app.
  afterAll(async () => {
    await mb?.close();
    mb = undefined;
  });
  return { t, mb: lateBound('the mailbox', () => mb) };
}

/** A mailbox for a browser suite's server (`useServer`) on its clock, made before its tests and closed after them (call it after `useServer`). */
export function useServerMailbox(server: TestServer, clock: TestApp['clock']): Mailbox {
  let mb: Mailbox | undefined;
  beforeAll(async () => {
    mb = await mailbox({ db: server.db, clock, config: testConfig() });
  });
  afterAll(async () => {
    await mb?.close();
    mb = undefined;
  });
  return lateBound('the mailbox', () => mb);
}

/**
 * A real SMTP server and the outbox's worker delivering a browser suite's server's mails to it
 * (`worker.drain()`, then `smtp.to(address)`), on its clock and configuration: made before its
 * tests and closed after them (call it after `useServer`).
 */
export function useServerOutbox(server: TestServer, clock: Clock): { smtp: SmtpServer; worker: OutboxWorker } {
  let smtp: SmtpServer | undefined;
  let transport: ReturnType<typeof smtpTransport> | undefined;
  let worker: OutboxWorker | undefined;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    transport = smtpTransport(smtp.url);
    worker = new OutboxWorker(server.db, clock, server.config, transport);
  });
  afterAll(async () => {
    transport?.close();
    await smtp?.close();
    smtp = transport = worker = undefined;
  });
  return { smtp: lateBound('the SMTP server', () => smtp), worker: lateBound('the outbox worker', () => worker) };
}

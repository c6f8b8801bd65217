import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, useTestApp } from '../../../tests/support/app.ts';
import { startSmtpServer } from '../../../tests/support/smtp.ts';
import { testConfig } from '../../config.ts';
import { DAY, HOUR, MINUTE, manualClock } from '../clock.ts';
import { settingsFromEnvironment } from '../../features/settings/settings.rules.ts';
import { composeMail } from './compose.ts';
import { enqueueMail, purgeOutbox } from './outbox.ts';
import { fileTransport, smtpTransport } from './transport.ts';
import { OutboxWorker, backoffMs } from './worker.ts';

const content = (i: number) => ({ subject: `Message ${i}`, paragraphs: [`Corps du message ${i} <b>pas du HTML</b>`] });

describe('composing a mail', () => {
  it('has the same words in HTML and text, escaped, signed, and no image or tracking', () => {
    const m = composeMail(settingsFromEnvironment(testConfig()), 'fr', {
      subject: 'Sujet',
      greeting: 'Bonjour DURAND FRANCOIS,',
      paragraphs: ['Une ligne <script>alert(1)</script>'],
      list: ['Facture 26FV00001 — 260,00 €'],
      action: { label: 'Ouvrir', url: 'http://localhost:3000/mon-compte?a=1&b=2' },
      note: 'Petite note',
    });
    expect(m.text).toContain('Bonjour DURAND FRANCOIS,');
    expect(m.text).toContain('Une ligne <script>alert(1)</script>');
    expect(m.text).toContain('http://localhost:3000/mon-compte?a=1&b=2');
    expect(m.text).toContain('Service client : 01 00 00 00 00');
    expect(m.html).toContain('Une ligne &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('href="http://localhost:3000/mon-compte?a=1&amp;b=2"');
    expect(m.html).toContain('SIREN 123456782');
    expect(m.html).not.toMatch(/<img|<script|url\(|https?:\/\/(?!localhost:3000\/mon-compte)[^"\s<]+\.(png|gif|jpg)/i);
    expect(composeMail(settingsFromEnvironment(testConfig()), 'en', { subject: 'S', paragraphs: ['p'] }).text).toContain('Customer service: 01 00 00 00 00');
  });

  it('backs off 30 s, 1 min, 2 min… up to an hour', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(HOUR);
  });
});

describe.each(databaseKinds())('the outbox (%s)', (kind) => {
  const t = useTestApp(kind);
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.close());

  const worker = () => new OutboxWorker(t.db, t.clock, t.config, smtpTransport(smtp.url));

  it('is written in the caller’s transaction: a rollback queues nothing', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, t.clock, t.config, { to: 'rollback@example.fr', lang: 'fr', content: content(0), dedupeKey: 'rollback:1' });
        throw new Error('business change failed');
      }),
    ).rejects.toThrow('business change failed');
    expect(await t.db.selectFrom('outbox').select('id').where('dedupe_key', '=', 'rollback:1').execute()).toEqual([]);
  });

  it('queues a message once per dedupe key and delivers it once, with HTML and text parts', async () => {
    expect(await enqueueMail(t.db, t.clock, t.config, { to: 'once@example.fr', lang: 'fr', content: content(1), dedupeKey: 'once:1' })).toBe(true);
    expect(await enqueueMail(t.db, t.clock, t.config, { to: 'once@example.fr', lang: 'fr', content: content(1), dedupeKey: 'once:1' })).toBe(false);
    const r = await worker().drain();
    expect(r.sent).toBeGreaterThanOrEqual(1);
    const got = smtp.to('once@example.fr');
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toBe('Message 1');
    expect(got[0]!.text).toContain('Corps du message 1');
    expect(got[0]!.html).toContain('Corps du message 1 &lt;b&gt;');
    expect(got[0]!.headers.get('from')).toMatchObject({ text: expect.stringContaining('no-reply@parkings-demo.example') });
    expect(await worker().drain()).toEqual({ sent: 0, failed: 0 });
    const row = await t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', 'once:1').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1, locked_by: null });
    expect(got[0]!.messageId).toBe(row.message_id);
  });

  it('survives an SMTP outage: 100 messages kept, retried with backoff, then all delivered once (R1)', async () => {
    smtp.refuse(true);
    for (let i = 0; i < 100; i++) {
      await enqueueMail(t.db, t.clock, t.config, { to: `outage${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `outage:${i}` });
    }
    const w = worker();
    const down = await w.drain();
    expect(down).toEqual({ sent: 0, failed: 100 });
    const rows = await t.db.selectFrom('outbox').selectAll().where('dedupe_key', 'like', 'outage:%').execute();
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 1 && r.last_error && r.next_attempt_at > t.clock.now().toISOString())).toBe(true);
    // Not yet due: nothing is tried again before the backoff.
    expect(await w.drain()).toEqual({ sent: 0, failed: 0 });

    smtp.refuse(false);
    t.clock.advance(31_000);
    const up = await w.drain();
    expect(up).toEqual({ sent: 100, failed: 0 });
    for (let i = 0; i < 100; i++) expect(smtp.to(`outage${i}@example.fr`), `outage${i}`).toHaveLength(1);
  });

  it('keeps retrying through a long outage (a weekend), and gives up only after days', async () => {
    await enqueueMail(t.db, t.clock, t.config, { to: 'nobody@example.fr', lang: 'fr', content: content(2), dedupeKey: 'nobody:1' });
    const w = new OutboxWorker(t.db, t.clock, t.config, smtpTransport('smtp://127.0.0.1:1'));
    const row = () => t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', 'nobody:1').executeTakeFirstOrThrow();
    for (let h = 0; h < 72; h++) {
      await w.drain();
      t.clock.advance(HOUR);
    }
    expect((await row()).status).toBe('pending'); // three days down: still trying
    expect((await row()).last_error).toMatch(/ECONNREFUSED|connect/i);
    for (let h = 0; h < 50; h++) {
      await w.drain();
      t.clock.advance(HOUR);
    }
    expect((await row()).status).toBe('dead'); // past five days: given up, kept for inspection
  }, 120_000);

  it('leaves a message to the worker that took it over when a slow send outlived the lease', async () => {
    for (let i = 0; i < 3; i++) await enqueueMail(t.db, t.clock, t.config, { to: `slow${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `slow:${i}` });
    let calls = 0;
    let inFlight = '';
    const slow = new OutboxWorker(t.db, t.clock, t.config, {
      send: async (m) => {
        calls++;
        if (calls === 1) {
          inFlight = m.to;
          // While this first send hangs past the lease, another worker takes the batch over.
          t.clock.advance(3 * MINUTE);
          await new OutboxWorker(t.db, t.clock, t.config, smtpTransport(smtp.url)).drain();
        }
        await smtpTransport(smtp.url).send(m);
      },
      close: () => undefined,
      describe: () => 'slow',
    });
    await slow.runOnce();
    for (let i = 0; i < 3; i++) {
      const address = `slow${i}@example.fr`;
      // The message in flight may arrive twice (same Message-ID); the others never do.
      expect(smtp.to(address).length, address).toBe(address === inFlight ? 2 : 1);
    }
    expect(new Set(smtp.to(inFlight).map((m) => m.messageId)).size).toBe(1);
  });

  it('forgets what a message said once it is sent or given up, and keeps what the back office shows', async () => {
    const secret = 'S3cr3t-t0ken-in-a-link';
    const secretMail = (i: number) => ({ subject: `Lien ${i}`, paragraphs: ['Votre lien'], action: { label: 'Ouvrir', url: `http://localhost:3000/lien/${secret}` } });
    const headers = { 'List-Unsubscribe': `<http://localhost:3000/desabonnement/${secret}>` };
    await enqueueMail(t.db, t.clock, t.config, { to: 'forget.sent@example.fr', lang: 'fr', content: secretMail(1), dedupeKey: 'forget-sent:1', headers });
    await enqueueMail(t.db, t.clock, t.config, { to: 'forget.dead@example.fr', lang: 'fr', content: secretMail(2), dedupeKey: 'forget-dead:1', headers });
    const row = (key: string) => t.db.selectFrom('outbox').selectAll().where('dedupe_key', '=', key).executeTakeFirstOrThrow();
    const holdsSecret = (r: object) => Object.values(r).some((v) => String(v).includes(secret));
    expect(holdsSecret(await row('forget-sent:1'))).toBe(true); // pending: still to be sent

    // Refused once: still pending, its content kept for the next try.
    const down = new OutboxWorker(t.db, t.clock, t.config, smtpTransport('smtp://127.0.0.1:1'));
    expect(await down.drain()).toMatchObject({ sent: 0 });
    expect(holdsSecret(await row('forget-dead:1'))).toBe(true);
    expect((await row('forget-dead:1')).status).toBe('pending');

    t.clock.advance(HOUR);
    const w = new OutboxWorker(t.db, t.clock, t.config, {
      send: (m) => (m.to === 'forget.dead@example.fr' ? Promise.reject(new Error('550 mailbox unavailable')) : smtpTransport(smtp.url).send(m)),
      close: () => undefined,
      describe: () => 'picky',
    }, { giveUpAfterMs: HOUR });
    expect(await w.drain()).toEqual({ sent: 1, failed: 1 });
    const got = smtp.to('forget.sent@example.fr');
    expect(got[0]!.text).toContain(secret);
    expect(got[0]!.raw).toMatch(new RegExp(`^List-Unsubscribe:\\s+<[^>]+/${secret}>`, 'm'));

    const sent = await row('forget-sent:1');
    expect(sent).toMatchObject({ status: 'sent', template: 'forget-sent', recipient: 'forget.sent@example.fr', subject: 'Lien 1', attempts: 2, last_error: null });
    expect(sent).toMatchObject({ text_body: '', html_body: '', headers: '{}', sent_at: t.clock.now().toISOString() });
    const dead = await row('forget-dead:1');
    expect(dead).toMatchObject({ status: 'dead', template: 'forget-dead', subject: 'Lien 2', attempts: 2, last_error: '550 mailbox unavailable' });
    expect(dead).toMatchObject({ text_body: '', html_body: '', headers: '{}' });
    expect(holdsSecret(sent)).toBe(false);
    expect(holdsSecret(dead)).toBe(false);
  });

  it('purges sent and given-up messages past the retention period, and keeps newer and pending ones', async () => {
    const queue = (key: `${string}:${string}`) =>
      enqueueMail(t.db, t.clock, t.config, { to: `${key.replace(':', '.')}@example.fr`, lang: 'fr', content: content(0), dedupeKey: key });
    const finish = (key: string, status: 'sent' | 'dead') =>
      t.db.updateTable('outbox').set({ status, ...(status === 'sent' ? { sent_at: t.clock.now().toISOString() } : {}) }).where('dedupe_key', '=', key).execute();
    expect(t.config.OUTBOX_RETENTION_DAYS).toBe(90);
    for (const key of ['purge-old:sent', 'purge-old:dead', 'purge-old:pending'] as const) await queue(key);
    await finish('purge-old:sent', 'sent');
    await finish('purge-old:dead', 'dead');
    // Pending, waiting for its next try (which no other test's worker should make).
    await t.db.updateTable('outbox').set({ next_attempt_at: '9999-12-31T00:00:00.000Z' }).where('dedupe_key', '=', 'purge-old:pending').execute();
    t.clock.advance(2 * DAY);
    for (const key of ['purge-new:sent', 'purge-new:dead'] as const) await queue(key);
    await finish('purge-new:sent', 'sent');
    await finish('purge-new:dead', 'dead');

    const left = async () =>
      (await t.db.selectFrom('outbox').select('dedupe_key').where('dedupe_key', 'like', 'purge-%').orderBy('dedupe_key').execute()).map((r) => r.dedupe_key);
    const all = ['purge-new:dead', 'purge-new:sent', 'purge-old:dead', 'purge-old:pending', 'purge-old:sent'];
    t.clock.advance(89 * DAY); // the old ones are 91 days old, the new ones 89
    expect(await purgeOutbox(t.db, t.clock, { ...t.config, OUTBOX_RETENTION_DAYS: 92 })).toBe(0);
    expect(await left()).toEqual(all);
    expect(await purgeOutbox(t.db, t.clock, t.config)).toBeGreaterThanOrEqual(2);
    expect(await left()).toEqual(['purge-new:dead', 'purge-new:sent', 'purge-old:pending']);
    t.clock.advance(2 * DAY);
    await purgeOutbox(t.db, t.clock, t.config);
    expect(await left()).toEqual(['purge-old:pending']);
  });

  it('claims one batch at a time, so several workers share a backlog (R1)', async () => {
    for (let i = 0; i < 45; i++) {
      await enqueueMail(t.db, t.clock, t.config, { to: `batch${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `batch:${i}` });
    }
    const first = await new OutboxWorker(t.db, t.clock, t.config, smtpTransport(smtp.url), { batchSize: 20 }).runOnce();
    expect(first.sent).toBe(20);
    // What the round did not claim stays free for another worker.
    const free = await t.db.selectFrom('outbox').select('id').where('status', '=', 'pending').where('locked_by', 'is', null).execute();
    expect(free.length).toBeGreaterThanOrEqual(25);
    await worker().drain();
  });

  it('lets two workers run at once without sending anything twice', async () => {
    for (let i = 0; i < 60; i++) {
      await enqueueMail(t.db, t.clock, t.config, { to: `pair${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `pair:${i}` });
    }
    const [a, b] = await Promise.all([worker().drain(), worker().drain()]);
    expect(a.sent + b.sent).toBe(60);
    for (let i = 0; i < 60; i++) expect(smtp.to(`pair${i}@example.fr`)).toHaveLength(1);
  });
});

describe('a worker killed mid-batch (R1)', () => {
  it('loses nothing and duplicates nothing: another worker takes over after the lease', async () => {
    const { db, url } = await freshDatabase('sqlite');
    const smtp = await startSmtpServer();
    const clock = manualClock(new Date());
    const config = testConfig();
    try {
      for (let i = 0; i < 100; i++) {
        await enqueueMail(db, clock, config, { to: `kill${i}@example.fr`, lang: 'fr', content: content(i), dedupeKey: `kill:${i}` });
      }
      smtp.delay(30);
      // `portal worker` in a process of its own, killed (SIGKILL) while the 30th message is in flight.
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, SMTP_URL: smtp.url, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.on('exit', resolve));
      smtp.onArrival(async (n) => {
        if (n !== 30) return;
        // Killed while the server holds its 30th message; the server answers only once the
        // worker is gone (and its connection seen closed), so that message is not accepted.
        child.kill('SIGKILL');
        await exited;
        await new Promise((r) => setTimeout(r, 200));
      });
      await exited;
      smtp.onArrival(null);
      smtp.delay(0);
      const deliveredBefore = smtp.received.length;
      expect(deliveredBefore).toBe(29);

      // Its claimed messages wait for the lease to end, then another worker delivers the rest.
      clock.set(new Date(Date.now() + 3 * MINUTE));
      const r = await new OutboxWorker(db, clock, config, smtpTransport(smtp.url)).drain();
      expect(r.sent).toBe(71);
      const ids = smtp.received.map((m) => `${m.to.join(',')}|${m.messageId}`);
      expect(ids).toHaveLength(100);
      expect(new Set(ids).size).toBe(100);
      for (let i = 0; i < 100; i++) expect(smtp.to(`kill${i}@example.fr`), `kill${i}`).toHaveLength(1);
      const left = await db.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();
      expect(left).toEqual([]);
    } finally {
      await smtp.close();
      await db.destroy();
    }
  });
});

describe('the file transport', () => {
  it('writes each message as an .eml file with both parts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portal-mail-'));
    const t = fileTransport(dir);
    const m = composeMail(settingsFromEnvironment(testConfig()), 'fr', { subject: 'Fichier', paragraphs: ['Bonjour, ceci est un e-mail écrit sur disque.'] });
    await t.send({ id: 'abc', from: 'Parkings Démo <no-reply@parkings-demo.example>', to: 'x@example.fr', messageId: '<abc@localhost>', headers: {}, ...m });
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(dir, files[0]!), 'utf8');
    expect(raw).toContain('Subject: Fichier');
    expect(raw).toContain('Message-ID: <abc@localhost>');
    expect(raw).toContain('Content-Type: text/plain');
    expect(raw).toContain('Content-Type: text/html');
  });
});

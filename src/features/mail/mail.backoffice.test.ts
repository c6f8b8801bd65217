import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, emailColumns } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { HOUR, newId, nowIso } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { OutboxWorker } from '../../lib/mail/worker.ts';

describe.each(databaseKinds())('the outbox in the back office (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.93.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  let seq = 0;

  /** A message queued to a new address of its own; its id and address. */
  async function queued(subject = 'Votre avis') {
    const to = `outbox-${++seq}-${newId().slice(-6)}@example.test`;
    await enqueueMail(t.db, t.clock, t.config, { to, lang: 'fr', content: { subject, paragraphs: ['Bonjour'] }, dedupeKey: `bo-test:${to}` });
    const { id } = await t.db.selectFrom('outbox').select('id').where('recipient', '=', to).executeTakeFirstOrThrow();
    return { id, to };
  }

  /** One round of a worker whose server refuses everything; `giveUpAfterMs` 0 gives up at once. */
  const failingRound = (giveUpAfterMs = 5 * 24 * HOUR) =>
    new OutboxWorker(t.db, t.clock, t.config, { send: () => Promise.reject(new Error('550 5.1.1 mailbox unavailable')), close: () => undefined, describe: () => 'refusing' }, { giveUpAfterMs, batchSize: 1000 }).runOnce();

  const row = (id: string) => t.db.selectFrom('outbox').select(['status', 'attempts', 'next_attempt_at', 'last_error', 'text_body']).where('id', '=', id).executeTakeFirstOrThrow();
  const retries = (id: string) => t.db.selectFrom('audit_log').select(['actor_id', 'outcome', 'details']).where('action', '=', 'outbox.retry').where('target_id', '=', id).execute();

  it('is for staff only: a visitor or a customer goes to the staff login; an agent and an admin see the list', async () => {
    const m = await queued();
    const visitor = new Browser(t.app, ip());
    const { b: customer } = await loggedInCustomer(t, ip());
    for (const b of [visitor, customer]) {
      for (const res of [await b.get('/gestion/emails'), await b.post(`/gestion/emails/${m.id}/nouvel-essai`, {})]) {
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
      }
    }
    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, ip(), role);
      const res = await b.get(`/gestion/emails?destinataire=${m.to}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(m.to);
    }
    expect((await row(m.id)).attempts).toBe(0);
  });

  it('never shows what a message says: a reset e-mail is listed without its link', async () => {
    const email = `reset-${newId().slice(-8)}@example.test`;
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, emailColumns(email, null, nowIso(t.clock)));
    const asked = await new Browser(t.app, ip()).submit('/mot-de-passe-oublie', '/mot-de-passe-oublie', { identifiant: customer.number });
    expect(asked.statusCode).toBeLessThan(400);
    const mail = await t.db.selectFrom('outbox').select(['text_body', 'html_body', 'subject']).where('recipient', '=', email).where('template', '=', 'reset').executeTakeFirstOrThrow();
    const link = /https?:\/\/\S*\/reinitialiser\/(\S+)/.exec(mail.text_body)!;
    expect(link).not.toBeNull();
    const token = link[1]!;

    const { b } = await loggedInStaff(t, ip());
    for (const url of ['/gestion/emails', `/gestion/emails?destinataire=${encodeURIComponent(email.toUpperCase())}`, '/gestion/emails?modele=reset&etat=pending']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(email);
      expect(res.body, url).toContain(mail.subject);
      expect(res.body, url).not.toContain(token);
      expect(res.body, url).not.toContain('/reinitialiser/');
      expect(res.body, url).not.toContain('Bonjour');
    }
    const filtered = await b.get(`/gestion/emails?destinataire=${email}&etat=sent`);
    expect(filtered.body).toContain('Aucun e-mail ne correspond.');
    expect(filtered.body).toContain(`value="${email}"`); // the filter, kept
  });

  it('retries a failing message now: pending, attempts reset, due at once; audited', async () => {
    const m = await queued('Votre reçu');
    await failingRound();
    expect(await row(m.id)).toMatchObject({ status: 'pending', attempts: 1, last_error: '550 5.1.1 mailbox unavailable' });
    const { b, staff } = await loggedInStaff(t, ip());
    const list = await b.get(`/gestion/emails?etat=failing&destinataire=${m.to}`);
    for (const text of ['En échec, nouvel essai prévu', '550 5.1.1 mailbox unavailable', 'Votre reçu', 'bo-test', `action="/gestion/emails/${m.id}/nouvel-essai"`]) expect(list.body, text).toContain(text);

    t.clock.advance(1000);
    const back = `/gestion/emails?etat=failing&destinataire=${m.to}`;
    const res = await b.post(`/gestion/emails/${m.id}/nouvel-essai`, { _csrf: csrfToken(list.body), retour: back });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${back}&essai=ok&message=${m.id}`);
    expect(await row(m.id)).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: t.clock.now().toISOString() });
    expect(await retries(m.id)).toEqual([expect.objectContaining({ actor_id: staff.id, outcome: 'success' })]);
    const after = await b.get(String(res.headers.location));
    expect(after.body).toContain(`L’e-mail à ${m.to} (bo-test) repart : il sera envoyé dans les prochaines secondes.`);
    // Somewhere else than the list: back to the list.
    const elsewhere = await b.post(`/gestion/emails/${m.id}/nouvel-essai`, { _csrf: csrfToken(after.body), retour: 'https://evil.example/' });
    expect(String(elsewhere.headers.location)).toMatch(/^\/gestion\/emails\?essai=attente&message=/);
  });

  it('cannot send again a message given up: its content is gone; it says so and what to do, and audits the refusal', async () => {
    const m = await queued('Votre lien');
    t.clock.advance(HOUR);
    await failingRound(HOUR);
    const dead = await row(m.id);
    expect(dead).toMatchObject({ status: 'dead', text_body: '' });
    const { b, staff } = await loggedInStaff(t, ip());
    const list = await b.get(`/gestion/emails?etat=dead&destinataire=${m.to}`);
    expect(list.body).toContain('Abandonné');
    expect(list.body).toContain('Ne peut pas être renvoyé : son contenu a été effacé. Refaites l’action qui l’a produit.');
    expect(list.body).not.toContain(`action="/gestion/emails/${m.id}/nouvel-essai"`);

    const res = await b.post(`/gestion/emails/${m.id}/nouvel-essai`, { _csrf: csrfToken(list.body), retour: '/gestion/emails' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/emails?essai=efface&message=${m.id}`);
    expect(await row(m.id)).toMatchObject({ status: 'dead', attempts: dead.attempts, text_body: '' });
    const page = await b.get(String(res.headers.location));
    expect(page.body).toContain(`L’e-mail à ${m.to} (bo-test) ne peut pas être renvoyé : abandonné, son contenu a été effacé`);
    expect(page.body).toContain('Refaites l’action qui l’a produit');
    expect(await retries(m.id)).toEqual([{ actor_id: staff.id, outcome: 'failure', details: expect.stringContaining('"reason":"content_forgotten"') }]);
  });

  it('sends a message given up again while it still has its content (one given up before its content was erased on giving up)', async () => {
    const m = await queued();
    await t.db.updateTable('outbox').set({ status: 'dead', attempts: 12, last_error: '421 try later' }).where('id', '=', m.id).execute();
    const { b } = await loggedInStaff(t, ip());
    const list = await b.get(`/gestion/emails?etat=dead&destinataire=${m.to}`);
    expect(list.body).toContain(`action="/gestion/emails/${m.id}/nouvel-essai"`);
    const res = await b.post(`/gestion/emails/${m.id}/nouvel-essai`, { _csrf: csrfToken(list.body) });
    expect(res.headers.location).toBe(`/gestion/emails?essai=ok&message=${m.id}`);
    expect(await row(m.id)).toMatchObject({ status: 'pending', attempts: 0, next_attempt_at: t.clock.now().toISOString() });
    // Sent already, or never tried: nothing to retry.
    const fresh = await queued();
    const refused = await b.post(`/gestion/emails/${fresh.id}/nouvel-essai`, { _csrf: csrfToken(list.body) });
    expect(refused.headers.location).toBe(`/gestion/emails?essai=attente&message=${fresh.id}`);
    expect((await b.post(`/gestion/emails/${newId()}/nouvel-essai`, { _csrf: csrfToken(list.body) })).statusCode).toBe(404);
  });
});

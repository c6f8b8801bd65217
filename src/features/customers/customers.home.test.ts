import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, createCarPark, createContract, createCustomer, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { DAY, HOUR, newId, nowIso } from '../../lib/clock.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { OutboxWorker } from '../../lib/mail/worker.ts';
import { activateLogin } from '../auth/activation.service.ts';
import { createMandate, signMandate } from '../direct-debit/direct-debit.service.ts';

/*
 * The back office's home (`/gestion`), the agent's start page: what waits in each queue, each
 * figure a link to the list it counts. Every figure is read before and after its queue moves;
 * every link is followed, and the list it leads to counts the same.
 */

/** The figures of the home page, by the link they are: their text, and the first number in it. */
function figures(html: string): Map<string, { text: string; count: number; detail: string }> {
  const found = new Map<string, { text: string; count: number; detail: string }>();
  const queues = html.slice(html.indexOf('<h2 id="files">'));
  for (const m of queues.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>([^<]*)<\/li>/g)) {
    const href = m[1]!.replaceAll('&amp;', '&');
    found.set(href, { text: m[2]!, count: Number(/\d+/.exec(m[2]!)![0]), detail: m[3]!.replace(/^ — /, '') });
  }
  return found;
}

const WAITING = '/gestion/demandes?etat=a-traiter';
const UNASSIGNED = '/gestion/demandes?etat=a-traiter&attribution=personne';
const MINE = '/gestion/demandes?etat=a-traiter&attribution=moi';
const MANDATES = '/gestion/mandats?etat=to_validate';
const PAPER = '/gestion/papier';
const FAILING = '/gestion/emails?etat=failing';
const DEAD = '/gestion/emails?etat=dead';
const LETTERS = '/gestion/courriers';

describe.each(databaseKinds())('the back office’s home: the queues (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.94.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  /** The home page as this member sees it: each figure by its link. */
  async function home(b: Browser) {
    const res = await b.get('/gestion');
    expect(res.statusCode).toBe(200);
    return figures(res.body);
  }
  const count = async (b: Browser, href: string) => {
    const f = (await home(b)).get(href);
    expect(f, href).toBeDefined();
    return f!.count;
  };

  /** The list a link leads to: its page, answered 200. */
  async function list(b: Browser, href: string) {
    const res = await b.get(href);
    expect(res.statusCode, href).toBe(200);
    return res.body;
  }

  let refSeq = 0;
  /** A request as the contact form writes it, received `ageDays` ago. */
  async function request(customerId: string, ageDays: number) {
    const created = new Date(t.clock.now().getTime() - ageDays * DAY).toISOString();
    const reference = `DEM-2018-${String(++refSeq + (kind === 'sqlite' ? 0 : 500000)).padStart(6, '0')}`;
    await t.db
      .insertInto('contact_requests')
      .values({
        id: newId(),
        reference,
        customer_id: customerId,
        contract_id: null,
        category: 'other',
        message: `Message de ${reference}`,
        new_plate: null,
        effective_date: null,
        status: 'received',
        submission_id: null,
        assigned_staff_id: null,
        closed_at: null,
        created_at: created,
        updated_at: created,
      })
      .execute();
    return reference;
  }

  /** The references an inbox page lists. */
  const references = (html: string) => [...html.matchAll(/href="\/gestion\/demandes\/(DEM-[0-9-]+)"/g)].map((m) => m[1]!);
  /** The total an inbox page's caption gives. */
  const inboxTotal = (html: string) => Number(/Demandes, la plus ancienne en attente d’abord : (\d+)/.exec(html)?.[1] ?? 0);

  it('is the staff’s start page: a visitor or a customer goes to the staff login, an agent and an admin see the search and every queue', async () => {
    const visitor = new Browser(t.app, ip());
    const { b: customer } = await loggedInCustomer(t, ip());
    for (const b of [visitor, customer]) {
      const res = await b.get('/gestion');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
    }
    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, ip(), role);
      const res = await b.get('/gestion');
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<form method="get" action="/gestion/clients" role="search"');
      expect([...figures(res.body).keys()]).toEqual([WAITING, UNASSIGNED, MINE, MANDATES, PAPER, FAILING, DEAD, LETTERS, '/gestion/clients']);
    }
  });

  it('counts the requests waiting for us, with the oldest’s age, those nobody has and those assigned to me; each link lists them', async () => {
    const { b: me, staff } = await loggedInStaff(t, ip());
    const { b: colleague } = await loggedInStaff(t, ip());
    const before = await home(me);
    const { customer } = await activeSubscriber(t.db, t.clock);
    const oldest = await request(customer.id, 40);
    const fresh = await request(customer.id, 0);

    let now = await home(me);
    expect(now.get(WAITING)!.count).toBe(before.get(WAITING)!.count + 2);
    expect(now.get(WAITING)!.detail).toBe('la plus ancienne attend depuis 40 jour(s)');
    expect(now.get(UNASSIGNED)!.count).toBe(before.get(UNASSIGNED)!.count + 2);
    expect(now.get(MINE)!.count).toBe(before.get(MINE)!.count);

    // Taken by me: no longer nobody's, now mine — and not my colleague's.
    const page = await me.get(`/gestion/demandes/${oldest}`);
    expect((await me.post(`/gestion/demandes/${oldest}/attribution`, { _csrf: csrfToken(page.body), assignee: staff.id })).statusCode).toBe(303);
    now = await home(me);
    expect(now.get(WAITING)!.count).toBe(before.get(WAITING)!.count + 2);
    expect(now.get(UNASSIGNED)!.count).toBe(before.get(UNASSIGNED)!.count + 1);
    expect(now.get(MINE)!.count).toBe(before.get(MINE)!.count + 1);
    expect((await home(colleague)).get(MINE)!.count).toBe(0);

    // Each link leads to the inbox listing exactly what the figure counts.
    for (const [href, expected, absent] of [
      [WAITING, [oldest, fresh], []],
      [UNASSIGNED, [fresh], [oldest]],
      [MINE, [oldest], [fresh]],
    ] as const) {
      const html = await list(me, href);
      expect(inboxTotal(html), href).toBe(now.get(href)!.count);
      for (const r of expected) expect(references(html), href).toContain(r);
      for (const r of absent) expect(references(html), href).not.toContain(r);
    }

    // In the customer's hands, it waits for us no more; closed, neither.
    const mine = await me.get(`/gestion/demandes/${oldest}`);
    expect((await me.post(`/gestion/demandes/${oldest}/etat`, { _csrf: csrfToken(mine.body), state: 'waiting_customer' })).statusCode).toBe(303);
    const other = await me.get(`/gestion/demandes/${fresh}`);
    expect((await me.post(`/gestion/demandes/${fresh}/etat`, { _csrf: csrfToken(other.body), state: 'closed' })).statusCode).toBe(303);
    now = await home(me);
    expect(now.get(WAITING)!.count).toBe(before.get(WAITING)!.count);
    expect(now.get(UNASSIGNED)!.count).toBe(before.get(UNASSIGNED)!.count);
    expect(now.get(MINE)!.count).toBe(before.get(MINE)!.count);
    expect(references(await list(me, WAITING))).not.toContain(oldest);
  });

  it('counts the mandates signed online to validate, and the link lists them', async () => {
    const { b } = await loggedInStaff(t, ip());
    const before = await count(b, MANDATES);
    const { customer } = await activeSubscriber(t.db, t.clock);
    const email = `home-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set(emailColumns(email, null, nowIso(t.clock))).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const c = { db: t.db, clock: t.clock, config: t.config, customerId: customer.id, meta: { ip: '10.94.255.1', user_agent: null } };
    const created = await createMandate(
      c,
      { holderName: 'DURAND FRANCOIS', holderAddress: '1 RUE DE LA PAIX\n75008 PARIS\nFrance', iban: 'FR7630006000011234567890189', ibanCountry: 'FR', bic: 'BNPAFRPP', contractIds: [contract.id], place: 'Paris' },
      '',
    );
    if (!created.ok) throw new Error(created.reason);
    // Waiting for its signature, it is not for customer service yet.
    expect(await count(b, MANDATES)).toBe(before);
    const mail = await t.db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'mandate-code').executeTakeFirstOrThrow();
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text_body)![1]!;
    expect((await signMandate({ ...c, storage: t.app.storage, lang: 'fr' }, created.mandateId, code)).ok).toBe(true);
    expect(await count(b, MANDATES)).toBe(before + 1);

    const html = await list(b, MANDATES);
    expect(html).toContain(created.rum);
    expect(html).toContain(`À valider : ${before + 1} mandat(s), les plus anciens d’abord`);

    const page = await b.get(`/gestion/mandats/${created.mandateId}`);
    expect((await b.post(`/gestion/mandats/${created.mandateId}/validation`, { _csrf: csrfToken(page.body) })).statusCode).toBe(303);
    expect(await count(b, MANDATES)).toBe(before);
  });

  it('counts the documents to print for customers who need paper, and the link leads to them', async () => {
    const { b } = await loggedInStaff(t, ip());
    /** The paper figure's documents and customers. */
    const paperFigure = async () => {
      const m = /^(\d+) document\(s\) à imprimer pour (\d+) client\(s\) sans e-facture$/.exec((await home(b)).get(PAPER)!.text)!;
      return { documents: Number(m[1]), customers: Number(m[2]) };
    };
    const before = await paperFigure();
    const paper = await createCustomer(t.db, t.clock, { paperless: 0 });
    const paperless = await createCustomer(t.db, t.clock, { paperless: 1, paperless_changed_at: nowIso(t.clock) });
    for (const [i, c] of [paper, paper, paperless].entries()) {
      await insertDocument(t.db, { customerId: c.id, number: `${c.number}-${i}`, issueDate: '2026-11-01', htCents: 1000 });
    }
    const now = await paperFigure();
    expect(now).toEqual({ documents: before.documents + 2, customers: before.customers + 1 });

    const html = await list(b, PAPER);
    expect(html).toContain(`${now.customers} client(s), ${now.documents} document(s) à imprimer.`);
    expect(html).toContain(paper.number);
    expect(html).not.toContain(paperless.number);

    // Sent to print: nothing waits any more.
    expect((await b.post('/gestion/papier/lots', { _csrf: csrfToken(html) })).statusCode).toBe(303);
    expect(await paperFigure()).toEqual({ documents: 0, customers: 0 });
  });

  it('counts the e-mails failing and those given up; each link lists them', async () => {
    let { b } = await loggedInStaff(t, ip());
    /** One round of a worker whose server refuses everything due; `giveUpAfterMs` 0 gives up at once. */
    const failingRound = (giveUpAfterMs = 5 * 24 * HOUR) =>
      new OutboxWorker(t.db, t.clock, t.config, { send: () => Promise.reject(new Error('550 5.1.1 mailbox unavailable')), close: () => undefined, describe: () => 'refusing' }, { giveUpAfterMs, batchSize: 1000 }).runOnce();
    // What earlier tests queued is given up first: this test's message is then the only one moving.
    await failingRound(0);
    const before = await home(b);
    expect(before.get(FAILING)!.count).toBe(0);

    const to = `home-${newId().slice(-8)}@example.test`;
    await enqueueMail(t.db, t.clock, t.config, { to, lang: 'fr', content: { subject: 'Votre avis', paragraphs: ['Bonjour'] }, dedupeKey: `home-test:${to}` });
    expect((await home(b)).get(FAILING)!.count).toBe(0);

    await failingRound();
    let now = await home(b);
    expect(now.get(FAILING)!.count).toBe(1);
    expect(now.get(DEAD)!.count).toBe(before.get(DEAD)!.count);
    let html = await list(b, FAILING);
    expect(html).toContain(to);
    expect(html).toContain('E-mails, les plus récents d’abord : 1');

    t.clock.advance(HOUR);
    await failingRound(0);
    // An hour idle ended the session: a new one.
    ({ b } = await loggedInStaff(t, ip()));
    now = await home(b);
    expect(now.get(FAILING)!.count).toBe(0);
    expect(now.get(DEAD)!.count).toBe(before.get(DEAD)!.count + 1);
    html = await list(b, DEAD);
    expect(html).toContain(to);
    expect(html).toContain(`E-mails, les plus récents d’abord : ${now.get(DEAD)!.count}`);
  });

  it('counts the customers who never activated their account, and the link leads to the letters', async () => {
    const { b } = await loggedInStaff(t, ip());
    const before = await count(b, LETTERS);
    await createCustomer(t.db, t.clock);
    const { customer } = await newSubscriber(t.db, t.clock);
    await activeSubscriber(t.db, t.clock);
    expect(await count(b, LETTERS)).toBe(before + 2);
    expect(await list(b, LETTERS)).toContain(`Clients concernés : ${before + 2}.`);

    const activated = await activateLogin(
      t.db,
      t.clock,
      t.config,
      customer.id,
      { password: 'gaufre luciole trombone', password_confirm: 'gaufre luciole trombone', email_primary: `home.${newId().slice(-8)}@example.fr`, email_secondary: '', paperless: false },
      { ip: '10.94.255.2', user_agent: null },
    );
    expect(activated.ok).toBe(true);
    expect(await count(b, LETTERS)).toBe(before + 1);
  });
});

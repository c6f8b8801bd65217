import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffAreaRoutes } from '../../src/areas/staff-area.ts';
import { contentStore } from '../../src/lib/content-store.ts';
import { seedDemo } from '../../src/features/demo/demo.seed.ts';
import { DEMO_STAFF } from '../../src/features/demo/demo.staff.ts';
import { lettersTo } from '../../src/features/letters/letters.queries.ts';
import { issueBatch } from '../../src/features/letters/letters.service.ts';
import { processTermination, requestTermination } from '../../src/features/terminations/terminations.service.ts';
import { createStaffSession } from '../../src/features/staff/staff.sessions.ts';
import { inviteMember } from '../../src/features/staff/team.service.ts';
import { addApiKey, createApiClient, revokeApiKey } from '../../src/features/api-clients/api-clients.service.ts';
import { HOUR, manualClock, newId } from '../../src/lib/clock.ts';
import { enqueueMail } from '../../src/lib/mail/outbox.ts';
import { OutboxWorker } from '../../src/lib/mail/worker.ts';
import { insertDocument } from '../support/documents.ts';
import { chromiumPath, expectAccessible, expectNoHorizontalScroll, useChromium, useServer, viewports } from '../support/browser.ts';

/*
 * axe (WCAG 2.1 AA) on every page of the back office, over the demo data, on a phone and a
 * desktop: every GET route of the staff area is either a page below (with the addresses it is
 * visited at, real values of the demo) or a download; a new route that is neither fails the
 * first test. Then pages in their error states (forms sent empty, a refusal, a page not
 * found), and a customer's page seen through "voir comme le client".
 *
 * The login, the code and the enrolment are reached as their visitors reach them; every other
 * page as the demo's admin, with a full session (the login's forms are proven in
 * `backoffice-staff.test.ts` and `backoffice-journey.test.ts`).
 */

const TODAY = new Date('2026-11-27T10:00:00.000Z');

/** What the demo gives the addresses (`beforeAll`). */
interface Demo {
  /** A request with a PDF attached, one waiting for the customer, one closed. */
  requests: { withFile: string; fileId: string; waiting: string; closed: string };
  mandates: { toValidate: string; active: string };
  /** A fresh invitation's enrolment address. */
  invitation: string;
  letterBatch: string;
  /** An API client with a key revoked and one in use. */
  apiClient: string;
  /** A vehicle change waiting for its certificate's check, one refused. */
  vehicleChanges: { pending: string; refused: string };
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

const ADMIN = DEMO_STAFF.find((m) => m.role === 'admin')!;
const AGENT = DEMO_STAFF.find((m) => m.role === 'agent')!;

type Visitor = 'visitor' | 'half-open' | 'admin';

/** Every HTML page of the back office, by route: who visits it, and at which addresses. */
const PAGES: Record<string, { as: Visitor; urls: (d: Demo) => string[] }> = {
  '/gestion/connexion': { as: 'visitor', urls: () => ['/gestion/connexion', '/gestion/connexion?expire'] },
  '/gestion/verification': { as: 'half-open', urls: () => ['/gestion/verification'] },
  '/gestion/inscription/:token': { as: 'visitor', urls: (d) => [d.invitation] },
  '/gestion': { as: 'admin', urls: () => ['/gestion'] },
  '/gestion/clients': { as: 'admin', urls: () => ['/gestion/clients', '/gestion/clients?q=durand', '/gestion/clients?q=d', '/gestion/clients?q=zzzz'] },
  // The manual's customer (never activated), a subscriber with requests, one with a mandate to validate.
  '/gestion/clients/:number': { as: 'admin', urls: () => ['CLT013261', 'CLT013262', 'CLT013270'].map((n) => `/gestion/clients/${n}`) },
  '/gestion/clients/:number/documents': { as: 'admin', urls: () => ['/gestion/clients/CLT013262/documents?page=2'] },
  '/gestion/clients/:number/coordonnees': { as: 'admin', urls: () => ['/gestion/clients/CLT013262/coordonnees'] },
  '/gestion/clients/:number/immatriculation': { as: 'admin', urls: () => ['/gestion/clients/CLT013262/immatriculation'] },
  '/gestion/clients/:number/facturation': { as: 'admin', urls: () => ['/gestion/clients/CLT013263/facturation'] },
  '/gestion/courriers': { as: 'admin', urls: () => ['/gestion/courriers'] },
  '/gestion/demandes': { as: 'admin', urls: () => ['/gestion/demandes', '/gestion/demandes?etat=toutes&objet=plate'] },
  '/gestion/demandes/:reference': { as: 'admin', urls: (d) => [d.requests.withFile, d.requests.waiting, d.requests.closed].map((r) => `/gestion/demandes/${r}`) },
  '/gestion/mandats': { as: 'admin', urls: () => ['/gestion/mandats', '/gestion/mandats?etat=active'] },
  '/gestion/mandats/:id': { as: 'admin', urls: (d) => [d.mandates.toValidate, d.mandates.active].map((id) => `/gestion/mandats/${id}`) },
  '/gestion/mandats/papier': { as: 'admin', urls: () => ['/gestion/mandats/papier', '/gestion/mandats/papier?client=CLT013262'] },
  '/gestion/papier': { as: 'admin', urls: () => ['/gestion/papier'] },
  '/gestion/resiliations': { as: 'admin', urls: () => ['/gestion/resiliations', '/gestion/resiliations?traitee=RES-ABCD1234'] },
  '/gestion/emails': { as: 'admin', urls: () => ['/gestion/emails', '/gestion/emails?etat=dead'] },
  '/gestion/equipe': { as: 'admin', urls: () => ['/gestion/equipe'] },
  '/gestion/equipe/:id': { as: 'admin', urls: () => [`/gestion/equipe/${AGENT.id}`, `/gestion/equipe/${ADMIN.id}`] },
  '/gestion/parametres': { as: 'admin', urls: () => ['/gestion/parametres'] },
  '/gestion/parametres/parkings': { as: 'admin', urls: () => ['/gestion/parametres/parkings'] },
  '/gestion/parametres/parkings/:code': { as: 'admin', urls: () => ['/gestion/parametres/parkings/CARDINET'] },
  '/gestion/journal': { as: 'admin', urls: () => ['/gestion/journal', `/gestion/journal?membre=${ADMIN.id}&action=customer.`] },
  '/gestion/api': { as: 'admin', urls: () => ['/gestion/api'] },
  '/gestion/api/:id': { as: 'admin', urls: (d) => [`/gestion/api/${d.apiClient}`] },
  '/gestion/vehicules': { as: 'admin', urls: () => ['/gestion/vehicules'] },
  '/gestion/vehicules/:id': { as: 'admin', urls: (d) => [d.vehicleChanges.pending, d.vehicleChanges.refused].map((id) => `/gestion/vehicules/${id}`) },
  '/gestion/badges': { as: 'admin', urls: () => ['/gestion/badges'] },
  '/gestion/badges/tarifs': { as: 'admin', urls: () => ['/gestion/badges/tarifs'] },
  '/gestion/renouvellements': { as: 'admin', urls: () => ['/gestion/renouvellements'] },
};

/** The GET routes that answer a file to save, not a page (checked below where the demo has one). */
const DOWNLOADS = [
  '/gestion/clients/:number/documents/:file',
  '/gestion/courriers/:file',
  '/gestion/demandes/:reference/pieces/:id',
  '/gestion/mandats/:id/mandat.pdf',
  '/gestion/papier/lots/:id/imprimeur.csv',
  '/gestion/vehicules/:id/certificat',
];

describe.skipIf(!chromiumPath)('every back-office page, in Chromium, with axe', () => {
  const clock = manualClock(TODAY);
  const server = useServer(clock);
  const browser = useChromium();
  let demo: Demo;
  let checked = 0;

  beforeAll(async () => {
    clock.set(TODAY);
    const { db, config } = server;
    await seedDemo(db, clock, { tempPasswordDays: config.TEMP_PASSWORD_DAYS, mandateKey: config.mandateKey, attachments: contentStore(config, 'attachments') });
    const request = (status: 'waiting_customer' | 'closed') =>
      db.selectFrom('contact_requests').select('reference').where('status', '=', status).orderBy('reference').executeTakeFirstOrThrow();
    const file = await db.selectFrom('contact_attachments as a').innerJoin('contact_requests as r', 'r.id', 'a.request_id').select(['a.id', 'r.reference']).executeTakeFirstOrThrow();
    const mandate = (status: 'to_validate' | 'active') => db.selectFrom('sepa_mandates').select('id').where('status', '=', status).orderBy('rum').executeTakeFirstOrThrow();
    const invited = await inviteMember(db, clock, config, { email: 'nouvelle.recrue@parkings-demo.example', role: 'agent', name: 'Nina Recrue' }, { kind: 'cli' });
    if (!invited.ok) throw new Error('invitation refused');
    // A batch of letters, and e-mails in the outbox: one given up, one waiting.
    const { batchId } = await issueBatch(db, clock, config, { staffId: ADMIN.id, meta: { ip: '127.0.0.1', user_agent: 'e2e' } }, await lettersTo(db, ['CLT013261']), 'list');
    await enqueueMail(db, clock, config, { to: 'perdu@example.test', lang: 'fr', content: { subject: 'Votre avis', paragraphs: ['Bonjour'] }, dedupeKey: 'e2e-pages:lost' });
    clock.advance(HOUR);
    await new OutboxWorker(db, clock, config, { send: () => Promise.reject(new Error('550 mailbox unavailable')), close: () => undefined, describe: () => 'refusing' }, { giveUpAfterMs: HOUR, batchSize: 1000 }).runOnce();
    await enqueueMail(db, clock, config, { to: 'attente@example.test', lang: 'fr', content: { subject: 'Votre facture', paragraphs: ['Bonjour'] }, dedupeKey: 'e2e-pages:waiting' });
    // Terminations: one to process, one processed (the queue's two tables).
    const active = await db.selectFrom('contracts as k').innerJoin('customers as c', 'c.id', 'k.customer_id').select(['k.number', 'c.id']).where('k.status', '=', 'active').orderBy('k.number').limit(2).execute();
    for (const [i, k] of active.entries()) {
      const asked = await requestTermination(db, clock, config, { customerId: k.id, contractNumber: k.number, typedDate: '', channel: i === 0 ? 'customer_area' : 'public_page', address: null, linkId: null, meta: { ip: '127.0.0.1', user_agent: 'e2e' } });
      if (!asked.ok) throw new Error('termination refused');
      if (i === 1) await processTermination(db, clock, { staffId: ADMIN.id, meta: { ip: '127.0.0.1', user_agent: 'e2e' } }, asked.termination.id);
    }
    const erp = await createApiClient(db, clock, { name: 'erp-compta', scopes: ['customers:read', 'customers:write', 'credentials:write'], rateLimit: '' }, { kind: 'cli' });
    if (!erp.ok) throw new Error('API client refused');
    await addApiKey(db, clock, erp.client.id, { kind: 'cli' });
    await revokeApiKey(db, clock, { prefix: erp.key.prefix }, { kind: 'cli' });
    // Vehicle changes of a demo contract: one waiting for its certificate's check, one refused; a badge replacement paid, to prepare; a renewal notice sent.
    const contract = await db.selectFrom('contracts').select(['id', 'customer_id', 'badge_number']).where('badge_number', '=', 'BDG004512').executeTakeFirstOrThrow();
    const certificate = await contentStore(config, 'attachments').put(PDF);
    const vehicleChange = (status: 'pending' | 'refused', plate: string) => {
      const id = newId();
      return db
        .insertInto('vehicle_changes')
        .values({ id, customer_id: contract.customer_id, contract_id: contract.id, replaces_vehicle_id: null, plate, country: 'FR', make: 'Renault', model: 'Clio', valid_from: '2026-12-01', status, certificate_name: 'carte-grise.pdf', certificate_type: 'application/pdf', certificate_size: PDF.length, certificate_sha256: certificate, refusal_reason: status === 'refused' ? 'Le certificat est illisible.' : null, vehicle_id: null, decided_by: status === 'refused' ? ADMIN.id : null, decided_at: status === 'refused' ? TODAY.toISOString() : null, created_at: TODAY.toISOString() })
        .execute()
        .then(() => id);
    };
    const vehicleChanges = { pending: await vehicleChange('pending', 'GH-456-JK'), refused: await vehicleChange('refused', 'LM-789-NP') };
    await db
      .insertInto('badge_replacements')
      .values({ id: newId(), customer_id: contract.customer_id, contract_id: contract.id, badge_number: contract.badge_number ?? 'B-000001', reason: 'lost', status: 'paid', fee_cents: 1500, ordered_at: TODAY.toISOString(), paid_at: TODAY.toISOString(), new_badge_number: null, completed_at: null, completed_by: null, created_at: TODAY.toISOString() })
      .execute();
    await db
      .insertInto('renewal_notices')
      .values({ id: newId(), contract_id: contract.id, customer_id: contract.customer_id, renewal_date: '2027-01-01', deadline: '2026-12-31', channel: 'email', late: 0, sent_at: TODAY.toISOString() })
      .execute();
    demo = {
      vehicleChanges,
      apiClient: erp.client.id,
      requests: { withFile: file.reference, fileId: file.id, waiting: (await request('waiting_customer')).reference, closed: (await request('closed')).reference },
      mandates: { toValidate: (await mandate('to_validate')).id, active: (await mandate('active')).id },
      invitation: new URL(invited.link.url).pathname,
      letterBatch: batchId,
    };
  }, 30_000);

  const check = async (page: Page) => {
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    // A table folded into cards keeps its caption across its width (not a narrow column of words).
    const captions = await page.locator('table.stack > caption').evaluateAll((all) =>
      all
        .filter((c) => getComputedStyle(c).position !== 'absolute') // visually hidden: read out only
        .map((c) => ({ text: c.textContent, caption: c.getBoundingClientRect().width, table: c.parentElement!.getBoundingClientRect().width })),
    );
    for (const c of captions) expect(c.caption, `caption “${c.text}” on ${page.url()}`).toBeGreaterThan(c.table * 0.9);
    checked++;
  };

  /** Opens `url` and expects this status, then axe and the width. */
  async function visit(page: Page, url: string, status = 200) {
    const answer = await page.goto(`${server.base}${url}`);
    expect(answer?.status(), url).toBe(status);
    expect(answer?.headers()['content-type'], url).toMatch(/^text\/html/);
    await check(page);
    if (process.env.E2E_SCREENSHOTS) {
      const width = page.viewportSize()?.width;
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/bo-${width}${url.replace(/[^a-z0-9]+/gi, '-')}.png`, fullPage: true });
    }
  }

  /** Clicks a form's button and expects the page answered with this status. */
  async function submit(page: Page, button: string | RegExp, status: number) {
    const answered = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: button }).click();
    expect((await answered).status(), String(button)).toBe(status);
    await page.waitForLoadState('load');
  }

  async function contextFor(who: Visitor | 'agent', viewport: { width: number; height: number }): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport, locale: 'fr-FR' });
    if (who === 'visitor') return context;
    const member = who === 'agent' ? AGENT : ADMIN;
    const token = await createStaffSession(server.db, clock, server.app.staffSessionPolicy, member.id, who === 'half-open' ? 'second_factor' : 'full', { ip: '127.0.0.1', user_agent: 'e2e' });
    await context.addCookies([{ name: server.app.staffCookie.name, value: token, url: server.base }]);
    return context;
  }

  it('knows every GET route of the back office: a page visited below, or a download', () => {
    const routes = staffAreaRoutes(server.app)
      .filter((r) => r.method === 'GET')
      .map((r) => r.url)
      .sort();
    expect(DOWNLOADS.filter((r) => r in PAGES)).toEqual([]);
    expect([...Object.keys(PAGES), ...DOWNLOADS].sort()).toEqual(routes);
  });

  for (const [name, viewport] of Object.entries(viewports)) {
    it(`every page passes axe and fits the width (${name})`, async () => {
      // A new document for a customer without paperless consent: the paper queue has an envelope.
      const manual = await server.db.selectFrom('customers').select(['id', 'paperless']).where('number', '=', 'CLT013261').executeTakeFirstOrThrow();
      expect(manual.paperless).toBe(0);
      const invoice = `15FVE2E${name.toUpperCase()}`;
      await insertDocument(server.db, { customerId: manual.id, number: invoice, issueDate: '2026-11-26', htCents: 21667, pdfSha256: await server.storage.put(PDF) });
      for (const who of ['visitor', 'half-open', 'admin'] as const) {
        const context = await contextFor(who, viewport);
        const page = await context.newPage();
        for (const [route, { as, urls }] of Object.entries(PAGES)) {
          if (as !== who) continue;
          for (const url of urls(demo)) {
            await visit(page, url);
            if (route === '/gestion/connexion') expect(await page.locator('h1').textContent()).toBeTruthy();
          }
        }
        if (who === 'admin') {
          // The paper queue's batch, just made: the notice and its file.
          await page.goto(`${server.base}/gestion/papier`);
          expect(await page.locator('main').textContent()).toContain(invoice);
          await submit(page, /^Créer le lot pour l’imprimeur/, 303);
          expect(await page.locator('[role=status]').textContent()).toContain('Lot créé');
          await check(page);
          // The downloads: saved, never shown inline (the demo's mandates have no signed PDF:
          // that one is `direct-debit.backoffice.test.ts`'s).
          const batch = new URL(page.url()).searchParams.get('lot');
          const files = [
            `/gestion/clients/CLT013261/documents/${invoice}.pdf`,
            `/gestion/demandes/${demo.requests.withFile}/pieces/${demo.requests.fileId}`,
            `/gestion/courriers/${demo.letterBatch}.csv`,
            `/gestion/papier/lots/${batch}/imprimeur.csv`,
            `/gestion/vehicules/${demo.vehicleChanges.pending}/certificat`,
          ];
          for (const file of files) {
            const answer = await page.request.get(`${server.base}${file}`);
            expect(answer.status(), file).toBe(200);
            expect(answer.headers()['content-disposition'], file).toMatch(/^attachment; filename=/);
          }
        }
        await context.close();
      }
    }, 180_000);

    it(`shows forms with their errors, refusals and a missing page, each accessible (${name})`, async () => {
      const context = await contextFor('admin', viewport);
      const page = await context.newPage();

      // A correction of contact details without its reason.
      await page.goto(`${server.base}/gestion/clients/CLT013262/coordonnees`);
      await submit(page, 'Enregistrer la correction', 400);
      expect(await page.locator('.error-summary').textContent()).toContain('Saisissez le motif de la correction.');
      await check(page);

      // The operator's settings with a SIREN whose key is wrong: said at the field, the rest kept.
      await page.goto(`${server.base}/gestion/parametres`);
      await page.getByLabel(/^SIREN/).fill('123456789');
      await submit(page, 'Enregistrer', 400);
      expect(await page.locator('.error-summary').textContent()).toContain('Un SIREN compte 9 chiffres dont le dernier est une clé');
      expect(await page.getByLabel(/^SIREN/).inputValue()).toBe('123456789');
      await check(page);

      // A change of plate without its date.
      await page.goto(`${server.base}/gestion/clients/CLT013262/immatriculation`);
      await submit(page, 'Enregistrer le changement', 400);
      await check(page);

      // A mandate refused without a reason.
      await page.goto(`${server.base}/gestion/mandats/${demo.mandates.toValidate}`);
      await submit(page, 'Refuser le mandat', 400);
      expect(await page.locator('#reason-error').textContent()).toBe('Saisissez le motif du refus : il est envoyé au client.');
      await check(page);

      // A paper mandate for a customer who does not exist, then the form sent empty.
      await visit(page, '/gestion/mandats/papier?client=CLT000000', 400);
      await page.goto(`${server.base}/gestion/mandats/papier?client=CLT013262`);
      await submit(page, 'Enregistrer le mandat', 400);
      await check(page);

      // A reply and a note sent empty.
      await page.goto(`${server.base}/gestion/demandes/${demo.requests.withFile}`);
      await submit(page, 'Envoyer la réponse', 400);
      expect(await page.locator('#reply-error').count()).toBe(1);
      await check(page);
      await submit(page, 'Enregistrer la note', 400);
      await check(page);

      // Letters for no one; an invitation without an address.
      await page.goto(`${server.base}/gestion/courriers`);
      await submit(page, 'Imprimer les courriers de ces clients', 400);
      await check(page);
      await page.goto(`${server.base}/gestion/equipe`);
      await submit(page, 'Inviter', 422);
      await check(page);
      // An API client without a name nor a scope; a new key shown once.
      await page.goto(`${server.base}/gestion/api`);
      await submit(page, 'Créer le client et sa clé', 422);
      await check(page);
      const erp = await createApiClient(server.db, clock, { name: `erp-${name}`, scopes: ['customers:read'], rateLimit: '' }, { kind: 'cli' });
      if (!erp.ok) throw new Error('API client refused');
      await page.goto(`${server.base}/gestion/api/${erp.client.id}`);
      await submit(page, 'Créer une nouvelle clé', 200);
      await check(page);
      await submit(page, 'Créer une nouvelle clé', 409);
      await check(page);

      // Pages that do not exist, and an agent at an admin page: in the staff frame, the way home
      // is the back office's. (At desktop width these short pages pass only 10 of axe's rules,
      // under `expectAccessible`'s guard that axe ran: they are checked on the phone.)
      const refusal = async (p: Page, url: string, status: number) => {
        const answer = await p.goto(`${server.base}${url}`);
        expect(answer?.status(), url).toBe(status);
        expect(await p.locator('nav[aria-label="Navigation de la gestion"]').count()).toBe(1);
        expect(await p.getByRole('link', { name: 'Retour à l’accueil' }).getAttribute('href')).toBe('/gestion');
        if (name === 'phone') await check(p);
      };
      await refusal(page, '/gestion/clients/CLT999999', 404);
      await refusal(page, '/gestion/demandes/DEM-2026-999999', 404);
      await context.close();
      const agent = await contextFor('agent', viewport);
      await refusal(await agent.newPage(), '/gestion/equipe', 403);
      await agent.close();

      // A wrong password at the login.
      const visitor = await contextFor('visitor', viewport);
      const login = await visitor.newPage();
      await login.goto(`${server.base}/gestion/connexion`);
      await login.getByLabel('Adresse e-mail').fill(AGENT.email);
      await login.getByLabel('Mot de passe').fill('pas le bon mot de passe');
      await submit(login, 'Continuer', 401);
      expect(await login.getByRole('alert').count()).toBeGreaterThan(0);
      await check(login);
      await visitor.close();
    }, 180_000);

    it(`shows a customer’s pages through “voir comme le client”, marked, accessible (${name})`, async () => {
      const context = await contextFor('admin', viewport);
      const page = await context.newPage();
      await page.goto(`${server.base}/gestion/clients/CLT013262`);
      await page.getByRole('button', { name: 'Voir comme le client' }).click();
      expect(new URL(page.url()).pathname).not.toMatch(/^\/gestion/);
      for (const path of [new URL(page.url()).pathname, `/contact/demandes/${demo.requests.waiting}`, '/mon-compte']) {
        await page.goto(`${server.base}${path}`);
        expect(await page.locator('.staff-view-banner').textContent(), path).toContain('Vue du conseiller — lecture seule.');
        await check(page);
      }
      await page.getByRole('button', { name: 'Quitter la vue client' }).click();
      expect(new URL(page.url()).pathname).toBe('/gestion/clients/CLT013262');
      await context.close();
    });
  }

  it('checked every page', () => {
    console.info(`back-office pages checked with axe and for sideways scrolling: ${checked}`);
    expect(checked).toBeGreaterThan(80);
  });
});

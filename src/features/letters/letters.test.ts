import { describe, expect, it } from 'vitest';
import { Browser, type TestApp, databaseKinds, loggedInCustomer, useTestApp, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { activeSubscriber, createCustomer, emailColumns, newSubscriber } from '../../../tests/support/factories.ts';
import { hasPdftotext, pdfText } from '../../../tests/support/pdf.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { batchCsv, parseNumbers } from './letters.rules.ts';
import { translator } from '../../lib/i18n.ts';

const loginAs = (t: TestApp, ip: string, number: string, password: string) => new Browser(t.app, ip).submit('/connexion', '/connexion', { identifiant: number, password });

const tempHashes = async (t: TestApp, ids: string[]) =>
  (await t.db.selectFrom('customer_logins').select(['customer_id', 'temp_password_hash']).where('customer_id', 'in', ids).orderBy('customer_id').execute()).map((r) => r.temp_password_hash);

/** The passwords of a batch's PDF, by customer number, page after page. */
function passwordsOf(pdf: Buffer): Map<string, string> {
  const found = new Map<string, string>();
  for (const page of pdfText(pdf).split('\f').filter((p) => p.trim())) {
    const number = /Identifiant \(n° client\) :\s+(\S+)/.exec(page)?.[1];
    const password = /Mot de passe provisoire :\s+(\S+)/.exec(page)?.[1];
    if (number && password) found.set(number, password);
  }
  return found;
}

describe('the letters’ rules', () => {
  it('reads a list of numbers however it was typed, each once', () => {
    expect(parseNumbers(' clt000001\nCLT000002, CLT000003;clt000001\r\n\n')).toEqual(['CLT000001', 'CLT000002', 'CLT000003']);
    expect(parseNumbers('  \n ')).toEqual([]);
  });

  it('writes a CSV for the print shop: `;`, quoted when it must be, never a formula', () => {
    const csv = batchCsv(translator('fr'), [
      { number: 'CLT000001', name: 'DURAND; FILS', addressLines: ['1 RUE "LA PAIX"', '75008 PARIS'], expires: '27/03/2027' },
      { number: 'CLT000002', name: '=HYPERLINK("x")', addressLines: ['2 RUE', '75001 PARIS', 'BELGIQUE'], expires: '27/03/2027' },
    ]);
    expect(csv.split('\r\n')).toEqual([
      '\ufeffN° client;Nom;Adresse ligne 1;Adresse ligne 2;Adresse ligne 3;Adresse ligne 4;Mot de passe valable jusqu’au',
      'CLT000001;"DURAND; FILS";"1 RUE ""LA PAIX""";75008 PARIS;;;27/03/2027',
      `CLT000002;"'=HYPERLINK(""x"")";2 RUE;75001 PARIS;BELGIQUE;;27/03/2027`,
      '',
    ]);
  });
});

describe.each(databaseKinds())('letters in bulk (%s)', (kind) => {
  const t = useTestApp(kind);

  it('are for staff only, on every route: a visitor and a customer go to the staff login, agents and admins print', async () => {
    const routes = staffAreaRoutes(t.app)
      .filter((r) => r.url.startsWith('/gestion/courriers'))
      .map((r) => `${r.method} ${r.url} ${r.access}`)
      .sort();
    expect(routes).toEqual(['GET /gestion/courriers agent', 'GET /gestion/courriers/:file agent', 'POST /gestion/courriers agent']);
    const { customer } = await newSubscriber(t.db, t.clock);
    const visitor = new Browser(t.app, '203.0.113.101');
    const { b: asCustomer } = await loggedInCustomer(t, '203.0.113.102');
    for (const b of [visitor, asCustomer]) {
      for (const res of [await b.get('/gestion/courriers'), await b.get('/gestion/courriers/x.csv'), await b.post('/gestion/courriers', { selection: 'liste', numbers: customer.number })]) {
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
      }
    }
    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, role === 'agent' ? '203.0.113.103' : '203.0.113.104', role);
      const page = await b.get('/gestion/courriers');
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<a href="/gestion/courriers" aria-current="page">Courriers</a>');
      const res = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: customer.number });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const batch = await t.db.selectFrom('letter_batches').select('id').orderBy('created_at', 'desc').orderBy('id').executeTakeFirstOrThrow();
      expect((await b.get(`/gestion/courriers/${batch.id}.csv`)).statusCode).toBe(200);
      expect((await b.get('/gestion/courriers/not-a-batch.csv')).statusCode).toBe(404);
    }
  });

  it('refuses a list with an unknown number, naming each, and then prints nothing at all', async () => {
    const a = await newSubscriber(t.db, t.clock);
    const b2 = await newSubscriber(t.db, t.clock);
    const before = await tempHashes(t, [a.customer.id, b2.customer.id]);
    const batches = (await t.db.selectFrom('letter_batches').select('id').execute()).length;
    const { b } = await loggedInStaff(t, '203.0.113.110');
    const typed = `${a.customer.number}\nCLT000000\n${b2.customer.number.toLowerCase()}, XYZ`;
    const res = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: typed });
    expect(res.statusCode).toBe(400);
    const page = withoutCsrfTokens(res.body);
    expect(page).toContain('Aucun courrier n’est imprimé');
    expect(page).toContain('CLT000000 : aucun client ne porte ce numéro.');
    expect(page).toContain('XYZ : aucun client ne porte ce numéro.');
    expect(page).not.toContain(`${a.customer.number} : aucun`);
    expect(page).toContain(`${a.customer.number}\nCLT000000\n`); // the list as typed, to correct it
    expect(await tempHashes(t, [a.customer.id, b2.customer.id])).toEqual(before);
    expect((await t.db.selectFrom('letter_batches').select('id').execute()).length).toBe(batches);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'letters.batch').where('ip', '=', '203.0.113.110').execute()).toEqual([]);
    expect((await loginAs(t, '203.0.113.111', a.customer.number, a.tempPassword)).statusCode).toBe(303);

    const empty = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: ' ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Saisissez au moins un numéro de client.');
  });

  it.skipIf(!hasPdftotext)('prints a chosen list, one page each in the order typed, whose passwords log in while the previous ones do not; the CSV says what was printed', async () => {
    const first = await newSubscriber(t.db, t.clock, { ...emailColumns('bulk@example.test', null, '2026-01-05T10:00:00.000Z') });
    const second = await activeSubscriber(t.db, t.clock);
    const third = { customer: await createCustomer(t.db, t.clock, { last_name: 'MARTIN', first_name: 'ÉLODIE' }) }; // no login yet
    const { b, staff } = await loggedInStaff(t, '203.0.113.120');
    const numbers = [third.customer.number, first.customer.number, second.customer.number];
    const res = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: numbers.join('\n') });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="courriers-2026-11-27-[0-9a-f]{8}\.pdf"$/);

    const pdf = res.rawPayload;
    const pages = pdfText(pdf).split('\f').filter((p) => p.trim());
    expect(pages).toHaveLength(3);
    expect(pages.map((p) => /N° client : (\S+)/.exec(p)?.[1])).toEqual(numbers);
    const passwords = passwordsOf(pdf);
    expect(passwords.size).toBe(3);

    expect((await loginAs(t, '203.0.113.121', first.customer.number, first.tempPassword)).statusCode).toBe(401);
    for (const [i, number] of numbers.entries()) {
      const login = await loginAs(t, `203.0.113.${122 + i}`, number, passwords.get(number)!);
      expect(login.statusCode, number).toBe(303);
      expect(login.headers.location).toBe('/premiere-connexion');
    }
    // An active customer keeps their password beside the temporary one.
    expect((await loginAs(t, '203.0.113.126', second.customer.number, second.password)).statusCode).toBe(303);

    const batch = await t.db.selectFrom('letter_batches').selectAll().where('staff_id', '=', staff.id).executeTakeFirstOrThrow();
    expect(batch.letter_count).toBe(3);
    const [entry, ...others] = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'letters.batch').where('actor_id', '=', staff.id).execute();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({ actor_type: 'staff', outcome: 'success', target_type: 'letter_batch', target_id: batch.id });
    expect(JSON.parse(entry!.details!)).toEqual({ count: 3, selection: 'list' });

    const page = await b.get('/gestion/courriers');
    expect(page.body).toContain(`href="/gestion/courriers/${batch.id}.csv"`);
    const csv = await b.get(`/gestion/courriers/${batch.id}.csv`);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment; filename="courriers-2026-11-27-');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines).toEqual([
      'N° client;Nom;Adresse ligne 1;Adresse ligne 2;Adresse ligne 3;Adresse ligne 4;Mot de passe valable jusqu’au',
      `${third.customer.number};MARTIN ÉLODIE;1 RUE DE LA PAIX;75008 PARIS;;;27/03/2027`,
      `${first.customer.number};DURAND FRANCOIS;1 RUE DE LA PAIX;75008 PARIS;;;27/03/2027`,
      `${second.customer.number};DURAND FRANCOIS;1 RUE DE LA PAIX;75008 PARIS;;;27/03/2027`,
    ]);
    const stored = JSON.stringify([batch, await t.db.selectFrom('audit_log').selectAll().execute(), await t.db.selectFrom('outbox').selectAll().execute()]);
    for (const password of passwords.values()) {
      expect(csv.body).not.toContain(password);
      expect(stored).not.toContain(password);
    }
    // The customer with a verified address is told a letter is coming; the password is not in it.
    const mails = await t.db.selectFrom('outbox').select(['template', 'text_body']).where('recipient', '=', 'bulk@example.test').execute();
    expect(mails.map((m) => m.template)).toEqual(['temporary-password']);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'letters.batch_csv').where('actor_id', '=', staff.id).execute()).toHaveLength(1);
  });

  it.skipIf(!hasPdftotext)('prints for every customer who has never activated, and no one else', async () => {
    const never = await newSubscriber(t.db, t.clock);
    const noLogin = await createCustomer(t.db, t.clock);
    const active = await activeSubscriber(t.db, t.clock);
    const { b } = await loggedInStaff(t, '203.0.113.130');
    const page = await b.get('/gestion/courriers');
    const count = Number(/Clients concernés : (\d+)\./.exec(page.body)?.[1]);
    expect(count).toBeGreaterThanOrEqual(2);

    const res = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'jamais' });
    expect(res.statusCode).toBe(200);
    const passwords = passwordsOf(res.rawPayload);
    expect(passwords.size).toBe(count);
    expect(passwords.has(never.customer.number)).toBe(true);
    expect(passwords.has(noLogin.number)).toBe(true);
    expect(passwords.has(active.customer.number)).toBe(false);
    const login = await t.db.selectFrom('customer_logins').select(['state', 'temp_password_hash']).where('customer_id', '=', noLogin.id).executeTakeFirstOrThrow();
    expect(login.state).toBe('not_activated');
    expect(await verifyPassword(login.temp_password_hash!, passwords.get(noLogin.number)!)).toBe(true);
    const [entry] = await t.db.selectFrom('audit_log').select('details').where('action', '=', 'letters.batch').where('ip', '=', '203.0.113.130').execute();
    expect(JSON.parse(entry!.details!)).toEqual({ count, selection: 'never_activated' });
  });
});

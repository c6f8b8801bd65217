import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { newId } from '../../lib/clock.ts';

describe.each(databaseKinds())('the paper queue in the back office (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.92.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  /** A customer and their published documents (`<number>-1`, `-2`…), each of `ht` cents HT. */
  async function withDocuments(over: Parameters<typeof createCustomer>[2], hts: number[], kinds: ('invoice' | 'credit_note')[] = []) {
    const customer = await createCustomer(t.db, t.clock, over);
    const docs = [];
    for (const [i, ht] of hts.entries()) {
      docs.push({ number: `${customer.number}-${i + 1}`, ...(await insertDocument(t.db, { customerId: customer.id, kind: kinds[i] ?? 'invoice', number: `${customer.number}-${i + 1}`, issueDate: '2026-11-01', htCents: ht })) });
    }
    return { customer, docs };
  }

  const batchLink = (html: string) => /href="(\/gestion\/papier\/lots\/[0-9a-f-]{36}\/imprimeur\.csv)"/.exec(html)?.[1];

  it('is for staff only: a visitor or a customer goes to the staff login; an agent and an admin get the page and the files', async () => {
    const visitor = new Browser(t.app, ip());
    const { b: customer } = await loggedInCustomer(t, ip());
    for (const b of [visitor, customer]) {
      for (const res of [await b.get('/gestion/papier'), await b.get(`/gestion/papier/lots/${newId()}/imprimeur.csv`), await b.post('/gestion/papier/lots', {})]) {
        expect(res.statusCode).toBe(302);
        expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
      }
    }
    await withDocuments({}, [1000]);
    for (const role of ['agent', 'admin'] as const) {
      const { b } = await loggedInStaff(t, ip(), role);
      const page = await b.get('/gestion/papier');
      expect(page.statusCode).toBe(200);
      const made = await b.post('/gestion/papier/lots', { _csrf: csrfToken(page.body) });
      expect(made.statusCode).toBe(303);
      const file = await b.get(batchLink((await b.get(String(made.headers.location))).body)!);
      expect(file.statusCode).toBe(200);
    }
    const { b } = await loggedInStaff(t, ip());
    expect((await b.get(`/gestion/papier/lots/${newId()}/imprimeur.csv`)).statusCode).toBe(404);
    expect((await b.get('/gestion/papier/lots/X0000000/imprimeur.csv')).statusCode).toBe(404);
  });

  it('puts the documents of a customer for whom the ERP requires paper in the queue, paperless consent and e-mail notice or not', async () => {
    const required = await withDocuments({ paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' }, [1000]);
    await t.db.updateTable('customers').set({ paper_required: 1 }).where('id', '=', required.customer.id).execute();
    await t.db.updateTable('financial_documents').set({ notified_at: '2026-11-01T09:00:00.000Z' }).where('customer_id', '=', required.customer.id).execute();
    const { b } = await loggedInStaff(t, ip());
    expect((await b.get('/gestion/papier')).body).toContain(required.customer.number);
  });

  it('lists the customers without paperless consent who have documents to print, and makes the print shop’s file: “;”, BOM, decimal comma', async () => {
    const paper = await withDocuments({ last_name: 'O"NEIL; JR', first_name: 'ANNE' }, [12345, 2000], ['invoice', 'credit_note']);
    const formula = await withDocuments({ last_name: '=HYPERLINK("x")' }, [100]);
    const paperless = await withDocuments({ paperless: 1, paperless_changed_at: '2026-01-01T00:00:00.000Z' }, [1000]);
    const announced = await withDocuments({}, [1000]);
    await t.db.updateTable('financial_documents').set({ notified_at: '2026-11-01T09:00:00.000Z' }).where('customer_id', '=', announced.customer.id).execute();

    const { b, staff } = await loggedInStaff(t, ip());
    const page = await b.get('/gestion/papier');
    expect(page.statusCode).toBe(200);
    for (const text of [paper.customer.number, `${paper.customer.number}-1, ${paper.customer.number}-2`, '1 RUE DE LA PAIX', '75008 PARIS', `href="/gestion/clients/${paper.customer.number}"`, formula.customer.number, '<caption>', 'scope="col"']) {
      expect(page.body, text).toContain(text);
    }
    expect(page.body).not.toContain(paperless.customer.number);
    expect(page.body).not.toContain(announced.customer.number);

    const made = await b.post('/gestion/papier/lots', { _csrf: csrfToken(page.body) });
    expect(made.statusCode).toBe(303);
    const after = await b.get(String(made.headers.location));
    expect(after.body).toMatch(/Lot créé : \d+ document\(s\) pour \d+ client\(s\)/);
    const file = await b.get(batchLink(after.body)!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(file.headers['content-disposition']).toMatch(/^attachment; filename="impression-2026-11-27-[0-9a-f]{8}\.csv"$/);
    expect(file.headers['cache-control']).toBe('no-store');
    const csv = file.rawPayload.toString('utf8');
    expect(csv.startsWith('\uFEFFNuméro client;Nom;Adresse;Complément d’adresse;Code postal;Ville;Pays;Nombre de documents;Documents;Montant TTC (EUR)\r\n')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    const net = paper.docs[0]!.total_ttc_cents - paper.docs[1]!.total_ttc_cents;
    const euros = `${Math.floor(net / 100)},${String(net % 100).padStart(2, '0')}`;
    expect(lines).toContain(`${paper.customer.number};"O""NEIL; JR ANNE";1 RUE DE LA PAIX;;75008;PARIS;France;2;${paper.customer.number}-1, ${paper.customer.number}-2;${euros}`);
    expect(lines).toContain(`${formula.customer.number};"'=HYPERLINK(""x"") FRANCOIS";1 RUE DE LA PAIX;;75008;PARIS;France;1;${formula.customer.number}-1;1,20`);
    expect(csv).not.toContain(paperless.customer.number);
    expect(csv).not.toContain(announced.customer.number);

    const batchId = /lots\/([0-9a-f-]{36})\//.exec(batchLink(after.body)!)![1]!;
    const marked = await t.db.selectFrom('financial_documents').select(['number', 'printed_at', 'print_batch_id']).where('customer_id', 'in', [paper.customer.id, formula.customer.id]).orderBy('number').execute();
    expect(marked.every((d) => d.printed_at === t.clock.now().toISOString() && d.print_batch_id === batchId)).toBe(true);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'actor_id', 'outcome']).where('target_type', '=', 'print_batch').where('target_id', '=', batchId).orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'documents.print_batch', actor_id: staff.id, outcome: 'success' },
      { action: 'documents.print_export', actor_id: staff.id, outcome: 'success' },
    ]);
  });

  it('does not repeat what was sent to print: the next batch holds only what was published since', async () => {
    const who = await withDocuments({}, [5000]);
    const { b } = await loggedInStaff(t, ip());
    const first = await b.post('/gestion/papier/lots', { _csrf: csrfToken((await b.get('/gestion/papier')).body) });
    const firstLink = batchLink((await b.get(String(first.headers.location))).body)!;
    const firstFile = (await b.get(firstLink)).rawPayload.toString('utf8');
    expect(firstFile).toContain(`${who.customer.number}-1`);

    const page = await b.get('/gestion/papier');
    expect(page.body).not.toContain(`${who.customer.number}-1`);
    // Nothing left: no empty batch.
    const none = await b.post('/gestion/papier/lots', { _csrf: csrfToken(page.body) });
    expect(none.headers.location).toBe('/gestion/papier?vide');
    expect((await b.get('/gestion/papier?vide')).body).toContain('Aucun document à imprimer : aucun lot n’a été créé.');

    t.clock.advance(60_000);
    const later = await insertDocument(t.db, { customerId: who.customer.id, number: `${who.customer.number}-9`, issueDate: '2026-11-20', htCents: 700 });
    const listed = await b.get('/gestion/papier');
    expect(listed.body).toContain(`${who.customer.number}-9`);
    expect(listed.body).not.toContain(`${who.customer.number}-1`);
    const second = await b.post('/gestion/papier/lots', { _csrf: csrfToken(listed.body) });
    const secondPage = await b.get(String(second.headers.location));
    const secondFile = (await b.get(batchLink(secondPage.body)!)).rawPayload.toString('utf8');
    expect(secondFile).toContain(`${who.customer.number}-9`);
    expect(secondFile).not.toContain(`${who.customer.number}-1`);
    expect(later.total_ttc_cents).toBe(840);
    expect(secondFile).toContain(';8,40\r\n');
    // The first batch's file is the same as before: it can be downloaded again.
    expect(batchLink(secondPage.body)).not.toBe(firstLink);
    expect(secondPage.body).toContain(`href="${firstLink}"`);
    const again = (await b.get(firstLink)).rawPayload.toString('utf8');
    expect(again).toBe(firstFile);
  });
});

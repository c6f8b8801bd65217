import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { type CustomerOverrides, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { newId, nowIso } from '../../lib/clock.ts';

/** French and English put (narrow) no-break spaces in amounts and rates: compare on plain spaces. */
const plain = (html: string) => html.replace(/[\u00a0\u202f]/g, ' ');

/** The text of the <tbody> rows, in order, tags removed. */
function rows(html: string, tableClass: string): string[] {
  const table = new RegExp(`<table class="stack ${tableClass}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    plain((m[1] ?? '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim(),
  );
}

describe.each(databaseKinds())('petit-rouleur statements (%s)', (kind) => {
  const t = useTestApp(kind);
  let ip = 0;

  const loggedIn = (over: CustomerOverrides = {}) => loggedInCustomer(t, `10.0.1.${++ip}`, over);

  async function carPark(variant30 = false) {
    const park = await createCarPark(t.db, t.clock);
    if (variant30) await t.db.updateTable('car_parks').set({ petit_rouleur_30: 1 }).where('id', '=', park.id).execute();
    return park;
  }

  async function document(customerId: string, contractId: string, number: string, published = true) {
    const id = newId();
    await t.db
      .insertInto('financial_documents')
      .values({
        id,
        number,
        kind: 'invoice',
        customer_id: customerId,
        contract_id: contractId,
        corrects_document_id: null,
        issue_date: '2026-11-01',
        period_start: '2026-11-01',
        period_end: '2026-11-30',
        due_date: '2026-11-15',
        total_ht_cents: 21667,
        total_vat_cents: 4333,
        total_ttc_cents: 26000,
        pdf_sha256: null,
        published_at: published ? nowIso(t.clock) : null,
        created_at: nowIso(t.clock),
      })
      .execute();
    return id;
  }

  async function statement(contractId: string, month: string, exitCount: number, opts: { documentId?: string; exits?: string[] } = {}) {
    const id = newId();
    await t.db
      .insertInto('exit_statements')
      .values({ id, contract_id: contractId, month, exit_count: exitCount, document_id: opts.documentId ?? null, created_at: nowIso(t.clock) })
      .execute();
    if (opts.exits?.length) {
      await t.db
        .insertInto('exits')
        .values(opts.exits.map((exited_at) => ({ id: newId(), statement_id: id, exited_at })))
        .execute();
    }
    return id;
  }

  const sixExits = [
    '2026-10-02T06:00:00.000Z',
    '2026-10-05T16:40:00.000Z',
    '2026-10-09T07:10:00.000Z',
    '2026-10-14T18:00:00.000Z',
    '2026-10-20T08:15:00.000Z',
    '2026-10-28T12:00:00.000Z',
  ];

  it('sends a visitor without a session to the login page', async () => {
    const res = await new Browser(t.app).get('/decomptes');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/connexion?suite=/decomptes');
  });

  it('shows each month’s exits, rate, discount and document, newest first, with the rule', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPR0001', product: 'resident_petit_rouleur' });
    const invoice = await document(customer.id, k.id, '26FV00101');
    const creditNote = await document(customer.id, k.id, '26AV00007');
    const draft = await document(customer.id, k.id, '26FV99999', false);
    await statement(k.id, '2026-10', 6, { documentId: invoice, exits: sixExits });
    await statement(k.id, '2026-09', 3, { documentId: draft });
    await statement(k.id, '2026-08', 15, { documentId: creditNote });
    await statement(k.id, '2024-10', 1); // before the 24 charted months (Nov 2024 – Oct 2026): in the table only
    await statement(k.id, '2026-12', 9); // not yet: after the current month

    const res = await b.get('/decomptes');
    expect(res.statusCode).toBe(200);
    const html = plain(res.body);
    expect(html).toContain('<h1>Décomptes petits rouleurs</h1>');
    expect(html).toContain(`Contrat n° 26CTPR0001 — ${park.name}`);
    expect(html).toContain(
      '25 % de remise jusqu’à 5 sorties dans le mois, 2,5 points de moins par sortie supplémentaire, aucune remise à partir de 15 sorties.',
    );
    expect(html).not.toContain('30 % jusqu’à 3 sorties');
    for (const head of ['MOIS', 'SORTIES', 'TAUX DE REMISE', 'REMISE TTC', 'DOCUMENT']) expect(html).toContain(`>${head}</th>`);

    // 21 667 HT a month: 22,5 % → 4 875 HT + 975 TVA = 58,50 TTC; 25 % → 65,00 TTC; 0 % → 0,00.
    expect(rows(res.body, 'statements-table')).toEqual([
      'octobre 2026 6 22,5 % 58,50 € 26FV00101',
      'septembre 2026 3 25 % 65,00 € Pas encore émis',
      'août 2026 15 0 % 0,00 € 26AV00007',
      'octobre 2024 1 25 % 65,00 € Pas encore émis',
    ]);
    expect(html).not.toContain('26FV99999'); // an unpublished document is not shown
    expect(html).not.toContain('décembre 2026');
    // Cells carry their labels for the phone layout.
    expect(html).toContain('<td data-label="TAUX DE REMISE" class="num">22,5 %</td>');
    // Only a month whose exits are detailed links to them.
    expect(res.body).toContain('<a href="/decomptes/26CTPR0001/2026-10">octobre 2026</a>');
    expect(res.body).not.toContain('/decomptes/26CTPR0001/2026-09');

    // The chart: inline SVG, an image named by its title and described by its desc.
    const svg = /<svg[\s\S]*?<\/svg>/.exec(res.body)?.[0] ?? '';
    expect(svg).toContain('role="img"');
    expect(svg).toMatch(/aria-labelledby="k1-chart-title"/);
    expect(svg).toMatch(/aria-describedby="k1-chart-desc"/);
    expect(svg).toContain('<title id="k1-chart-title">Sorties par mois du contrat n° 26CTPR0001, novembre 2024 – octobre 2026</title>');
    expect(svg).toMatch(/<desc id="k1-chart-desc">Histogramme[^<]+<\/desc>/);
    // Threshold lines with their labels: 5 exits → 25 %, 15 exits → 0 %; no 30 % line here.
    expect(svg).toContain('class="threshold threshold-5"');
    expect(svg).toContain('class="threshold threshold-15"');
    expect(svg).not.toContain('threshold-3"');
    expect(plain(svg)).toContain('>25 % jusqu’à 5 sorties</text>');
    expect(plain(svg)).toContain('>0 % dès 15 sorties</text>');
    // 24 months charted (November 2024 – October 2026, the statement of October 2024 is
    // older), one bar per month with exits.
    expect(svg.match(/<rect [^>]*fill="#2f6eb5"/g)).toHaveLength(3);
    // The CSP forbids inline styles and scripts: the page has none.
    expect(res.body).not.toMatch(/\sstyle=/);
    expect(res.body).not.toContain('<script');
  });

  it('lists current contracts first', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    const ended = await createContract(t.db, t.clock, customer.id, park.id, { number: '20CTPROLD', product: 'resident_petit_rouleur', status: 'ended' });
    const current = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRNEW', product: 'resident_petit_rouleur' });
    await statement(ended.id, '2021-05', 2);
    await statement(current.id, '2026-10', 8);
    const html = plain((await b.get('/decomptes')).body);
    expect(html.indexOf('Contrat n° 26CTPRNEW')).toBeGreaterThan(0);
    expect(html.indexOf('Contrat n° 20CTPROLD')).toBeGreaterThan(html.indexOf('Contrat n° 26CTPRNEW'));
    expect(html).toContain('Statut du contrat : Terminé');
    // An ended contract still shows its last statements.
    expect(html).toContain('mai 2021');
    expect(html).toContain('17,5 %');
  });

  it('does not exist for a customer without a petit-rouleur contract', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    expect((await b.get('/decomptes')).statusCode).toBe(404);
    await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTRES001', product: 'resident' });
    const res = await b.get('/decomptes');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('Page introuvable');
  });

  it('answers 404 and audits when a customer opens another customer’s month (Z1)', async () => {
    const park = await carPark();
    const a = await loggedIn();
    const bee = await loggedIn();
    const ka = await createContract(t.db, t.clock, a.customer.id, park.id, { number: '26CTPRA001', product: 'resident_petit_rouleur' });
    const kb = await createContract(t.db, t.clock, bee.customer.id, park.id, { number: '26CTPRB001', product: 'resident_petit_rouleur' });
    await statement(ka.id, '2026-10', 2, { exits: sixExits.slice(0, 2) });
    await statement(kb.id, '2026-10', 6, { exits: sixExits });

    expect((await bee.b.get('/decomptes/26CTPRB001/2026-10')).statusCode).toBe(200);
    const res = await a.b.get('/decomptes/26CTPRB001/2026-10');
    expect(res.statusCode).toBe(404);
    expect(/<main[\s\S]*<\/main>/.exec(res.body)?.[0]).not.toContain('26CTPRB001');
    expect(res.body).toContain('Page introuvable');
    const denied = await t.db.selectFrom('audit_log').selectAll().where('actor_id', '=', a.customer.id).where('action', '=', 'authz.denied').execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actor_type: 'customer', outcome: 'denied', target_type: 'exit_statement', target_id: '26CTPRB001/2026-10' });

    // B's page does not leak into A's overview either.
    const overview = await a.b.get('/decomptes');
    expect(overview.body).toContain('26CTPRA001');
    expect(overview.body).not.toContain('26CTPRB001');
  });

  it('answers 404 for a month without statement, a contract that is not petit rouleur, or a malformed URL', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRC001', product: 'resident_petit_rouleur' });
    await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTRESC01', product: 'resident' });
    await statement(k.id, '2026-10', 2);
    const auditCount = async () =>
      (await t.db.selectFrom('audit_log').select('id').where('actor_id', '=', customer.id).where('action', '=', 'authz.denied').execute()).length;

    expect((await b.get('/decomptes/26CTPRC001/2026-10')).statusCode).toBe(200);
    expect((await b.get('/decomptes/26CTPRC001/2026-09')).statusCode).toBe(404);
    expect((await b.get('/decomptes/26CTRESC01/2026-10')).statusCode).toBe(404);
    expect(await auditCount()).toBe(2);
    for (const url of ['/decomptes/26CTPRC001/2026-13', '/decomptes/26CTPRC001/202610', '/decomptes/26CT%27%20OR%201=1/2026-10', '/decomptes/x/2026-1']) {
      expect((await b.get(url)).statusCode, url).toBe(404);
    }
  });

  it('links each carrying document’s number to its PDF when the PDF route serves it, and says why the others are not', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn(); // no paperless consent: a 12-month history
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRLINK', product: 'resident_petit_rouleur' });
    const linked = await document(customer.id, k.id, '26FVLINK');
    const noPdf = await document(customer.id, k.id, '26FVNOPDF');
    const old = await document(customer.id, k.id, '25FVOLD');
    await t.db.updateTable('financial_documents').set({ pdf_sha256: 'a'.repeat(64) }).where('id', 'in', [linked, old]).execute();
    await t.db.updateTable('financial_documents').set({ issue_date: '2025-06-01' }).where('id', '=', old).execute();
    await statement(k.id, '2026-10', 6, { documentId: linked, exits: sixExits });
    await statement(k.id, '2026-09', 3, { documentId: noPdf });
    await statement(k.id, '2025-05', 2, { documentId: old });

    const res = await b.get('/decomptes');
    expect(rows(res.body, 'statements-table')).toEqual([
      'octobre 2026 6 22,5 % 58,50 € 26FVLINK',
      'septembre 2026 3 25 % 65,00 € 26FVNOPDF',
      'mai 2025 2 25 % 65,00 € 25FVOLD',
    ]);
    expect(res.body).toContain('<td data-label="DOCUMENT"><a href="/mon-compte/documents/26FVLINK.pdf" aria-label="PDF — télécharger la facture 26FVLINK">26FVLINK</a></td>');
    expect(res.body).toContain('<td data-label="DOCUMENT">26FVNOPDF</td>');
    expect(res.body).toContain('<td data-label="DOCUMENT">25FVOLD</td>');
    expect(res.body).toContain('Un numéro sans lien désigne un document dont le PDF ne se consulte pas ici');
    expect((await b.get('/mon-compte/documents/25FVOLD.pdf')).statusCode).toBe(404);

    const month = await b.get('/decomptes/26CTPRLINK/2026-10');
    expect(month.body).toContain('<dd><a href="/mon-compte/documents/26FVLINK.pdf" aria-label="PDF — télécharger la facture 26FVLINK">26FVLINK</a></dd>');
    expect(month.body).not.toContain('Un numéro sans lien');
  });

  it('lists a month’s exits in order, in Paris time', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRD001', product: 'resident_petit_rouleur' });
    const doc = await document(customer.id, k.id, '26FV00202');
    // Inserted out of order; 25 October 2026 is the end of summer time in Paris.
    await statement(k.id, '2026-10', 3, {
      documentId: doc,
      exits: ['2026-10-03T05:30:00.000Z', '2026-10-25T23:15:00.000Z', '2026-10-01T22:30:00.000Z'],
    });
    const res = await b.get('/decomptes/26CTPRD001/2026-10');
    expect(res.statusCode).toBe(200);
    const html = plain(res.body);
    expect(html).toContain('<h1>Décompte de sorties — octobre 2026</h1>');
    expect(html).toContain('3 sorties');
    expect(html).toContain('25 %');
    expect(html).toContain('65,00 € TTC (54,17 € HT + TVA 10,83 €)');
    expect(html).toContain('26FV00202');
    expect(rows(res.body, 'exits-table')).toEqual([
      '1 02/10/2026 00:30', // 22:30 UTC, summer time (UTC+2)
      '2 03/10/2026 07:30',
      '3 26/10/2026 00:15', // 23:15 UTC, winter time (UTC+1)
    ]);
    expect(res.body).toContain('href="/decomptes"');
    expect(res.body).not.toMatch(/\sstyle=/);
  });

  it('says so when a month has a count but no detailed exits', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRE001', product: 'resident_petit_rouleur' });
    await statement(k.id, '2026-10', 4);
    const res = await b.get('/decomptes/26CTPRE001/2026-10');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Le détail des sorties n’est pas disponible pour ce mois');
  });

  it('applies the 30 % variant of car parks that have it', async () => {
    const park = await carPark(true);
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRF001', product: 'resident_petit_rouleur' });
    await statement(k.id, '2026-10', 3);
    await statement(k.id, '2026-09', 4);
    await statement(k.id, '2026-08', 0);
    const res = await b.get('/decomptes');
    const html = plain(res.body);
    expect(html).toContain('Dans ce parc, la remise est de 30 % jusqu’à 3 sorties dans le mois.');
    // 21 667 × 30 % = 6 500 HT + 1 300 TVA = 78,00 TTC.
    expect(rows(res.body, 'statements-table')).toEqual([
      'octobre 2026 3 30 % 78,00 € Pas encore émis',
      'septembre 2026 4 25 % 65,00 € Pas encore émis',
      'août 2026 0 30 % 78,00 € Pas encore émis',
    ]);
    const svg = plain(/<svg[\s\S]*?<\/svg>/.exec(res.body)?.[0] ?? '');
    expect(svg).toContain('class="threshold threshold-3"');
    expect(svg).toContain('>30 % jusqu’à 3 sorties</text>');
    expect(svg).toContain('class="threshold threshold-5"');
    expect(svg).toContain('class="threshold threshold-15"');
  });

  it('draws the legend of the thresholds above the plot, highest line first, and no chart text under 12 units', async () => {
    const park = await carPark(true);
    const { b, customer } = await loggedIn();
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRL001', product: 'resident_petit_rouleur' });
    await statement(k.id, '2026-10', 7);
    const svg = plain(/<svg[\s\S]*?<\/svg>/.exec((await b.get('/decomptes')).body)?.[0] ?? '');
    const legend = /<g class="legend">([\s\S]*?)<\/g><g class="grid">/.exec(svg)?.[1] ?? '';
    expect([...legend.matchAll(/>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['0 % dès 15 sorties', '25 % jusqu’à 5 sorties', '30 % jusqu’à 3 sorties']);
    // Each line ends with its number of exits, on the right, where a phone opens the frame.
    const lines = /<g class="thresholds">([\s\S]*?)<g class="labels">/.exec(svg)?.[1] ?? '';
    expect([...lines.matchAll(/>(\d+)<\/text>/g)].map((m) => m[1])).toEqual(['3', '5', '15']);
    const sizes = [...svg.matchAll(/<text [^>]*font-size="(\d+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(12);
    // The title and description still name the months charted and every threshold.
    expect(svg).toContain('Sorties par mois du contrat n° 26CTPRL001, octobre 2026 – octobre 2026</title>');
    expect(svg).toMatch(/<desc [^>]*>[^<]*30 % jusqu’à 3 sorties ; 25 % jusqu’à 5 sorties ; 0 % dès 15 sorties\.[^<]*<\/desc>/);
  });

  it('is in English for an English-speaking customer', async () => {
    const park = await carPark();
    const { b, customer } = await loggedIn({ language: 'en' });
    const k = await createContract(t.db, t.clock, customer.id, park.id, { number: '26CTPRG001', product: 'resident_petit_rouleur' });
    const doc = await document(customer.id, k.id, '26FV00303');
    await statement(k.id, '2026-10', 6, { documentId: doc, exits: ['2026-10-03T05:30:00.000Z'] });
    const res = await b.get('/decomptes');
    expect(res.body).toContain('<html lang="en"');
    const html = plain(res.body);
    expect(html).toContain('<h1>Low-mileage statements</h1>');
    expect(html).toContain('25% discount up to 5 exits in the month, 2.5 points less for each extra exit, no discount from 15 exits.');
    for (const head of ['MONTH', 'EXITS', 'DISCOUNT RATE', 'DISCOUNT INCL. VAT', 'DOCUMENT']) expect(html).toContain(`>${head}</th>`);
    expect(rows(res.body, 'statements-table')).toEqual(['October 2026 6 22.5% €58.50 26FV00303']);
    expect(html).toContain('>25% up to 5 exits</text>');
    expect(html).toContain('>0% from 15 exits</text>');

    const detail = await b.get('/decomptes/26CTPRG001/2026-10');
    expect(plain(detail.body)).toContain('<h1>Exit statement — October 2026</h1>');
    expect(rows(detail.body, 'exits-table')).toEqual(['1 3 Oct 2026 07:30']);
  });
});

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase, useTestApp } from '../../../tests/support/app.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import { manualClock } from '../../lib/clock.ts';
import { localContentStore } from '../../lib/content-store.ts';
import { AppError } from '../../lib/errors.ts';
import { testConfig } from '../../config.ts';
import { hasPdftotext, pdfFlatText } from '../../../tests/support/pdf.ts';
import { readCsv } from './import.csv.ts';
import { IMPORT_KINDS, type ImportContext, type ImportKind, importKinds } from './import.kinds.ts';
import { type ImportOptions, type ImportReport, describeRowError, importFile, readResources } from './import.service.ts';

/*
 * The bulk import against a database: the documented samples, a file with bad lines (nothing
 * written, each named), --skip-invalid and its rejected file, a second import that changes
 * nothing, the spreadsheets' encodings and separators, and one transaction for the file.
 */

const SAMPLES = join(import.meta.dirname, '../../../docs/import-samples');
const sample = (kind: string) => join(SAMPLES, `${kind}.csv`);
let serial = 0;
/** A customer number of this test run's own. */
const newNumber = () => `IMP${process.pid % 1000}X${Date.now() % 100000}X${String(++serial).padStart(4, '0')}`;
/** A file in a folder of its own. */
const fileWith = (content: string | Buffer, name = 'import.csv') => {
  const path = join(mkdtempSync(join(tmpdir(), 'portal-import-')), name);
  writeFileSync(path, content);
  return path;
};
const HEADER = 'number;kind;civility;last_name;first_name;address_line1;postal_code;city;email_primary;paper_required';
const customerLine = (number: string, over: Partial<Record<'kind' | 'last_name' | 'postal_code' | 'email' | 'paper', string>> = {}) =>
  [number, over.kind ?? 'individual', 'Mme', over.last_name ?? 'LEFEBVRE', 'Claire', '12 RUE DES LILAS', over.postal_code ?? '75019', 'PARIS', over.email ?? `${number.toLowerCase()}@example.org`, over.paper ?? 'non'].join(';');
const csv = (lines: string[]) => `${[HEADER, ...lines].join('\r\n')}\r\n`;

const reportOf = (r: Awaited<ReturnType<typeof importFile>>): ImportReport => {
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.report;
};

describe.each(databaseKinds())('bulk import (%s)', (kind) => {
  const t = useTestApp(kind);
  const storage = localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-')));
  const ctx = (): ImportContext => ({ db: t.db, clock: t.clock, config: t.config, storage });
  const run = async (file: string, options: ImportOptions = {}, k: ImportKind = importKinds.customers) => reportOf(await importFile(ctx(), k, file, options));
  const customers = (numbers: string[]) => t.db.selectFrom('customers').selectAll().where('number', 'in', numbers).orderBy('number').execute();
  const audited = async () => Number((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('imports the samples into a fresh database, in the order of the kinds, and the rows are as the files say; again, nothing changes', async () => {
    const { db } = await freshDatabase(kind);
    const fresh: ImportContext = {
      db,
      clock: manualClock(new Date('2026-11-27T10:00:00Z')),
      config: testConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-data-')) }),
      storage: localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-'))),
    };
    try {
      for (const name of IMPORT_KINDS) {
        const k = importKinds[name];
        const pdfs = join(SAMPLES, 'pdfs');
        const report = reportOf(await importFile(fresh, k, sample(name), { pdfs }));
        expect(report.errors, name).toEqual([]);
        expect(report.written).toBe(true);
        expect(report.counts, name).toEqual({ created: report.items, updated: 0, unchanged: 0 });
      }

      const rows = await db.selectFrom('customers').selectAll().orderBy('number').execute();
      expect(rows.map((r) => r.number)).toEqual(['CLT013261', 'CLT013262', 'CLT013263', 'CLT013264']);
      expect(rows[0]).toMatchObject({ kind: 'individual', civility: 'M.', last_name: 'DURAND', first_name: 'François', address_line2: 'BAT B', phone: '01 42 00 00 00', mobile_phone: '06 12 34 56 78', email_primary: 'francois.durand@example.org', email_secondary: null, paper_required: 0, paperless: 0 });
      expect(rows[1]).toMatchObject({ country: 'France', email_secondary: 's.martin@example.com', paper_required: 1, phone: null });
      expect(rows[2]).toMatchObject({ kind: 'business', company_name: 'TRANSPORTS LEROY; FILS', siren: '552100554', address_line2: 'LOT 7, HALL 2', language: 'en' });
      expect(rows[3]).toMatchObject({ civility: null, postal_code: '1000', city: 'BRUXELLES', country: 'Belgique', email_primary: null, language: 'fr', paper_required: 0 });

      const parks = await db.selectFrom('car_parks').selectAll().orderBy('code').execute();
      expect(parks.map((p) => [p.code, p.name, p.address_line, p.email, JSON.parse(p.opening_hours), JSON.parse(p.services), p.petit_rouleur_30])).toEqual([
        ['GARE', 'PARKING DE LA GARE', 'Place de la Gare; niveau -1', null, [{ for: 'subscribers', hours: ['05:00', '23:30'] }, { for: 'reception', days: [1, 6], hours: ['07:30', '19:30'] }], ['bicycles', 'cctv', 'lift'], 0],
        ['LILAS', 'PARC DES LILAS', '3 rue des Lilas', 'lilas@operateur.example', [{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '19:00'] }], ['ev_charging', 'motorcycles'], 1],
        ['PORT', 'PARKING DU PORT', '12 quai des Chartrons', null, [{ for: 'everyone' }], [], 0],
      ]);
      const trail = await db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).orderBy('at').orderBy('action').execute();
      expect(trail.filter((a) => a.action === 'customer.create')).toHaveLength(4);
      expect(trail.filter((a) => a.action === 'car_park.create')).toHaveLength(3);
      expect(trail.every((a) => a.actor_type === 'system' && a.actor_id === 'cli')).toBe(true);
      expect(JSON.parse(trail.find((a) => a.action === 'customer.create')!.details!)).toMatchObject({ command: 'import customers customers.csv' });

      for (const name of ['customers', 'car-parks'] as const) {
        const again = reportOf(await importFile(fresh, importKinds[name], sample(name)));
        expect(again.counts, name).toEqual({ created: 0, updated: 0, unchanged: again.items });
      }
      expect(await db.selectFrom('audit_log').select('id').execute()).toHaveLength(trail.length);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a file with bad lines: writes nothing, and names every bad line with its column and reason', async () => {
    const n = [newNumber(), newNumber(), newNumber(), newNumber(), newNumber()];
    const before = await audited();
    const file = fileWith(
      csv([
        customerLine(n[0]!),
        customerLine(n[1]!, { postal_code: '7501', paper: 'peut-être' }),
        customerLine(n[2]!, { last_name: '', kind: 'person' }),
        customerLine(n[3]!),
        customerLine(n[0]!, { email: 'pas-une-adresse' }),
        `${n[4]};business;M.;MOREAU;Jean;1 RUE;75001;PARIS`,
      ]),
    );
    const report = await run(file);
    expect(report.written).toBe(false);
    expect(report.errors.map((e) => [e.line, e.column, e.key])).toEqual([
      [3, 'postal_code', 'api.field.postalCode'],
      [3, 'paper_required', 'import.cell.boolean'],
      [4, 'kind', 'api.field.enum'],
      [4, 'last_name', 'api.field.required'],
      [6, 'number', 'import.row.duplicate'],
      [6, 'email_primary', 'api.field.email'],
      [7, '', 'import.row.fields'],
      [7, 'company_name', 'api.field.businessName'],
    ]);
    expect(report.errors.map((e) => describeRowError(e))).toContain('line 6, number: Same number as line 2: one line per value.');
    expect(describeRowError(report.errors[0]!)).toBe('line 3, postal_code: Expected a French postal code (5 digits).');
    expect(await customers(n)).toEqual([]);
    expect(await audited()).toBe(before);
    expect(existsSync(`${file}.rejected.csv`)).toBe(false);
  });

  it('with --skip-invalid writes the good lines and lists the others with their reasons beside the file; corrected, that list imports', async () => {
    const n = [newNumber(), newNumber(), newNumber()];
    const file = fileWith(csv([customerLine(n[0]!), customerLine(n[1]!, { postal_code: '7501' }), customerLine(n[2]!, { email: "'=HYPERLINK(x)", paper: 'peut-être' })]));
    const report = await run(file, { skipInvalid: true });
    expect(report.written).toBe(true);
    expect(report.counts).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(report.rejected).toEqual({ items: 2, lines: 2, file: `${file}.rejected.csv`, staleRemoved: null });
    expect((await customers(n)).map((c) => c.number)).toEqual([n[0]]);

    const rejectedBytes = readFileSync(`${file}.rejected.csv`);
    const rejected = readCsv(rejectedBytes);
    expect(rejected).toMatchObject({ ok: true, header: [...HEADER.split(';'), 'rejected_line', 'rejected_reason'] });
    if (!rejected.ok) return;
    expect(rejected.lines.map((l) => l.cells.slice(-2))).toEqual([
      ['3', 'postal_code: Expected a French postal code (5 digits).'],
      ['4', 'email_primary: Not a valid e-mail address. | paper_required: Expected oui or non (or true/false, 1/0).'],
    ]);
    // As the portal writes CSV: a byte-order mark, `;`, formulas defused.
    expect(rejectedBytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(rejectedBytes.toString()).toContain(";'=HYPERLINK(x);");

    // Corrected in the spreadsheet, the rejected file imports as it is.
    const corrected = rejectedBytes.toString().replace(';7501;', ';75011;').replace("'=HYPERLINK(x)", `${n[2]!.toLowerCase()}@example.org`).replace('peut-être', 'oui');
    writeFileSync(`${file}.rejected.csv`, corrected);
    const second = await run(`${file}.rejected.csv`);
    expect(second.counts).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await customers(n)).map((c) => [c.number, c.postal_code, c.paper_required])).toEqual([
      [n[0], '75019', 0],
      [n[1], '75011', 0],
      [n[2], '75019', 1],
    ]);

    // The original file corrected too, and imported again with nothing to reject: the earlier list, out of date, goes.
    writeFileSync(file, csv([customerLine(n[0]!), customerLine(n[1]!, { postal_code: '75011' }), customerLine(n[2]!, { paper: 'oui' })]));
    const clean = await run(file, { skipInvalid: true });
    expect(clean.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(clean.rejected).toEqual({ items: 0, lines: 0, file: null, staleRemoved: `${file}.rejected.csv` });
    expect(existsSync(`${file}.rejected.csv`)).toBe(false);
  });

  it('importing the same file again changes nothing: each resource unchanged, nothing written nor audited; a changed line is one update', async () => {
    const n = [newNumber(), newNumber()];
    const file = fileWith(csv(n.map((x) => customerLine(x))));
    expect((await run(file)).counts).toEqual({ created: 2, updated: 0, unchanged: 0 });
    const before = { rows: await customers(n), audit: await audited() };
    t.clock.advance(60_000);
    const again = await run(file, { skipInvalid: true });
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(again.rejected).toEqual({ items: 0, lines: 0, file: null, staleRemoved: null });
    expect(await customers(n)).toEqual(before.rows);
    expect(await audited()).toBe(before.audit);

    writeFileSync(file, csv([customerLine(n[0]!), customerLine(n[1]!, { last_name: 'LEFEBVRE-MARTIN' })]));
    expect((await run(file)).counts).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect((await customers(n)).map((c) => c.last_name)).toEqual(['LEFEBVRE', 'LEFEBVRE-MARTIN']);
    expect(await audited()).toBe(before.audit + 1);
  });

  it('reads the files French spreadsheets save: with or without a byte-order mark, `;` or `,`, CRLF or LF — the same rows', async () => {
    const [a, b, c] = [newNumber(), newNumber(), newNumber()];
    const line = (n: string, sep: string) => [n, 'business', 'M.', 'MOREAU', 'Jean', 'SARL MOREAU; FILS', '12 RUE DES LILAS', '75019', 'PARIS'].map((v) => (v.includes(sep) ? `"${v}"` : v)).join(sep);
    const header = (sep: string) => ['number', 'kind', 'civility', 'last_name', 'first_name', 'company_name', 'address_line1', 'postal_code', 'city'].join(sep);
    await run(fileWith(`\uFEFF${header(';')}\r\n${line(a, ';')}\r\n`));
    await run(fileWith(`${header(';')}\n${line(b, ';')}\n`));
    await run(fileWith(`${header(',')}\n${line(c, ',')}\n`));
    const rows = await customers([a, b, c]);
    expect(rows.map((r) => [r.kind, r.last_name, r.company_name, r.address_line1])).toEqual(Array(3).fill(['business', 'MOREAU', 'SARL MOREAU; FILS', '12 RUE DES LILAS']));

    const latin1 = await importFile(ctx(), importKinds.customers, fileWith(Buffer.from(`${header(';')}\n${line(newNumber(), ';').replace('MOREAU', 'BÉRANGER')}\n`, 'latin1')));
    expect(latin1).toEqual({ ok: false, problems: [{ key: 'import.file.notUtf8', params: { line: 2 } }] });
    const badHeader = await importFile(ctx(), importKinds.customers, fileWith('number;nom;kind;kind\nX;Y;individual;individual\n'));
    expect(badHeader.ok ? [] : badHeader.problems.map((p) => [p.key, p.params?.column])).toEqual([
      ['import.header.unknown', 'nom'],
      ['import.header.duplicate', 'kind'],
      ['import.header.missing', 'last_name'],
      ['import.header.missing', 'address_line1'],
      ['import.header.missing', 'postal_code'],
      ['import.header.missing', 'city'],
    ]);
  });

  it('writes the whole file in one transaction: a failure half-way leaves nothing, and says so', async () => {
    const n = [newNumber(), newNumber(), newNumber(), newNumber()];
    const before = await audited();
    const writer = importKinds.customers.writer!;
    let calls = 0;
    const failing: ImportKind = {
      ...importKinds.customers,
      writer: {
        ...writer,
        put: async (...args) => {
          if (++calls === 3) throw new Error('the database went away');
          return writer.put(...args);
        },
      },
    };
    await expect(run(fileWith(csv(n.map((x) => customerLine(x)))), {}, failing)).rejects.toThrow('the database went away');
    expect(calls).toBe(3);
    expect(await customers(n)).toEqual([]);
    expect(await audited()).toBe(before);
    // The database is free again: the same file imports.
    expect((await run(fileWith(csv(n.map((x) => customerLine(x)))))).counts.created).toBe(4);
  });

  it('a resource its write refuses is named at its line and column: nothing written, or with --skip-invalid the others', async () => {
    const refusedNumber = newNumber();
    const writer = importKinds.customers.writer!;
    const refusing: ImportKind = {
      ...importKinds.customers,
      writer: {
        ...writer,
        put: async (c, params, body, files, actor) => {
          if ((params as { number: string }).number === refusedNumber) {
            throw new AppError('validation_failed', { fields: [{ field: 'address.city', code: 'unknown', key: 'api.field.invalid' }] });
          }
          return writer.put(c, params, body, files, actor);
        },
      },
    };
    const first = [newNumber(), refusedNumber, newNumber()];
    const progress: number[] = [];
    const report = await run(fileWith(csv(first.map((x) => customerLine(x)))), { onProgress: (p) => progress.push(p.done * 10 + p.total) }, refusing);
    expect(report.written).toBe(false);
    expect(report.errors).toEqual([{ line: 3, column: 'city', key: 'api.field.invalid' }]);
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(await customers(first)).toEqual([]);
    expect(progress).toEqual([3, 13, 23, 33]);

    const file = fileWith(csv(first.map((x) => customerLine(x))));
    const skipped = await run(file, { skipInvalid: true }, refusing);
    expect(skipped.counts).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect((await customers(first)).map((c) => c.number).sort()).toEqual([first[0], first[2]].sort());
    expect(readFileSync(`${file}.rejected.csv`, 'utf8')).toContain(';3;city: Invalid value.');
  });
});

describe.each(databaseKinds())('bulk import of documents (%s)', (kind) => {
  const t = useTestApp(kind);
  const storage = localContentStore(mkdtempSync(join(tmpdir(), 'portal-docs-')));
  const ctx = (): ImportContext => ({ db: t.db, clock: t.clock, config: t.config, storage });
  const DOCUMENTS = 'number;kind;customer;corrects;issue_date;total_ht;total_vat;total_ttc;published;pdf;line_label;line_quantity;line_unit_price_ht;line_vat_rate;line_total_ht;line_total_vat;line_total_ttc';
  /** Invoices of 95 € HT, a credit note of 10 € HT for the invoice before each fifth, one line naming the sample's PDF. */
  const documentsFile = (customer: string, prefix: string, count: number) =>
    fileWith(
      `${[
        DOCUMENTS,
        ...Array.from({ length: count }, (_, i) =>
          i % 5 === 4
            ? `${prefix}-${i};credit_note;${customer};${prefix}-${i - 1};02/11/2026;10,00;2,00;12,00;non;;Avoir;1;10,00;20;10,00;2,00;12,00`
            : `${prefix}-${i};invoice;${customer};;01/11/2026;95,00;19,00;114,00;non;${i === 2 ? 'FA2026-000123.pdf' : ''};Abonnement;1;95,00;20;95,00;19,00;114,00`,
        ),
      ].join('\r\n')}\r\n`,
    );
  /** The documents kind with its writes counted, `putMany` failing when asked. */
  const counted = (failMany: boolean) => {
    const writer = importKinds.documents.writer;
    const calls = { put: 0, putMany: 0 };
    const k: ImportKind = {
      ...importKinds.documents,
      writer: {
        ...writer,
        put: async (...args) => {
          calls.put++;
          return writer.put(...args);
        },
        putMany: async (c, entries, actor) => {
          calls.putMany++;
          const outcomes = await writer.putMany!(c, entries, actor);
          if (failMany) throw new Error('the database went away');
          return outcomes;
        },
      },
    };
    return { k, calls };
  };
  const rowsOf = (prefix: string) =>
    t.db
      .selectFrom('financial_documents as d')
      .leftJoin('financial_documents as i', 'i.id', 'd.corrects_document_id')
      .select(['d.number', 'd.kind', 'i.number as corrects', 'd.total_ttc_cents', 'd.pdf_sha256'])
      .where('d.number', 'like', `${prefix}-%`)
      .orderBy('d.number')
      .execute();

  it('writes the documents without a PDF together, those with one alone, in the file’s order; should writing together fail, one by one', async () => {
    const customer = await createCustomer(t.db, t.clock);
    const pdfs = join(SAMPLES, 'pdfs');
    const together = counted(false);
    const a = reportOf(await importFile(ctx(), together.k, documentsFile(customer.number, 'GRP', 12), { pdfs }));
    expect(a.counts).toEqual({ created: 12, updated: 0, unchanged: 0 });
    // Two documents then the one with a PDF (alone), then nine.
    expect(together.calls).toEqual({ put: 1, putMany: 2 });

    const apart = counted(true);
    const b = reportOf(await importFile(ctx(), apart.k, documentsFile(customer.number, 'ONE', 12), { pdfs }));
    expect(b.counts).toEqual({ created: 12, updated: 0, unchanged: 0 });
    expect(apart.calls).toEqual({ put: 12, putMany: 2 });

    const [grp, one] = [await rowsOf('GRP'), await rowsOf('ONE')];
    expect(grp).toHaveLength(12);
    expect(grp.map((d) => ({ ...d, number: d.number.slice(4), corrects: d.corrects?.slice(4) ?? null }))).toEqual(one.map((d) => ({ ...d, number: d.number.slice(4), corrects: d.corrects?.slice(4) ?? null })));
    expect(grp.filter((d) => d.kind === 'credit_note').map((d) => [d.number, d.corrects])).toEqual([['GRP-4', 'GRP-3'], ['GRP-9', 'GRP-8']]);
    expect(grp.filter((d) => d.pdf_sha256 !== null).map((d) => d.number)).toEqual(['GRP-2']);
  });

  it('names the documents a write refuses at their lines, among those written together', async () => {
    const customer = await createCustomer(t.db, t.clock);
    const file = documentsFile(customer.number, 'BAD', 6);
    // The credit note's invoice (line 5) is another customer's; with --skip-invalid the others are written.
    const other = await createCustomer(t.db, t.clock);
    writeFileSync(file, readFileSync(file, 'utf8').replace(`BAD-3;invoice;${customer.number}`, `BAD-3;invoice;${other.number}`).replace('FA2026-000123.pdf', ''));
    const refused = reportOf(await importFile(ctx(), importKinds.documents, file));
    expect(refused.written).toBe(false);
    expect(refused.errors).toEqual([{ line: 6, column: 'corrects', key: 'api.field.unknownInvoice' }]);
    expect(await rowsOf('BAD')).toEqual([]);
    const skipped = reportOf(await importFile(ctx(), importKinds.documents, file, { skipInvalid: true }));
    expect(skipped.counts).toEqual({ created: 5, updated: 0, unchanged: 0 });
    expect((await rowsOf('BAD')).map((d) => d.number)).toEqual(['BAD-0', 'BAD-1', 'BAD-2', 'BAD-3', 'BAD-5']);
  });
  it('a bad line after more than a thousand good documents: nothing written, only the bad lines named (a write refused before them too)', async () => {
    const customer = await createCustomer(t.db, t.clock);
    const other = await createCustomer(t.db, t.clock);
    const file = documentsFile(customer.number, 'LATE', 1204);
    const lines = readFileSync(file, 'utf8').split('\r\n');
    // Line 6, LATE-4, a write refused (it corrects LATE-3, made the other customer's); lines 1204 and 1205 bad.
    lines[4] = lines[4]!.replace(`LATE-3;invoice;${customer.number}`, `LATE-3;invoice;${other.number}`);
    lines[1203] = lines[1203]!.replace('01/11/2026', '31/02/2026');
    lines[1204] = lines[1204]!.replace(';114,00;non;', ';115,00;non;');
    writeFileSync(file, lines.join('\r\n').replace('FA2026-000123.pdf', ''));
    const before = await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const progress: number[] = [];
    const report = reportOf(await importFile(ctx(), importKinds.documents, file, { onProgress: (p) => progress.push(p.done) }));
    expect(report.written).toBe(false);
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [1204, 'issue_date'],
      [1205, 'total_ttc'],
    ]);
    expect(await rowsOf('LATE')).toEqual([]);
    expect((await t.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toEqual(before.n);

    // Corrected but for the refused write: it alone is named, nothing written; with --skip-invalid, the others.
    writeFileSync(file, readFileSync(file, 'utf8').replace('31/02/2026', '01/11/2026').replace(';115,00;non;', ';114,00;non;'));
    const refused = reportOf(await importFile(ctx(), importKinds.documents, file));
    expect(refused.errors).toEqual([{ line: 6, column: 'corrects', key: 'api.field.unknownInvoice' }]);
    expect(await rowsOf('LATE')).toEqual([]);
    const skipped = reportOf(await importFile(ctx(), importKinds.documents, file, { skipInvalid: true }));
    expect(skipped.counts).toEqual({ created: 1203, updated: 0, unchanged: 0 });
    expect(skipped.rejected.items).toBe(1);
  });
  it.skipIf(!hasPdftotext)('renders the published documents without a PDF, a temporary password only on each never-activated customer’s latest invoice', async () => {
    const [first, second] = [await createCustomer(t.db, t.clock), await createCustomer(t.db, t.clock)];
    const invoice = (n: string, customer: string, day: string) => `${n};invoice;${customer};;${day}/11/2026;95,00;19,00;114,00;oui;;Abonnement;1;95,00;20;95,00;19,00;114,00`;
    const file = fileWith(
      `${[DOCUMENTS, invoice('PUB-1', first.number, '03'), invoice('PUB-2', first.number, '20'), invoice('PUB-3', second.number, '05'), invoice('PUB-4', first.number, '10')].join('\r\n')}\r\n`,
    );
    expect(reportOf(await importFile(ctx(), importKinds.documents, file)).counts).toEqual({ created: 4, updated: 0, unchanged: 0 });
    const printed = await t.db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).where('number', 'like', 'PUB-%').orderBy('number').execute();
    const withPassword = [];
    for (const d of printed) if (pdfFlatText((await storage.get(d.pdf_sha256!))!).includes('Votre mot de passe')) withPassword.push(d.number);
    // One argon2 hash per customer, printed where it stays valid: the latest invoice.
    expect(withPassword).toEqual(['PUB-2', 'PUB-3']);
    expect(await t.db.selectFrom('customer_logins').select('state').where('customer_id', 'in', [first.id, second.id]).execute()).toEqual([{ state: 'not_activated' }, { state: 'not_activated' }]);
  });
});

describe('bulk import: reading contracts, documents, payments and exits', () => {
  const items = (name: keyof typeof importKinds, bytes: Buffer = readFileSync(sample(name)), pdfs: string | null = join(SAMPLES, 'pdfs')) => {
    const read = readResources(importKinds[name], bytes, pdfs);
    if (!read.ok) throw new Error(JSON.stringify(read.problems));
    return [...read.items()];
  };

  it('reads a contract from its lines (one per vehicle): amounts with a decimal comma into cents, dates DD/MM/YYYY into ISO', () => {
    const [first, second, third] = items('contracts');
    expect(first).toMatchObject({
      params: { number: 'CTR-2024-0042' },
      body: {
        customer: 'CLT013261',
        car_park: 'LILAS',
        product: 'resident',
        state: 'active',
        start_date: '2024-09-01',
        renewal_date: '2027-09-01',
        billing_period: 'monthly',
        price_ht_cents: 9500,
        vat_rate_bp: 2000,
        direct_debit: true,
        badge_number: 'B-004512',
        space_label: 'N-2 / 118',
        vehicles: [
          { plate: 'AB-123-CD', description: 'Clio grise', valid_from: '2024-09-01' },
          { plate: 'EF-456-GH', description: 'Scooter', valid_from: '2026-03-01' },
        ],
      },
      itemLines: [2, 3],
    });
    expect(second?.body).toMatchObject({ start_date: '2025-01-15', price_ht_cents: 6250, direct_debit: false, vehicles: [{ plate: 'GH-789-JK' }, { plate: '1-ABC-123', country: 'BE', description: 'Utilitaire' }] });
    expect(third?.body).toMatchObject({ start_date: '2025-02-01', end_date: '2026-01-31', price_ht_cents: 135000 });
    expect(third?.body).not.toHaveProperty('vehicles');
  });

  it('reads a document with its lines and its PDF from the --pdfs folder; without the folder, or with another file, says so', () => {
    const [invoice, , creditNote] = items('documents');
    expect(invoice).toMatchObject({
      params: { number: 'FA2026-000123' },
      body: { kind: 'invoice', customer: 'CLT013261', issue_date: '2026-11-01', due_date: '2026-11-15', total_ht_cents: 10333, total_vat_cents: 2067, total_ttc_cents: 12400, published: true },
      files: { pdf: join(SAMPLES, 'pdfs', 'FA2026-000123.pdf') },
    });
    expect(invoice?.body).not.toHaveProperty('pdf');
    expect((invoice?.body.lines as unknown[]).length).toBe(2);
    expect((invoice?.body.lines as unknown[])[1]).toEqual({ label: 'Frais de badge', quantity_milli: 1000, unit_price_ht_cents: 833, vat_rate_bp: 2000, total_ht_cents: 833, total_vat_cents: 167, total_ttc_cents: 1000 });
    expect(creditNote?.body).toMatchObject({ kind: 'credit_note', corrects: 'FA2026-000123' });

    expect(items('documents', undefined, null)[0]?.errors).toEqual([{ line: 2, column: 'pdf', key: 'import.cell.pdfFolder' }]);
    const notPdf = fileWith('not a pdf', 'FA2026-000123.pdf');
    expect(items('documents', undefined, join(notPdf, '..'))[0]?.errors).toEqual([{ line: 2, column: 'pdf', key: 'import.cell.notPdf', params: { name: 'FA2026-000123.pdf' } }]);
    const differs = readFileSync(sample('documents'), 'utf8').replace('FA2026-000123;;;', 'FA2026-000123;;CLT999999;');
    expect(items('documents', Buffer.from(differs))[0]?.errors).toEqual([{ line: 3, column: 'customer', key: 'import.row.differs', params: { line: 2, key: 'number' } }]);
  });

  it('reads payments with the invoices they settle, and a month’s exits by contract, in Paris time', () => {
    const [transfer, , cash] = items('payments');
    expect(transfer).toMatchObject({ params: { reference: 'VIR-2026-11-0042' }, body: { method: 'transfer', amount_cents: 11400, received_on: '2026-11-12', allocations: [{ invoice: 'FA2026-000123', amount_cents: 11400 }] } });
    expect(cash?.body).not.toHaveProperty('allocations');
    const [october, november] = items('exits');
    expect(october).toMatchObject({
      params: { number: 'CTR-2025-0107', month: '2026-10' },
      body: { exit_count: 3, exits: ['2026-10-03T05:42:00.000Z', '2026-10-14T16:05:00.000Z', '2026-10-28T07:15:00.000Z'] },
      itemLines: [2, 3, 4],
    });
    expect(november).toMatchObject({ params: { month: '2026-11' }, body: { exit_count: 0 } });
    expect(november?.body).not.toHaveProperty('exits');
  });

  it('docs/import.md documents every column of every kind, and each kind has its sample', () => {
    const doc = readFileSync(join(SAMPLES, '..', 'import.md'), 'utf8');
    for (const name of IMPORT_KINDS) {
      expect(doc, name).toContain(`### ${name}`);
      expect(existsSync(sample(name)), name).toBe(true);
      for (const c of importKinds[name].columns) expect(doc, `${name}.${c.name}`).toMatch(new RegExp(`\\| \`${c.name}\` \\|`));
    }
  });
});

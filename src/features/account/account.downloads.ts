import type { Readable } from 'node:stream';
import type { ContentStore } from '../../lib/content-store.ts';
import { type CsvCell, csvAmount, csvFile } from '../../lib/csv.ts';
import type { Translate } from '../../lib/i18n.ts';
import { documentPdfStream } from '../documents/documents.service.ts';
import type { ListedDocument } from './account.queries.ts';
import { documentStatus } from './account.rules.ts';

/*
 * The history's list at once (issue 14): its documents' files in one ZIP, its rows as a CSV.
 * Both take exactly the rows the history shows with the same filters (`findDocumentList`).
 */

/** A document's name in the ZIP: its year's folder, its kind and number, e.g. `2026/Facture F2026-000123.pdf`. */
export function zipEntryName(t: Translate, d: { kind: ListedDocument['kind']; number: string; issue_date: string }): string {
  // A number is letters, digits, `-`, `_` and `/` (the PDF route's); a `/` would make a folder.
  return `${d.issue_date.slice(0, 4)}/${t(`account.kind.${d.kind}`)} ${d.number.replaceAll('/', '-')}.pdf`;
}

/**
 * The ZIP of the documents' files, as a stream: each file is opened when the archive reaches it
 * (`documentPdfStream`, the PDF route's own way to a document's file: a business customer's
 * Factur-X, checked against its SHA-256 as it passes) and sent on as it is read, stored without
 * compression (a PDF is compressed already), so that neither the archive nor the files are ever
 * held in memory. Documents without a file yet are left out. A file missing or altered ends the
 * stream in an error (the download fails rather than give an archive without it). The same rows
 * give the same bytes: each entry is dated by its document's issue date.
 */
export async function documentsZip(storage: ContentStore, t: Translate, docs: ListedDocument[]): Promise<Readable> {
  // Loaded at the first ZIP, not by every process serving pages.
  const { ZipFile } = await import('yazl');
  const zip = new ZipFile();
  const out = zip.outputStream as Readable;
  let current: Readable | null = null;
  const fail = (e: unknown) => out.destroy(e instanceof Error ? e : new Error(String(e)));
  // The reader gone (the customer cancelled): the file being read is closed too.
  out.on('close', () => current?.destroy());
  zip.on('error', fail);
  const names = new Set<string>();
  for (const d of docs) {
    const sha256 = d.pdf_sha256;
    if (sha256 === null) continue;
    let name = zipEntryName(t, d);
    // Unique even if two numbers differ only by a `/`.
    for (let i = 2; names.has(name); i++) name = zipEntryName(t, { ...d, number: `${d.number} (${i})` });
    names.add(name);
    zip.addReadStreamLazy(name, { compress: false, mtime: new Date(`${d.issue_date}T12:00:00Z`) }, (done) => {
      if (out.destroyed) return;
      documentPdfStream(storage, sha256).then((stream) => {
        current = stream;
        stream.on('error', fail);
        done(null, stream);
      }, fail);
    });
  }
  zip.end();
  return out;
}

const frenchDay = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');

/**
 * The list as a CSV for a spreadsheet (`lib/csv.ts`: `;`, decimal comma, UTF-8 with its BOM,
 * formulas defused), dates as DD/MM/YYYY: a credit note's amounts are negative, as the history
 * shows them; "Payé" is what settled an invoice, or what of a credit note was used.
 */
export function documentsCsv(t: Translate, docs: ListedDocument[], today: string): string {
  const header = [
    t('account.csv.type'),
    t('account.csv.number'),
    t('account.csv.date'),
    t('account.csv.dueDate'),
    t('account.csv.contract'),
    t('account.csv.ht'),
    t('account.csv.vat'),
    t('account.csv.ttc'),
    t('account.csv.paid'),
    t('account.csv.remaining'),
    t('account.csv.status'),
  ];
  const rows = docs.map((d): CsvCell[] => {
    const sign = d.kind === 'invoice' ? 1 : -1;
    return [
      t(`account.kind.${d.kind}`),
      d.number,
      frenchDay(d.issue_date),
      frenchDay(d.due_date),
      d.contract_number ?? '',
      csvAmount(sign * d.total_ht_cents),
      csvAmount(sign * d.total_vat_cents),
      csvAmount(sign * d.total_ttc_cents),
      csvAmount(sign * d.settled_cents),
      csvAmount(d.remaining),
      t(`account.status.${documentStatus(d, today)}`),
    ];
  });
  return csvFile(header, rows);
}

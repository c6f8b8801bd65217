import type { FastifyReply } from 'fastify';

/*
 * CSV files for the people the operator works with (the print shop…), the way French
 * spreadsheets open them: `;` between fields, a decimal comma, UTF-8 with a byte-order mark,
 * CRLF line ends (RFC 4180). A field holding `;`, a quote or a line break is quoted. A text
 * that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage return
 * first) is written after an apostrophe, so that opening the file never runs anything.
 */

/** An amount in cents, written `1234,56` (no thousands separator). */
export interface CsvAmount {
  readonly cents: number;
}
export const csvAmount = (cents: number): CsvAmount => ({ cents });

/** Text (guarded against formulas), a whole number, or an amount. */
export type CsvCell = string | number | CsvAmount;

const quoted = (s: string) => (/[";\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

function cell(value: CsvCell): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const sign = value.cents < 0 ? '-' : '';
    const abs = Math.abs(value.cents);
    return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
  }
  return quoted(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
}

/** The whole file: the byte-order mark, a header line, one line per row. */
export function csvFile(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}

/** Answers a CSV file as a download (never shown in the browser, never cached). */
export function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(csv);
}

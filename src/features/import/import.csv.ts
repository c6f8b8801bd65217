import { CsvError, parse } from 'csv-parse/sync';
import type { MessageKey } from '../../lib/i18n.ts';

/*
 * An imported file read into lines of cells, the way French spreadsheets save CSV: UTF-8 with
 * or without its byte-order mark (any other encoding refused, saying how to save it), `;`
 * between fields — or `,` when the header line says so —, fields quoted with `"` when they
 * hold one, CRLF or LF line ends. Each line keeps its number in the file (the line where it
 * starts, 1 being the header), for every error to name it. Lines with nothing in them are
 * passed over.
 */

export interface FileProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface CsvLine {
  /** Its line number in the file (where it starts: a quoted field may hold line breaks). */
  line: number;
  cells: string[];
}

export type CsvRead = { ok: true; header: string[]; lines: CsvLine[]; separator: ';' | ',' } | { ok: false; problem: FileProblem };

const BOM = [0xef, 0xbb, 0xbf];

/** The separator of a header line: `;` unless only `,` appears in it (outside quotes). */
export function separatorOf(headerLine: string): ';' | ',' {
  const outside = headerLine.replace(/"[^"]*"/g, '');
  return !outside.includes(';') && outside.includes(',') ? ',' : ';';
}

/** The line of the first byte that is not UTF-8 (the decoder's replacement character). */
function lineOfBadByte(bytes: Uint8Array): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  const at = text.indexOf('\uFFFD');
  return text.slice(0, Math.max(at, 0)).split('\n').length;
}

/** The file's text, or why it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: FileProblem } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return { ok: false, problem: { key: 'import.file.utf16' } };
  const body = BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    return { ok: false, problem: { key: 'import.file.notUtf8', params: { line: lineOfBadByte(body) } } };
  }
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

/**
 * The lines of a text without quotes whose lines all end alike (all CRLF, or all LF), cut at
 * the separator: what csv-parse reads in such a text (`import.csv.test.ts` checks it), a
 * fraction of its cost on an import of a hundred thousand lines. Null for any other text,
 * which csv-parse reads.
 */
export function plainLines(text: string, separator: string): CsvLine[] | null {
  if (text.includes('"')) return null;
  const crlf = text.includes('\r');
  if (crlf && /\r(?!\n)|(?<!\r)\n/.test(text)) return null;
  const lines: CsvLine[] = [];
  const all = text.split(crlf ? '\r\n' : '\n');
  for (let i = 0; i < all.length; i++) {
    const cells = (all[i] as string).split(separator);
    if (!blank(cells)) lines.push({ line: i + 1, cells });
  }
  return lines;
}

/** The lines csv-parse reads in a text, with the line each starts at; or what is wrong with the text. */
export function parsedLines(text: string, separator: string): { ok: true; lines: CsvLine[] } | { ok: false; problem: FileProblem } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter: separator, info: true, relax_column_count: true, skip_empty_lines: false }) as unknown as typeof records;
  } catch (e) {
    if (e instanceof CsvError) {
      const line = Number((e as CsvError & { lines?: number }).lines ?? 0);
      return { ok: false, problem: { key: e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'import.file.quote' : 'import.file.malformed', params: { line } } };
    }
    throw e;
  }
  // Where each record starts: the line after the previous record's end.
  const lines: CsvLine[] = [];
  let previousEnd = 0;
  for (const { record, info } of records) {
    if (!blank(record)) lines.push({ line: previousEnd + 1, cells: record });
    previousEnd = info.lines;
  }
  return { ok: true, lines };
}

/** The header (names trimmed) and the lines of a file's bytes. */
export function readCsv(bytes: Uint8Array): CsvRead {
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return decoded;
  const { text } = decoded;
  const separator = separatorOf(text.slice(0, text.search(/\r?\n|$/)));
  const plain = plainLines(text, separator);
  const parsed = plain ? { ok: true as const, lines: plain } : parsedLines(text, separator);
  if (!parsed.ok) return parsed;
  const [header, ...rows] = parsed.lines;
  if (!header) return { ok: false, problem: { key: 'import.file.empty' } };
  return { ok: true, header: header.cells.map((c) => c.trim()), lines: rows, separator };
}

import type { MessageKey } from '../../lib/i18n.ts';
import { memoized } from '../../lib/memo.ts';
import { parseDate } from '../contact/contact.rules.ts';

/*
 * How a cell of an imported file is read, the way French spreadsheets write it: an amount with
 * a decimal comma (`123,45`, also `123.45`, spaces between thousands, a `€` after), a date
 * `DD/MM/YYYY` (also `YYYY-MM-DD`), `oui`/`non`. An empty cell is absent: it never reaches
 * here. A cell reads into the value the API's body takes at that place (cents, an ISO date,
 * a boolean…); what is wrong with that value is then said by the API's own schema.
 */

export type CellFormat = 'text' | 'amount' | 'date' | 'dateTime' | 'month' | 'boolean' | 'integer' | 'thousandths' | 'rate' | 'list' | 'hours' | 'pdf';

export type CellRead = { ok: true; value: unknown } | { ok: false; key: MessageKey; params?: Record<string, string | number> };

const ok = (value: unknown): CellRead => ({ ok: true, value });
const bad = (key: MessageKey): CellRead => ({ ok: false, key });

/**
 * A cell the portal's own CSV files defused (`lib/csv.ts`: an apostrophe before `=`, `+`, `-`,
 * `@`…, so that a spreadsheet never runs it) reads as it was: a rejected file, corrected,
 * imports again.
 */
export const undefused = (cell: string): string => (cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r\0]/.test(cell) ? cell.slice(1) : cell); // 39: `'`, looked at first (every cell of a file passes here)

/** Spaces a spreadsheet puts between thousands (plain, no-break, narrow no-break). */
const groupSpaces = /[ \u00a0\u202f]/g;

/** `123,45`, `123.45`, `1 234,5`, `-12`, `123,45 €` → the number of hundredths; null when not one. */
function hundredths(cell: string, maxDecimals: number): number | null {
  const m = /^([+-]?)(\d+)(?:[.,](\d+))?$/.exec(cell.replace(/\s*€$/, '').replace(groupSpaces, ''));
  if (!m || (m[3] ?? '').length > maxDecimals) return null;
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -value : value;
}

/** `DD/MM/YYYY` or `YYYY-MM-DD` → `YYYY-MM-DD`, a day that exists; null otherwise (the forms' reading of a date). */
export const readDate = (cell: string): string | null => parseDate(cell);

const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** How far Paris is ahead of UTC at this instant, in milliseconds. */
function parisOffset(t: number): number {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
}

/** A Paris wall-clock time → the instant, ISO 8601 UTC. */
function fromParis(y: number, mo: number, d: number, h: number, mi: number, s: number): string {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = wall - parisOffset(wall);
  return new Date(wall - parisOffset(first)).toISOString();
}

/** `DD/MM/YYYY HH:MM[:SS]` or `YYYY-MM-DD HH:MM[:SS]` in Paris time, or ISO 8601 with its offset → ISO 8601. */
export function readDateTime(cell: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(cell)) return Number.isNaN(Date.parse(cell)) ? null : cell;
  const m = /^(\S+)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(cell);
  const date = m ? readDate(m[1]!) : null;
  if (!m || !date) return null;
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return fromParis(y, mo, d, h, mi, s);
}

const yes = new Set(['oui', 'o', 'true', 'vrai', 'yes', 'y', '1']);
const no = new Set(['non', 'n', 'false', 'faux', 'no', '0']);

/** One line of opening hours, `<for> [<first>-<last>] [<open>-<close>]`: as the API's `opening_hours` items. */
const hoursLine = /^(\S+)(?:\s+(\d)-(\d))?(?:\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2}))?$/;
const twoDigits = (t: string) => t.padStart(5, '0');

/**
 * Reads one (non-empty, trimmed) cell in its column's format. `pdf` reads the file's name
 * only: whether the file is there is the import's to check (`import.service.ts`).
 */
export function readCell(format: CellFormat, cell: string): CellRead {
  const scalar = readScalar[format];
  return scalar ? scalar(cell) : readOnce(format, cell);
}

/**
 * The formats whose cells read into a number, a string or a boolean, each cell read once: a
 * file of a hundred thousand lines repeats a few hundred dates and prices (issue 12).
 */
const readScalar: Partial<Record<CellFormat, (cell: string) => CellRead>> = Object.fromEntries(
  (['amount', 'rate', 'thousandths', 'integer', 'date', 'dateTime', 'month', 'boolean'] as const).map((f) => [f, memoized((cell: string) => readOnce(f, cell))]),
);

function readOnce(format: CellFormat, cell: string): CellRead {
  switch (format) {
    case 'text':
      return ok(cell);
    case 'amount': {
      const cents = hundredths(cell, 2);
      return cents === null ? bad('import.cell.amount') : ok(cents);
    }
    case 'rate': {
      // Percent with up to two decimals → basis points (20 → 2000, 5,5 → 550).
      const bp = hundredths(cell.replace(/\s*%$/, ''), 2);
      return bp === null ? bad('import.cell.rate') : ok(bp);
    }
    case 'thousandths': {
      // A quantity with up to three decimals → thousandths (1 → 1000, 0,5 → 500).
      const m = /^([+-]?)(\d+)(?:[.,](\d{1,3}))?$/.exec(cell.replace(groupSpaces, ''));
      if (!m) return bad('import.cell.quantity');
      const value = Number(m[2]) * 1000 + Number((m[3] ?? '').padEnd(3, '0'));
      return ok(m[1] === '-' ? -value : value);
    }
    case 'integer': {
      const m = /^[+-]?\d+$/.exec(cell.replace(groupSpaces, ''));
      return m ? ok(Number(m[0])) : bad('import.cell.integer');
    }
    case 'date': {
      const date = readDate(cell);
      return date ? ok(date) : bad('import.cell.date');
    }
    case 'dateTime': {
      const at = readDateTime(cell);
      return at ? ok(at) : bad('import.cell.dateTime');
    }
    case 'month': {
      const iso = /^(\d{4})-(\d{2})$/.exec(cell);
      const fr = /^(\d{1,2})\/(\d{4})$/.exec(cell);
      const [year, month] = iso ? [iso[1], Number(iso[2])] : fr ? [fr[2], Number(fr[1])] : [undefined, 0];
      return year && month >= 1 && month <= 12 ? ok(`${year}-${String(month).padStart(2, '0')}`) : bad('import.cell.month');
    }
    case 'boolean': {
      const v = cell.toLowerCase();
      return yes.has(v) ? ok(true) : no.has(v) ? ok(false) : bad('import.cell.boolean');
    }
    case 'list':
      return ok(
        cell
          .split('|')
          .map((s) => s.trim())
          .filter(Boolean),
      );
    case 'hours': {
      const lines = [];
      for (const part of cell.split('|').map((s) => s.trim())) {
        const m = hoursLine.exec(part);
        if (!m) return bad('import.cell.hours');
        lines.push({ for: m[1], ...(m[2] ? { days: [Number(m[2]), Number(m[3])] } : {}), ...(m[4] ? { hours: [twoDigits(m[4]), twoDigits(m[5]!)] } : {}) });
      }
      return ok(lines);
    }
    case 'pdf':
      return /^[^/\\]+$/.test(cell) && cell !== '.' && cell !== '..' ? ok(cell) : bad('import.cell.pdfName');
  }
}

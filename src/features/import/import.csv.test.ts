import { describe, expect, it } from 'vitest';
import { parsedLines, plainLines, readCsv } from './import.csv.ts';

/*
 * The import reads a file without quotes by cutting its lines at the separator (`plainLines`),
 * and any other with csv-parse: the two must give the same lines, numbered the same.
 */

/** The same texts every run. */
let seed = 2026;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
const CELLS = ['', ' ', 'FA2026-000123', 'Abonnement résident 11/2026', '95,00', ' 1 234,50 € ', 'a,b', '01/11/2026', '\u00a0', "'=1+1", 'é\t'];

function text(separator: ';' | ',', end: '\n' | '\r\n', trailing: boolean): string {
  const lines = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
    const kind = random();
    if (kind < 0.1) return '';
    if (kind < 0.15) return '   ';
    if (kind < 0.2) return separator.repeat(3);
    return Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(CELLS).replaceAll(separator, ' ')).join(separator);
  });
  return lines.join(end) + (trailing ? end : '');
}

describe('reading a file without quotes', () => {
  it('gives the lines csv-parse gives, numbered the same, whatever the separator, line ends and blank lines', () => {
    let compared = 0;
    for (let i = 0; i < 400; i++) {
      const separator = pick([';', ','] as const);
      const t = text(separator, pick(['\n', '\r\n'] as const), random() < 0.5);
      const plain = plainLines(t, separator);
      expect(plain, JSON.stringify(t)).not.toBeNull();
      expect(plain, JSON.stringify(t)).toEqual((parsedLines(t, separator) as { lines: unknown }).lines);
      compared++;
    }
    expect(compared).toBe(400);
  });

  it('leaves to csv-parse a text with a quote or with line ends of two kinds', () => {
    expect(plainLines('a;b\r\n"c;d";e\r\n', ';')).toBeNull();
    expect(plainLines('a;b\r\nc;d\ne;f\r\n', ';')).toBeNull();
    expect(plainLines('a;b\rc;d\r', ';')).toBeNull();
    // Read the same either way.
    const quoted = readCsv(Buffer.from('number;label\r\nFA-1;"Abonnement; novembre"\r\n\r\nFA-2;Badge\r\n'));
    expect(quoted).toEqual({ ok: true, header: ['number', 'label'], separator: ';', lines: [{ line: 2, cells: ['FA-1', 'Abonnement; novembre'] }, { line: 4, cells: ['FA-2', 'Badge'] }] });
    const plain = readCsv(Buffer.from('number;label\r\nFA-1;Abonnement novembre\r\n\r\nFA-2;Badge\r\n'));
    expect(plain).toEqual({ ok: true, header: ['number', 'label'], separator: ';', lines: [{ line: 2, cells: ['FA-1', 'Abonnement novembre'] }, { line: 4, cells: ['FA-2', 'Badge'] }] });
  });
});

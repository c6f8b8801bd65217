import { describe, expect, it } from 'vitest';
import { readCsv, separatorOf } from './import.csv.ts';
import { readCell, readDate, readDateTime, undefused } from './import.rules.ts';

/* Cells and files the way French spreadsheets write them. */

const value = (format: Parameters<typeof readCell>[0], cell: string) => {
  const r = readCell(format, cell);
  return r.ok ? r.value : r.key;
};
const bytes = (s: string) => new TextEncoder().encode(s);
const BOM = '\uFEFF';

describe('import: cells', () => {
  it('reads amounts with a decimal comma or point, spaces between thousands and a euro sign, into cents', () => {
    expect(value('amount', '123,45')).toBe(12345);
    expect(value('amount', '123.45')).toBe(12345);
    expect(value('amount', '123,4')).toBe(12340);
    expect(value('amount', '123')).toBe(12300);
    expect(value('amount', '-12,50')).toBe(-1250);
    expect(value('amount', '1 234,56')).toBe(123456);
    expect(value('amount', '1\u202f234,56 €')).toBe(123456);
    expect(value('amount', '0,07')).toBe(7);
    for (const bad of ['12,345', '1.234,56', '12,', 'douze', '12 €50', '']) expect(value('amount', bad), bad).toBe('import.cell.amount');
  });

  it('reads VAT rates in percent into basis points, and quantities with a decimal comma into thousandths', () => {
    expect(value('rate', '20')).toBe(2000);
    expect(value('rate', '5,5')).toBe(550);
    expect(value('rate', '2.1 %')).toBe(210);
    expect(value('rate', 'vingt')).toBe('import.cell.rate');
    expect(value('thousandths', '1')).toBe(1000);
    expect(value('thousandths', '0,5')).toBe(500);
    expect(value('thousandths', '1.125')).toBe(1125);
    expect(value('thousandths', '1,2345')).toBe('import.cell.quantity');
    expect(value('integer', '1 200')).toBe(1200);
    expect(value('integer', '3,5')).toBe('import.cell.integer');
  });

  it('reads dates DD/MM/YYYY and YYYY-MM-DD, refusing days that do not exist', () => {
    expect(readDate('27/11/2026')).toBe('2026-11-27');
    expect(readDate('1/2/2026')).toBe('2026-02-01');
    expect(readDate('2026-11-27')).toBe('2026-11-27');
    expect(readDate('29/02/2028')).toBe('2028-02-29');
    for (const bad of ['31/02/2026', '2026-13-01', '11/27/2026', '27/11/26', '2026/11/27']) expect(readDate(bad), bad).toBeNull();
    expect(value('date', '31/04/2026')).toBe('import.cell.date');
  });

  it('reads months MM/YYYY and YYYY-MM', () => {
    expect(value('month', '10/2026')).toBe('2026-10');
    expect(value('month', '3/2026')).toBe('2026-03');
    expect(value('month', '2026-11')).toBe('2026-11');
    expect(value('month', '13/2026')).toBe('import.cell.month');
  });

  it('reads a date and time in Paris time (summer and winter), or ISO 8601 with its offset as it is', () => {
    expect(readDateTime('03/10/2026 07:42')).toBe('2026-10-03T05:42:00.000Z');
    expect(readDateTime('2026-11-27 10:00:30')).toBe('2026-11-27T09:00:30.000Z');
    expect(readDateTime('2026-11-27T10:00:00Z')).toBe('2026-11-27T10:00:00Z');
    expect(readDateTime('2026-11-27T10:00:00+01:00')).toBe('2026-11-27T10:00:00+01:00');
    expect(readDateTime('2026-11-27T10:00')).toBe('2026-11-27T09:00:00.000Z');
    for (const bad of ['03/10/2026', '03/10/2026 24:00', '2026-11-27T10:00:00+1', '31/09/2026 10:00']) expect(readDateTime(bad), bad).toBeNull();
  });

  it('reads oui/non and their spreadsheet spellings', () => {
    for (const yes of ['oui', 'OUI', 'Vrai', 'true', '1', 'yes']) expect(value('boolean', yes), yes).toBe(true);
    for (const no of ['non', 'Non', 'FAUX', 'false', '0', 'no']) expect(value('boolean', no), no).toBe(false);
    expect(value('boolean', 'peut-être')).toBe('import.cell.boolean');
  });

  it('reads lists and opening hours as the API takes them', () => {
    expect(value('list', 'ev_charging | motorcycles |')).toEqual(['ev_charging', 'motorcycles']);
    expect(value('hours', 'everyone | reception 1-5 8:00-19:00')).toEqual([{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '19:00'] }]);
    expect(value('hours', 'subscribers 05:00-23:30')).toEqual([{ for: 'subscribers', hours: ['05:00', '23:30'] }]);
    expect(value('hours', 'reception lundi-vendredi')).toBe('import.cell.hours');
    expect(value('pdf', '../secret.pdf')).toBe('import.cell.pdfName');
  });

  it('reads back a cell the portal’s CSV files defused against formulas', () => {
    expect(undefused("'-12,50")).toBe('-12,50');
    expect(undefused("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(undefused("'quoted'")).toBe("'quoted'");
  });
});

describe('import: files', () => {
  it('reads UTF-8 with or without its byte-order mark, CRLF or LF', () => {
    const withBom = readCsv(bytes(`${BOM}number;city\r\nCLT1;Besançon\r\n`));
    const without = readCsv(bytes('number;city\nCLT1;Besançon\n'));
    for (const r of [withBom, without]) {
      expect(r).toMatchObject({ ok: true, header: ['number', 'city'], separator: ';', lines: [{ line: 2, cells: ['CLT1', 'Besançon'] }] });
    }
  });

  it('takes the separator from the header line: `;`, or `,` when only it appears there', () => {
    expect(separatorOf('number;city')).toBe(';');
    expect(separatorOf('number,city')).toBe(',');
    expect(separatorOf('"a,b";c')).toBe(';');
    expect(separatorOf('"a;b",c')).toBe(',');
    expect(separatorOf('number')).toBe(';');
    expect(readCsv(bytes('number,price\nCLT1,"123,45"\n'))).toMatchObject({ ok: true, separator: ',', lines: [{ cells: ['CLT1', '123,45'] }] });
  });

  it('refuses UTF-16 and Latin-1 (Windows-1252) files, naming the line of the first bad byte', () => {
    expect(readCsv(Buffer.from(`\uFEFFnumber;city\n`, 'utf16le'))).toEqual({ ok: false, problem: { key: 'import.file.utf16' } });
    const latin1 = Buffer.from('number;city\nCLT1;Paris\nCLT2;Besançon\n', 'latin1');
    expect(readCsv(latin1)).toEqual({ ok: false, problem: { key: 'import.file.notUtf8', params: { line: 3 } } });
    expect(readCsv(bytes(''))).toEqual({ ok: false, problem: { key: 'import.file.empty' } });
  });

  it('numbers each line where it starts in the file, past blank lines and quoted line breaks', () => {
    const r = readCsv(bytes('\nnumber;note\nCLT1;"two\nlines"\n\n;;\nCLT2;x\n'));
    expect(r).toMatchObject({
      ok: true,
      header: ['number', 'note'],
      lines: [
        { line: 3, cells: ['CLT1', 'two\nlines'] },
        { line: 7, cells: ['CLT2', 'x'] },
      ],
    });
  });

  it('says where a quote is left open', () => {
    expect(readCsv(bytes('number;note\nCLT1;"open\nCLT2;x\n'))).toMatchObject({ ok: false, problem: { key: 'import.file.quote' } });
  });
});

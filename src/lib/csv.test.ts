import { describe, expect, it } from 'vitest';
import { csvAmount, csvFile } from './csv.ts';

describe('csvFile', () => {
  it('writes a byte-order mark, “;” between fields, CRLF line ends and decimal commas', () => {
    expect(csvFile(['a', 'b', 'c'], [['x', 3, csvAmount(123456)], ['y', 0, csvAmount(-5)], ['z', 1, csvAmount(0)]])).toBe('\uFEFFa;b;c\r\nx;3;1234,56\r\ny;0;-0,05\r\nz;1;0,00\r\n');
  });

  it('quotes a field holding “;”, a quote or a line break, and keeps a spreadsheet from reading a text as a formula', () => {
    const csv = csvFile(['t'], [['a;b'], ['say "hi"'], ['two\nlines'], ['=1+1'], ['+33 1 23'], ['-x'], ['@SUM(A1)'], ['plain - text']]);
    expect(csv.slice(1).split('\r\n')).toEqual(['t', '"a;b"', '"say ""hi"""', '"two\nlines"', "'=1+1", "'+33 1 23", "'-x", "'@SUM(A1)", 'plain - text', '']);
  });

  it('defuses every first character ASVS 5.0 (1.2.10) names: = + - @, tab, carriage return and NUL', () => {
    const risky = ['=A1', '+A1', '-A1', '@A1', '\tA1', '\u0000=A1'];
    const cells = csvFile(['t'], risky.map((v) => [v])).slice(1).split('\r\n').slice(1, -1);
    expect(cells).toEqual(risky.map((v) => `'${v}`));
    expect(csvFile(['t'], [['\rA1']]).slice(1).split('\r\n')[1]).toBe(`"'\rA1"`);
  });
});

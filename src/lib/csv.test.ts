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
});

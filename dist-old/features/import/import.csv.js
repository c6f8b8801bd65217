import { CsvError, parse } from 'csv-parse/sync';
const BOM = [0xef, 0xbb, 0xbf];
/** The separator of a header line: `;` unless only `,` appears in it (outside quotes). */
export function separatorOf(headerLine) {
    const outside = headerLine.replace(/"[^"]*"/g, '');
    return !outside.includes(';') && outside.includes(',') ? ',' : ';';
}
/** The line of the first byte that is not UTF-8 (the decoder's replacement character). */
function lineOfBadByte(bytes) {
    const text = new TextDecoder('utf-8').decode(bytes);
    const at = text.indexOf('\uFFFD');
    return text.slice(0, Math.max(at, 0)).split('\n').length;
}
/** The file's text, or why it is not UTF-8. */
export function decodeUtf8(bytes) {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
        return { ok: false, problem: { key: 'import.file.utf16' } };
    const body = BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(3) : bytes;
    try {
        return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
    }
    catch {
        return { ok: false, problem: { key: 'import.file.notUtf8', params: { line: lineOfBadByte(body) } } };
    }
}
const blank = (cells) => cells.every((c) => c.trim() === '');
/**
 * The lines of a text without quotes whose lines all end alike (all CRLF, or all LF), cut at
 * the separator: what csv-parse reads in such a text (`import.csv.test.ts` checks it), a
 * fraction of its cost on an import of a hundred thousand lines. Null for any other text,
 * which csv-parse reads.
 */
export function plainLines(text, separator) {
    if (text.includes('"'))
        return null;
    const crlf = text.includes('\r');
    if (crlf && /\r(?!\n)|(?<!\r)\n/.test(text))
        return null;
    const lines = [];
    const all = text.split(crlf ? '\r\n' : '\n');
    for (let i = 0; i < all.length; i++) {
        const cells = all[i].split(separator);
        if (!blank(cells))
            lines.push({ line: i + 1, cells });
    }
    return lines;
}
/** The lines csv-parse reads in a text, with the line each starts at; or what is wrong with the text. */
export function parsedLines(text, separator) {
    let records;
    try {
        records = parse(text, { delimiter: separator, info: true, relax_column_count: true, skip_empty_lines: false });
    }
    catch (e) {
        if (e instanceof CsvError) {
            const line = Number(e.lines ?? 0);
            return { ok: false, problem: { key: e.code === 'CSV_QUOTE_NOT_CLOSED' ? 'import.file.quote' : 'import.file.malformed', params: { line } } };
        }
        throw e;
    }
    // Where each record starts: the line after the previous record's end.
    const lines = [];
    let previousEnd = 0;
    for (const { record, info } of records) {
        if (!blank(record))
            lines.push({ line: previousEnd + 1, cells: record });
        previousEnd = info.lines;
    }
    return { ok: true, lines };
}
/** The header (names trimmed) and the lines of a file's bytes. */
export function readCsv(bytes) {
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok)
        return decoded;
    const { text } = decoded;
    const separator = separatorOf(text.slice(0, text.search(/\r?\n|$/)));
    const plain = plainLines(text, separator);
    const parsed = plain ? { ok: true, lines: plain } : parsedLines(text, separator);
    if (!parsed.ok)
        return parsed;
    const [header, ...rows] = parsed.lines;
    if (!header)
        return { ok: false, problem: { key: 'import.file.empty' } };
    return { ok: true, header: header.cells.map((c) => c.trim()), lines: rows, separator };
}
//# sourceMappingURL=import.csv.js.map
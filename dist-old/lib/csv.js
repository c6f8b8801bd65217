export const csvAmount = (cents) => ({ cents });
const quoted = (s) => (/[";\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
function cell(value) {
    if (typeof value === 'number')
        return String(value);
    if (typeof value === 'object') {
        const sign = value.cents < 0 ? '-' : '';
        const abs = Math.abs(value.cents);
        return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
    }
    return quoted(/^[=+\-@\t\r\0]/.test(value) ? `'${value}` : value);
}
/** The whole file: the byte-order mark, a header line, one line per row. */
export function csvFile(header, rows) {
    return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}
/** Answers a CSV file as a download (never shown in the browser, never cached). */
export function sendCsv(reply, filename, csv) {
    return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(csv);
}
//# sourceMappingURL=csv.js.map
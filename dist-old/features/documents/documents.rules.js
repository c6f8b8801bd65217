import { documentTotals, lineAmounts } from '../../lib/money.js';
import { sniffType } from '../contact/contact.rules.js';
/*
 * What a financial document must be to be issued, as the operator's billing system sends it
 * (API, bulk import): pure rules, checked before anything is read or written.
 *
 * - Its figures add up the one way the portal computes them (`lib/money.ts`): each line's HT
 *   is quantity × unit price HT rounded half away from zero to the cent, its VAT that HT at its
 *   rate, its TTC their sum; the document's HT is the lines' summed, its VAT computed once per
 *   rate on that rate's HT (`documentTotals`), its TTC HT + VAT. A figure that differs is named
 *   with what the portal expects.
 * - A credit note names the invoice it corrects; an invoice corrects nothing. A period has a
 *   start and an end, in that order; a document is due on or after its issue.
 * - The ERP's PDF, the document of record, is a PDF by its first bytes (the contact form's
 *   sniffing) and at most DOCUMENT_PDF_MAX_BYTES.
 */
/** The largest PDF the ERP may send with a document (5 MiB, about 6.7 million base64 characters). */
export const DOCUMENT_PDF_MAX_BYTES = 5 * 1024 * 1024;
const TOTALS = ['total_ht_cents', 'total_vat_cents', 'total_ttc_cents'];
/** The highest VAT rate a line may have, in basis points (100 %). */
export const VAT_RATE_MAX_BP = 10_000;
/** Whether a line's quantity, unit price and rate are numbers the amounts can be computed from (else their own fields are refused). */
const computable = (l) => Number.isInteger(l.quantity_milli) && l.quantity_milli >= 1 && Number.isInteger(l.unit_price_ht_cents) && Number.isInteger(l.vat_rate_bp) && l.vat_rate_bp >= 0 && l.vat_rate_bp <= VAT_RATE_MAX_BP;
/**
 * Every rule the document breaks, in the order of its fields; none: it may be written. The
 * document's totals are checked against the lines as the portal computes them, so a wrong line
 * is named once, on the line.
 */
export function documentProblems(d) {
    const problems = [];
    const expected = d.lines.map((line) => (computable(line) ? Object.assign(lineAmounts(line.unit_price_ht_cents, line.quantity_milli, line.vat_rate_bp), { vat_rate_bp: line.vat_rate_bp }) : null));
    expected.forEach((amounts, i) => {
        for (const f of TOTALS) {
            if (amounts && d.lines[i][f] !== amounts[f])
                problems.push({ path: ['lines', i, f], code: 'sum', key: 'api.field.document.lineTotal', params: { expected: amounts[f] } });
        }
    });
    if (expected.every((a) => a !== null)) {
        const totals = documentTotals(expected);
        for (const f of TOTALS) {
            if (d[f] !== totals[f])
                problems.push({ path: [f], code: 'sum', key: 'api.field.document.total', params: { expected: totals[f] } });
        }
    }
    if (d.kind === 'credit_note' && !d.corrects)
        problems.push({ path: ['corrects'], code: 'required', key: 'api.field.document.correctsRequired' });
    if (d.kind === 'invoice' && d.corrects)
        problems.push({ path: ['corrects'], code: 'invalid', key: 'api.field.document.correctsInvoice' });
    if ((d.period_start === null) !== (d.period_end === null)) {
        problems.push({ path: [d.period_start === null ? 'period_start' : 'period_end'], code: 'required', key: 'api.field.document.periodBoth' });
    }
    else if (d.period_start !== null && d.period_end !== null && d.period_end < d.period_start) {
        problems.push({ path: ['period_end'], code: 'order', key: 'api.field.document.periodOrder' });
    }
    if (d.due_date !== null && d.due_date < d.issue_date)
        problems.push({ path: ['due_date'], code: 'order', key: 'api.field.document.dueBeforeIssue' });
    return problems;
}
// One character class, no repeated group: a regular expression that backtracks over groups overflows the stack on megabytes.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** The bytes of a base64 text (line breaks allowed, as MIME wraps it); null when it is not base64. */
export function decodeBase64(text) {
    const compact = text.replace(/[\r\n]/g, '');
    return compact.length % 4 === 0 && BASE64.test(compact) ? Buffer.from(compact, 'base64') : null;
}
/** Why these bytes cannot be a document's PDF, or null when they can. */
export function pdfProblem(bytes) {
    if (bytes.length > DOCUMENT_PDF_MAX_BYTES)
        return { code: 'too_big', key: 'api.field.document.pdfTooBig', params: { max: DOCUMENT_PDF_MAX_BYTES / 1024 / 1024 } };
    if (sniffType(bytes) !== 'application/pdf')
        return { code: 'format', key: 'api.field.document.pdf' };
    return null;
}
//# sourceMappingURL=documents.rules.js.map
import { isoDate, parisDate } from '../../lib/clock.js';
/** The history a customer sees: 5 years with paperless consent, 12 months without (the manual). */
export function historySince(now, paperless) {
    // The customer's calendar day is Paris's, not UTC's.
    const d = new Date(`${parisDate(now)}T12:00:00Z`);
    if (paperless)
        d.setUTCFullYear(d.getUTCFullYear() - 5);
    else
        d.setUTCMonth(d.getUTCMonth() - 12);
    return isoDate(d);
}
/**
 * Whether the PDF route serves a document: its PDF is stored and it is inside the customer's
 * history (issued on or after `since`). A document's number is a link to its PDF only then.
 */
export function pdfServed(doc, since) {
    return doc.pdf_sha256 !== null && doc.issue_date >= since;
}
//# sourceMappingURL=account.rules.js.map
import { printedOperator } from '../settings/settings.rules.js';
import { formatDate, formatDateTime, formatTime, translator } from '../../lib/i18n.js';
import { A4, BOLD, GREY, LEFT, LIGHT, MONO, REGULAR, RULE, WIDTH, drawFooters, paragraph, paragraphHeight, put, renderPdf, } from '../../lib/pdf.js';
import { friendlyIban } from './direct-debit.rules.js';
/** The creditor and the operator, as the operator's settings name them. */
export const mandateParties = (o) => ({
    creditor: { name: o.creditor_name, address: o.creditor_address, ics: o.creditor_id },
    operator: printedOperator(o, translator('fr')),
});
const BODY_BOTTOM = A4.height - 80;
const FOOTER_TOP = A4.height - 62;
/** A paragraph in which a line break stays one. */
const para = (doc, text, x, y, width, o = {}) => paragraph(doc, text, x, y, width, { ...o, keepBreaks: true });
const paraHeight = (doc, text, width, o = {}) => paragraphHeight(doc, text, width, { ...o, keepBreaks: true });
/** The title and metadata of a mandate PDF, dated `createdAt`. */
const mandateMeta = (lang, rum, creditor, createdAt) => {
    const title = `${translator(lang)('directDebit.text.title')} ${rum}`;
    return { title, subject: title, author: creditor, lang, createdAt };
};
/** A value in Courier when it is an account's identifier. */
const valueStyle = (o) => (o?.mono ? { font: MONO, size: 10.5 } : { font: REGULAR, size: 9.5 });
/** A titled, boxed block of `label: value` rows; returns the y below it. */
function block(doc, title, rows, top) {
    const labelW = 150;
    const valueW = WIDTH - labelW - 16;
    const heights = rows.map(([label, value, o]) => Math.max(paraHeight(doc, label, labelW - 6, { font: BOLD, size: 9 }), paraHeight(doc, value, valueW, valueStyle(o))));
    doc.rect(LEFT, top, WIDTH, 18).fill(LIGHT);
    put(doc, title, LEFT + 8, top + 5, { font: BOLD, size: 10 });
    let y = top + 24;
    rows.forEach(([label, value, o], i) => {
        para(doc, label, LEFT + 8, y, labelW - 6, { font: BOLD, size: 9 });
        para(doc, value, LEFT + 8 + labelW, y, valueW, valueStyle(o));
        y += (heights[i] ?? 12) + 5;
    });
    doc.lineWidth(0.8).strokeColor(RULE).rect(LEFT, top, WIDTH, y - top).stroke();
    return y;
}
function blockHeight(doc, rows) {
    const labelW = 150;
    const valueW = WIDTH - labelW - 16;
    return (24 +
        rows.reduce((s, [label, value, o]) => s + Math.max(paraHeight(doc, label, labelW - 6, { font: BOLD, size: 9 }), paraHeight(doc, value, valueW, valueStyle(o))) + 5, 0));
}
function header(doc, p) {
    const t = translator(p.lang);
    put(doc, p.operator.name, LEFT, 45, { font: BOLD, size: 12 });
    put(doc, t('directDebit.pdf.customer', { number: p.customerNumber }), LEFT, 45, { size: 9.5, align: 'right', width: WIDTH });
    let y = 80;
    y = put(doc, t('directDebit.text.title'), LEFT, y, { font: BOLD, size: 18 });
    // The rulebook's French title stays under a translated one.
    if (p.lang !== 'fr')
        y = put(doc, translator('fr')('directDebit.text.title'), LEFT, y, { size: 10, color: GREY });
    y += 6;
    y = para(doc, t('format.labelValue', { label: t('directDebit.text.rum'), value: p.rum }), LEFT, y, WIDTH, { font: BOLD, size: 11 });
    y += 2;
    y = para(doc, t('format.labelValue', { label: t('directDebit.text.paymentType'), value: t('directDebit.text.recurrent') }), LEFT, y, WIDTH, { size: 10 });
    y += 8;
    y = para(doc, t('directDebit.text.authorisation', { creditor: p.creditor.name }), LEFT, y, WIDTH, { size: 9.5 });
    return y + 10;
}
function creditorRows(p, lang) {
    const t = translator(lang);
    return [
        [t('directDebit.text.creditorName'), p.creditor.name],
        [t('directDebit.text.creditorAddress'), p.creditor.address],
        [t('directDebit.text.ics'), p.creditor.ics],
    ];
}
function footers(doc, p, lang) {
    const t = translator(lang);
    const o = p.operator;
    const lines = [`${o.name} – ${o.legalForm} – ${o.address} – SIREN ${o.siren}`, `${o.phone} – ${o.email} – ${o.website}`];
    drawFooters(doc, FOOTER_TOP, lines, (page, pages) => t('directDebit.pdf.page', { page, pages }), 2);
}
/** Starts a new page when `needed` points do not fit below `y`. */
function room(doc, y, needed) {
    if (y + needed <= BODY_BOTTOM)
        return y;
    doc.addPage();
    return 45;
}
/** The notes under a mandate, each on the page where it fits whole. */
function notesBelow(doc, y, notes) {
    for (const n of notes) {
        y = room(doc, y, paraHeight(doc, n.text, WIDTH, n) + 4);
        y = para(doc, n.text, LEFT, y, WIDTH, n) + 4;
    }
}
/** The signed mandate, as the customer signed it (in their language), with the full IBAN. */
export function renderSignedMandatePdf(input) {
    const t = translator(input.lang);
    return renderPdf(mandateMeta(input.lang, input.rum, input.creditor.name, new Date(input.signedAt)), (doc) => {
        let y = header(doc, input);
        y = block(doc, t('directDebit.text.creditor'), creditorRows(input, input.lang), y) + 10;
        const debtor = [
            [t('directDebit.pdf.debtorName'), input.holderName],
            [t('directDebit.pdf.debtorAddress'), input.holderAddress.join('\n')],
            [t('directDebit.pdf.iban'), friendlyIban(input.iban), { mono: true }],
            [t('directDebit.pdf.bic'), input.bic ?? t('directDebit.none'), { mono: input.bic !== null }],
        ];
        y = room(doc, y, blockHeight(doc, debtor));
        y = block(doc, t('directDebit.pdf.debtor'), debtor, y) + 10;
        const contracts = input.contracts.map((c) => t('directDebit.contract', { number: c.number, carPark: c.carPark })).join('\n');
        const signature = [
            [t('directDebit.pdf.contracts'), contracts],
            [t('directDebit.field.place'), input.place],
            [t('directDebit.field.signed'), formatDateTime(input.signedAt, input.lang)],
        ];
        y = room(doc, y, blockHeight(doc, signature));
        y = block(doc, t('directDebit.pdf.signature'), signature, y) + 8;
        const notes = [
            { text: t('directDebit.pdf.signedAt', { place: input.place, date: formatDate(input.signedAt, input.lang), time: formatTime(input.signedAt, input.lang) }), font: BOLD, size: 9.5 },
            {
                text: t('directDebit.pdf.evidence', {
                    sentAt: formatDateTime(input.evidence.sentAt, input.lang),
                    address: input.evidence.sentTo,
                    confirmedAt: formatDateTime(input.evidence.confirmedAt, input.lang),
                    ip: input.evidence.ip ?? '—',
                }),
                font: REGULAR,
                size: 9,
            },
            { text: t('directDebit.pdf.status'), font: REGULAR, size: 9 },
            { text: t('directDebit.text.rights'), font: REGULAR, size: 8.5 },
            { text: t('directDebit.text.privacy', { creditor: input.creditor.name }), font: REGULAR, size: 8.5 },
        ];
        notesBelow(doc, y, notes);
        footers(doc, input, input.lang);
    });
}
/** Rows of empty character boxes, in groups of the given sizes; returns the y below. */
function boxes(doc, groups, x, y) {
    const size = 12.5;
    const gap = 5;
    let at = x;
    doc.lineWidth(0.8).strokeColor('black');
    for (const count of groups) {
        for (let i = 0; i < count; i++) {
            doc.rect(at, y, size, size + 3).stroke();
            at += size;
        }
        at += gap;
    }
    return y + size + 3;
}
/** The paper form: the customer's name, address and paper RUM pre-filled; IBAN, BIC, place, date and signature to fill in by hand. */
export function renderPaperMandatePdf(input) {
    const t = translator(input.lang);
    return renderPdf(mandateMeta(input.lang, input.rum, input.creditor.name, new Date(`${input.date}T00:00:00.000Z`)), (doc) => {
        let y = header(doc, input);
        y = block(doc, t('directDebit.text.creditor'), creditorRows(input, input.lang), y) + 10;
        // The debtor: printed name and address, then the boxes.
        const debtorTop = y;
        doc.rect(LEFT, y, WIDTH, 18).fill(LIGHT);
        put(doc, t('directDebit.pdf.debtor'), LEFT + 8, y + 5, { font: BOLD, size: 10 });
        y += 24;
        y = put(doc, t('directDebit.pdf.debtorName'), LEFT + 8, y, { font: BOLD, size: 9 });
        y = para(doc, input.holderName, LEFT + 8, y + 1, WIDTH - 16, { size: 10 }) + 4;
        y = put(doc, t('directDebit.pdf.debtorAddress'), LEFT + 8, y, { font: BOLD, size: 9 });
        y = para(doc, input.holderAddress.join('\n'), LEFT + 8, y + 1, WIDTH - 16, { size: 10 }) + 6;
        y = put(doc, t('directDebit.pdf.iban'), LEFT + 8, y, { font: BOLD, size: 9 });
        y = boxes(doc, [4, 4, 4, 4, 4, 4, 4, 4, 2], LEFT + 8, y + 2) + 4;
        y = put(doc, t('directDebit.paper.ibanHint'), LEFT + 8, y, { size: 8, color: GREY }) + 4;
        y = put(doc, t('directDebit.pdf.bic'), LEFT + 8, y, { font: BOLD, size: 9 });
        y = boxes(doc, [11], LEFT + 8, y + 2) + 4;
        y = put(doc, t('directDebit.paper.bicHint'), LEFT + 8, y, { size: 8, color: GREY }) + 6;
        doc.lineWidth(0.8).strokeColor(RULE).rect(LEFT, debtorTop, WIDTH, y - debtorTop).stroke();
        y += 10;
        // The contracts to pay this way, with a box to tick.
        if (input.contracts.length > 0) {
            y = room(doc, y, 30 + 16 * input.contracts.length);
            y = put(doc, t('directDebit.pdf.contracts'), LEFT, y, { font: BOLD, size: 10 });
            y = put(doc, t('directDebit.paper.contractsHint'), LEFT, y, { size: 8.5, color: GREY }) + 3;
            for (const c of input.contracts) {
                doc.lineWidth(0.8).strokeColor('black').rect(LEFT, y, 10, 10).stroke();
                y = put(doc, t('directDebit.contract', { number: c.number, carPark: c.carPark }), LEFT + 16, y, { size: 9.5 }) + 3;
            }
            y += 8;
        }
        // Place, date, signature.
        y = room(doc, y, 120);
        put(doc, t('format.label', { label: t('directDebit.paper.place') }), LEFT, y + 4, { font: BOLD, size: 10 });
        doc.lineWidth(0.8).strokeColor('black').moveTo(LEFT + 50, y + 16).lineTo(LEFT + 230, y + 16).stroke();
        put(doc, t('format.label', { label: t('directDebit.paper.date') }), LEFT + 260, y + 4, { font: BOLD, size: 10 });
        boxes(doc, [2, 2, 4], LEFT + 300, y);
        y += 28;
        y = put(doc, t('directDebit.paper.signature'), LEFT, y, { font: BOLD, size: 10 }) + 2;
        doc.lineWidth(0.8).strokeColor('black').rect(LEFT, y, 260, 60).stroke();
        y += 70;
        const notes = [
            { text: t('directDebit.paper.return', { name: input.operator.name, address: input.operator.address }), font: BOLD, size: 10 },
            { text: t('directDebit.paper.validation'), font: REGULAR, size: 9 },
            { text: t('directDebit.text.rights'), font: REGULAR, size: 8.5 },
            { text: t('directDebit.text.privacy', { creditor: input.creditor.name }), font: REGULAR, size: 8.5 },
        ];
        notesBelow(doc, y, notes);
        footers(doc, input, input.lang);
    });
}
//# sourceMappingURL=direct-debit.pdf.js.map
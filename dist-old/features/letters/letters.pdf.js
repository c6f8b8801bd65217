import { formatDate, formatDateLong, translator } from '../../lib/i18n.js';
import { A4, BOLD, GREY, MONO, REGULAR, RULE, paragraph, put, renderPdf, winAnsi } from '../../lib/pdf.js';
import { CUSTOMER_MIN_LENGTH } from '../../lib/passwords.js';
import { personName } from '../documents/documents.pdf.js';
/*
 * The temporary-password letter, one A4 page per customer, in the customer's language, drawn
 * for a French window envelope DL (110 × 220 mm) with its window on the right — 100 × 45 mm,
 * 100 mm from the envelope's left edge and 15 mm above its bottom, so 50 mm from its top —
 * the sheet folded in three (fold marks at 99 and 198 mm). The addressee block starts
 * 105 mm from the sheet's left edge and 50 mm from its top, at most 90 mm wide and six
 * lines (about 27 mm): it stays inside the window at every position the sheet can slip to.
 * The sender block (top left, 20 mm / 15 mm) stays out of it. The address is written the
 * way La Poste asks (NF Z 10-011): postcode and town on one line, the country on its own
 * line only when it is not France; civilities in French, as on every envelope posted here.
 *
 * The password is in Courier (0/O and 1/l/I differ, and the alphabet has none of them
 * anyway, `lib/passwords.ts`). It exists in this PDF only: nothing else keeps it.
 */
const mm = (v) => (v * 72) / 25.4;
export const WINDOW = { left: mm(105), top: mm(50), width: mm(90) };
const SENDER = { left: mm(20), top: mm(15) };
const MARGIN = mm(20);
const TEXT_WIDTH = A4.width - 2 * MARGIN;
/** The address lines of a letter, the postal way: the country only when it is not France. */
export function postalLines(c) {
    const abroad = c.country.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toUpperCase() !== 'FRANCE';
    return [c.address_line1, ...(c.address_line2 ? [c.address_line2] : []), `${c.postal_code} ${c.city}`, ...(abroad && c.country ? [c.country.toUpperCase()] : [])];
}
const fr = translator('fr');
/** All the letters in one PDF, one page each, for the print shop. `loginUrl`: the portal's login page. */
export function renderLetters(sender, loginUrl, letters, createdAt) {
    if (letters.length === 0)
        throw new Error('No letter to render');
    const title = fr('letters.pdf.title', { count: letters.length });
    return renderPdf({ title, subject: title, author: sender.name, lang: 'fr', createdAt }, (doc) => {
        letters.forEach((letter, i) => {
            if (i > 0)
                doc.addPage();
            drawLetter(doc, sender, loginUrl, letter);
        });
    });
}
function drawLetter(doc, sender, loginUrl, l) {
    const t = translator(l.lang);
    // Fold marks, in the left margin.
    for (const y of [mm(99), mm(198)])
        doc.moveTo(mm(4), y).lineTo(mm(9), y).lineWidth(0.5).strokeColor(RULE).stroke();
    // The sender, top left.
    let y = put(doc, sender.name, SENDER.left, SENDER.top, { font: BOLD, size: 12 });
    for (const line of [sender.address, t('letters.pdf.phone', { phone: sender.phone }), t('letters.pdf.email', { email: sender.email }), new URL(sender.website).host]) {
        y = put(doc, line, SENDER.left, y, { size: 9 });
    }
    // The addressee, in the window.
    let ay = WINDOW.top;
    const addressee = (text, bold = false) => {
        let size = 10.5;
        const font = bold ? BOLD : REGULAR;
        while (size > 7 && doc.font(font).fontSize(size).widthOfString(winAnsi(text)) > WINDOW.width)
            size -= 0.5;
        ay = put(doc, text, WINDOW.left, ay, { font, size });
    };
    if (l.kind === 'business' && l.companyName) {
        addressee(l.companyName, true);
        addressee(fr('documents.pdf.attention', { name: personName(l) }));
    }
    else
        addressee(personName(l), true);
    for (const line of l.addressLines)
        addressee(line);
    // Date, subject, customer number.
    put(doc, t('letters.pdf.date', { date: formatDateLong(l.date, l.lang) }), WINDOW.left, mm(95), { size: 10 });
    y = mm(110);
    y = put(doc, t('letters.pdf.subject'), MARGIN, y, { font: BOLD, size: 12 });
    y = put(doc, t('letters.pdf.number', { number: l.number }), MARGIN, y + 2, { size: 10 });
    y += 14;
    y = paragraph(doc, t('letters.pdf.greeting'), MARGIN, y, TEXT_WIDTH, { size: 10.5 }) + 6;
    y = paragraph(doc, t('letters.pdf.intro', { operator: sender.name }), MARGIN, y, TEXT_WIDTH, { size: 10.5 }) + 12;
    // The credentials, boxed.
    const boxTop = y;
    const inner = MARGIN + 12;
    const valueX = MARGIN + mm(62);
    y += 12;
    put(doc, t('letters.pdf.login'), inner, y + 1, { size: 10.5 });
    y = put(doc, l.number, valueX, y, { font: BOLD, size: 13 }) + 6;
    put(doc, t('letters.pdf.password'), inner, y + 2, { size: 10.5 });
    y = put(doc, l.password, valueX, y, { font: MONO, size: 16 }) + 6;
    put(doc, t('letters.pdf.expires'), inner, y, { size: 10.5 });
    y = put(doc, formatDate(l.expiresAt, l.lang), valueX, y, { font: BOLD, size: 10.5 }) + 8;
    y = paragraph(doc, t('letters.pdf.characters'), inner, y, TEXT_WIDTH - 24, { size: 8.5, color: GREY }) + 10;
    doc.lineWidth(1.2).strokeColor('black').rect(MARGIN, boxTop, TEXT_WIDTH, y - boxTop).stroke();
    // How to log in the first time (the manual's steps).
    y += 16;
    y = put(doc, t('letters.pdf.how'), MARGIN, y, { font: BOLD, size: 11 }) + 4;
    const steps = [
        t('letters.pdf.step1', { url: loginUrl }),
        t('letters.pdf.step2'),
        t('letters.pdf.step3', { min: CUSTOMER_MIN_LENGTH }),
        t('letters.pdf.step4'),
    ];
    steps.forEach((step, i) => {
        put(doc, `${i + 1}.`, MARGIN + 4, y, { size: 10.5 });
        y = paragraph(doc, step, MARGIN + 20, y, TEXT_WIDTH - 20, { size: 10.5 }) + 4;
    });
    y += 8;
    y = paragraph(doc, t('letters.pdf.replaces'), MARGIN, y, TEXT_WIDTH, { size: 10.5 }) + 6;
    y = paragraph(doc, t('letters.pdf.help', { phone: sender.phone, email: sender.email }), MARGIN, y, TEXT_WIDTH, { size: 10.5 }) + 14;
    put(doc, t('letters.pdf.signature', { operator: sender.name }), MARGIN, y, { size: 10.5 });
    // The operator's identity, at the foot of the page.
    const foot = t('mail.signature.identity', { operator: sender.name, legalForm: sender.legalForm, address: sender.address, siren: sender.siren });
    let size = 7.5;
    while (size > 5 && doc.font(REGULAR).fontSize(size).widthOfString(winAnsi(foot)) > TEXT_WIDTH)
        size -= 0.5;
    doc.moveTo(MARGIN, A4.height - mm(18)).lineTo(A4.width - MARGIN, A4.height - mm(18)).lineWidth(0.5).strokeColor(RULE).stroke();
    put(doc, foot, MARGIN, A4.height - mm(16), { size, color: GREY, align: 'center', width: TEXT_WIDTH });
}
//# sourceMappingURL=letters.pdf.js.map
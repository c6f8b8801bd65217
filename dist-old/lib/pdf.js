import { createHash } from 'node:crypto';
import { translator } from './i18n.js';
let pdfkitLoaded;
/**
 * pdfkit and what it brings (fontkit, its tables: some 25 MB), loaded by the first PDF made,
 * not at start: most processes serving pages render none.
 */
const pdfkit = async () => (pdfkitLoaded ??= (await import('pdfkit')).default);
export const A4 = { width: 595.28, height: 841.89 };
export const LEFT = 50;
export const RIGHT = A4.width - 50;
export const WIDTH = RIGHT - LEFT;
export const REGULAR = 'Helvetica';
export const BOLD = 'Helvetica-Bold';
export const MONO = 'Courier-Bold';
export const GREY = '#555555';
export const LIGHT = '#eeeeee';
export const RULE = '#999999';
// Unicode code points WinAnsi encodes above Latin-1 (pdfkit's map).
const WIN_ANSI_EXTRA = new Set([
    0x152, 0x153, 0x160, 0x161, 0x178, 0x17d, 0x17e, 0x192, 0x2c6, 0x2dc, 0x2013, 0x2014, 0x2018, 0x2019, 0x201a,
    0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);
/** Letters that do not decompose into a base letter and an accent. */
const LOOKALIKES = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l' };
/**
 * Text that the standard fonts can draw: the narrow and ordinary no-break spaces become
 * spaces, other characters outside WinAnsi lose their accents or become `?`.
 */
export function winAnsi(text) {
    let out = '';
    for (const ch of text.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/[\u2010\u2011\u2212]/g, '-')) {
        const cp = ch.codePointAt(0);
        if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa1 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp)) {
            out += ch;
        }
        else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) {
            out += ' ';
        }
        else {
            const base = (LOOKALIKES[ch] ?? ch).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
            out += /^[\x20-\x7e]+$/.test(base) ? base : '?';
        }
    }
    return out;
}
/** Whether documents get the shared fonts and images (false: pdfkit's own way, for the test that both give the same bytes). */
export const sharedPdfResources = { enabled: true };
const STANDARD_FONTS = new Set([REGULAR, BOLD, MONO, 'Courier', 'Helvetica-Oblique', 'Helvetica-BoldOblique', 'Courier-Oblique', 'Courier-BoldOblique', 'Times-Roman', 'Times-Bold', 'Times-Italic', 'Times-BoldItalic', 'Symbol', 'ZapfDingbats']);
/** Strings measured and encoded per font; forgotten all at once past this many. */
const REMEMBERED_MAX = 10_000;
const fontTemplates = new Map();
/** The font object pdfkit makes for a standard font, made once, with its metrics made faster to read. */
function fontTemplate(PDFDocument, name) {
    const held = fontTemplates.get(name);
    if (held)
        return held;
    const template = new PDFDocument({ font: name, autoFirstPage: false })._font;
    // Kerning by left then right glyph: the same amounts without building a key string per pair.
    const metrics = template.font;
    const kerning = new Map();
    for (const [pair, amount] of Object.entries(metrics.kernPairs)) {
        const [left, right] = pair.split('\0');
        let row = kerning.get(left);
        if (!row)
            kerning.set(left, (row = new Map()));
        row.set(right, amount);
    }
    metrics.getKernPair = (left, right) => (right === undefined ? undefined : kerning.get(left)?.get(right)) || 0;
    const remembered = (compute) => {
        const values = new Map();
        return (s) => {
            let value = values.get(s);
            if (value === undefined) {
                value = compute(s);
                if (values.size >= REMEMBERED_MAX)
                    values.clear();
                values.set(s, value);
            }
            return value;
        };
    };
    // A string's width at 1000 points is the sum pdfkit computes; at `size`, that sum × size / 1000, as pdfkit scales it.
    const proto = Object.getPrototypeOf(template);
    const width = remembered((s) => proto.widthOfString.call(template, s, 1000));
    template.widthOfString = (text, size) => width(`${text}`) * (size / 1000);
    // A string's glyph codes and advances, which pdfkit only reads.
    template.encode = remembered((s) => proto.encode.call(template, s));
    template.document = null;
    fontTemplates.set(name, template);
    return template;
}
/**
 * A document whose standard fonts are lent from their templates: pdfkit's `font(name)` finds the
 * font already among the document's, given the id pdfkit would have given it at that moment.
 */
function shareStandardFonts(PDFDocument, doc) {
    const d = doc;
    const font = d.font;
    d.font = function (src, family, size) {
        if (typeof src === 'string' && STANDARD_FONTS.has(src) && (family == null || typeof family === 'number') && !this._registeredFonts[src] && !this._fontFamilies[src]) {
            const template = fontTemplate(PDFDocument, src);
            this._fontFamilies[src] = Object.assign(Object.create(Object.getPrototypeOf(template)), template, { document: this, id: `F${++this._fontCount}` });
        }
        return font.call(this, src, family, size);
    };
}
/*
 * An image (the operator's logo) is made ready for PDF once: pdfkit inflates a PNG, splits its
 * alpha channel out and deflates both again — more work than the rest of an invoice. pdfkit
 * does it once, on a stand-in document that records what it writes: the PDF objects made, their
 * dictionaries and streams, in order, those written at once and those written when decoding
 * ends (after the drawing). Each document then has the same objects written at the same moments.
 */
/** One PDF object of an image while pdfkit makes it ready, on the stand-in document. */
class RecordedObject {
    index;
    data;
    onEnd;
    constructor(index, data, onEnd) {
        this.index = index;
        this.data = data;
        this.onEnd = onEnd;
    }
    end(chunk) {
        this.onEnd(this, chunk);
    }
}
/** Dictionaries copied as they were at that step (pdfkit adds to them later), objects left as references. */
function snapshot(value, object = (o) => o) {
    if (value instanceof RecordedObject)
        return object(value);
    if (Array.isArray(value))
        return value.map((v) => snapshot(v, object));
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v, object)]));
    }
    return value;
}
/** What pdfkit makes of these bytes, recorded; null when pdfkit cannot read them. */
async function prepareImage(bytes) {
    const now = [];
    const later = [];
    let steps = now;
    let image;
    let made;
    const ready = new Promise((resolve) => (made = resolve));
    const PDFDocument = await pdfkit();
    const objects = [];
    const onEnd = (o, chunk) => {
        steps.push({ end: o.index, data: snapshot(o.data), chunk });
        if (o === image.obj)
            made();
    };
    const standIn = {
        ref(data = {}) {
            const o = new RecordedObject(objects.length, data, onEnd);
            objects.push(o);
            steps.push({ make: o.index, data: snapshot(data) });
            return o;
        },
    };
    try {
        image = new PDFDocument({ autoFirstPage: false }).openImage(bytes);
        image.embed(standIn);
    }
    catch {
        return null;
    }
    steps = later;
    await ready;
    const obj = objects.indexOf(image.obj);
    return { width: image.width, height: image.height, orientation: image.orientation, obj, now, later };
}
/** The recorded image as pdfkit's `image()` takes an image: its objects made in `doc` as pdfkit would have made them. */
function replayedImage(doc, p) {
    const made = [];
    const real = (value) => snapshot(value, (o) => made[o.index]);
    const run = (steps) => {
        for (const step of steps) {
            if ('make' in step)
                made[step.make] = doc.ref(real(step.data));
            else {
                const o = made[step.end];
                o.data = real(step.data);
                o.end(step.chunk);
            }
        }
    };
    const d = doc;
    return {
        width: p.width,
        height: p.height,
        ...(p.orientation === undefined ? {} : { orientation: p.orientation }),
        label: `I${++d._imageCount}`,
        obj: null,
        embed() {
            run(p.now);
            this.obj = made[p.obj];
            if (p.later.length > 0)
                setImmediate(() => run(p.later));
        },
    };
}
const preparedImages = new Map();
/** An image (PNG or JPEG bytes) made ready once for every PDF that draws it; null when pdfkit cannot read it. */
export async function pdfImage(bytes) {
    if (!sharedPdfResources.enabled)
        return { bytes, prepared: null };
    const key = createHash('sha256').update(bytes).digest('hex');
    let prepared = preparedImages.get(key);
    if (!prepared) {
        // A logo or two: more means the operator changed it, and the old ones are done with.
        if (preparedImages.size >= 4)
            preparedImages.clear();
        prepared = prepareImage(bytes);
        preparedImages.set(key, prepared);
    }
    const p = await prepared;
    return p ? { bytes, prepared: p } : null;
}
/** Draws the image as `doc.image` does; an image pdfkit cannot read is left out. */
export function drawImage(doc, image, x, y, options) {
    try {
        // pdfkit's `image()` takes an image object it made itself (`width` and `height`) as it is.
        doc.image((image.prepared ? replayedImage(doc, image.prepared) : image.bytes), x, y, options);
    }
    catch {
        /* left out */
    }
}
/**
 * Renders a PDF drawn by `draw`. Its metadata (and so its file ID, a hash of them) depends on
 * the arguments only: `createdAt` is a date of the document, never the clock.
 */
export function renderPdf(meta, draw) {
    if (Number.isNaN(meta.createdAt.getTime()))
        throw new Error('Invalid PDF date');
    return pdfkit().then((PDFDocument) => drawPdf(PDFDocument, meta, draw));
}
function drawPdf(PDFDocument, meta, draw) {
    const shared = sharedPdfResources.enabled;
    const doc = new PDFDocument({
        // pdfkit's default font, Helvetica, is set below, once the document shares the fonts.
        ...(shared ? { font: null } : {}),
        size: [A4.width, A4.height],
        margins: { top: 45, left: LEFT, right: A4.width - RIGHT, bottom: 20 },
        bufferPages: true,
        lang: meta.lang === 'fr' ? 'fr-FR' : 'en-GB',
        displayTitle: true,
        info: {
            Title: winAnsi(meta.title),
            Author: winAnsi(meta.author),
            Subject: winAnsi(meta.subject),
            // The product's name, the same in every PDF whatever its language: its bytes depend on it.
            Creator: translator('fr')('site.title'),
            Producer: 'PDFKit',
            CreationDate: meta.createdAt,
        },
    });
    if (shared) {
        shareStandardFonts(PDFDocument, doc);
        doc.font(REGULAR, null);
    }
    const chunks = [];
    const done = new Promise((resolve, reject) => {
        doc.on('data', (c) => chunks.push(c));
        doc.on('end', () => resolve(Buffer.concat(chunks)));
        doc.on('error', reject);
    });
    try {
        draw(doc);
        doc.end();
    }
    catch (e) {
        doc.end();
        return done.then(() => Promise.reject(e), () => Promise.reject(e));
    }
    return done;
}
/** One line of text at (x, y), never wrapped, never paginated; right-aligned or centred within `width` if asked. Returns the y below it. */
export function put(doc, text, x, y, o = {}) {
    const s = winAnsi(text);
    doc
        .font(o.font ?? REGULAR)
        .fontSize(o.size ?? 9.5)
        .fillColor(o.color ?? 'black');
    let at = x;
    if (o.align && o.align !== 'left' && o.width !== undefined) {
        const w = doc.widthOfString(s);
        at = o.align === 'right' ? x + o.width - w : x + (o.width - w) / 2;
    }
    doc.text(s, at, y, { lineBreak: false });
    return y + doc.currentLineHeight(true);
}
const drawable = (text, keepBreaks = false) => (keepBreaks ? text.split('\n').map(winAnsi).join('\n') : winAnsi(text));
/** A paragraph wrapped within `width`; returns the y below it. The caller keeps it inside the body. */
export function paragraph(doc, text, x, y, width, o = {}) {
    const s = drawable(text, o.keepBreaks);
    doc
        .font(o.font ?? REGULAR)
        .fontSize(o.size ?? 9.5)
        .fillColor(o.color ?? 'black');
    const h = doc.heightOfString(s, { width });
    doc.text(s, x, y, { width });
    return y + h;
}
export function paragraphHeight(doc, text, width, o = {}) {
    return doc
        .font(o.font ?? REGULAR)
        .fontSize(o.size ?? 9.5)
        .heightOfString(drawable(text, o.keepBreaks), { width });
}
/**
 * The footer of every page: a rule at `top`, the `lines` centred (each made smaller until it
 * fits the width), then the page number, right-aligned, `gap` below them.
 */
export function drawFooters(doc, top, lines, pageLabel, gap) {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        doc.moveTo(LEFT, top).lineTo(RIGHT, top).lineWidth(0.5).strokeColor(RULE).stroke();
        let y = top + 6;
        for (const l of lines) {
            let size = 7.5;
            while (size > 5 && doc.font(REGULAR).fontSize(size).widthOfString(winAnsi(l)) > WIDTH)
                size -= 0.5;
            y = put(doc, l, LEFT, y, { size, align: 'center', width: WIDTH, color: GREY });
        }
        put(doc, pageLabel(i - range.start + 1, range.count), LEFT, y + gap, { size: 7.5, align: 'right', width: WIDTH, color: GREY });
    }
}
/** Sends a PDF as a download, never cached. */
export function sendPdf(reply, filename, pdf) {
    return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('content-length', String(pdf.length))
        .header('cache-control', 'no-store')
        .send(pdf);
}
//# sourceMappingURL=pdf.js.map
import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Language } from '../db/schema.ts';
import { translator } from './i18n.ts';

/*
 * What every PDF of the portal (invoices and credit notes, SEPA mandates) is drawn with: an
 * A4 page, the PDF standard fonts Helvetica/Courier (nothing embedded: they cover WinAnsi,
 * which has the French accents, €, ’, « »; anything outside it is replaced before drawing),
 * and no clock or randomness — the same input gives the same bytes. A PDF that must be PDF/A
 * (a business customer's Factur-X) embeds its fonts instead (`fonts: 'embedded'`).
 */

export type PdfDoc = PDFKit.PDFDocument;

type PdfKit = typeof import('pdfkit');
let pdfkitLoaded: PdfKit | undefined;
/**
 * pdfkit and what it brings (fontkit, its tables: some 25 MB), loaded by the first PDF made,
 * not at start: most processes serving pages render none.
 */
const pdfkit = async (): Promise<PdfKit> => (pdfkitLoaded ??= (await import('pdfkit')).default);

export const A4 = { width: 595.28, height: 841.89 };
export const LEFT = 50;
export const RIGHT = A4.width - 50;
export const WIDTH = RIGHT - LEFT;

/*
 * A PDF/A file must carry every font it uses. Embedded, the three names below draw with Arimo
 * and Cousine (SIL Open Font License, from the `@expo-google-fonts` packages), whose widths are
 * those of Helvetica/Arial and Courier: the same text takes the same room, so the layout, its
 * measurements and its page breaks are those of the standard fonts. pdfkit embeds the glyphs a
 * document uses (a subset).
 */
const EMBEDDED_FONT_FILES = {
  Helvetica: '@expo-google-fonts/arimo/400Regular/Arimo_400Regular.ttf',
  'Helvetica-Bold': '@expo-google-fonts/arimo/700Bold/Arimo_700Bold.ttf',
  'Courier-Bold': '@expo-google-fonts/cousine/700Bold/Cousine_700Bold.ttf',
} as const;
type EmbeddedFont = import('fontkit').Font;
let embeddedFontsLoaded: Promise<Array<[string, EmbeddedFont]>> | undefined;
/**
 * The fonts read and parsed once per process (fontkit), then handed to each document's
 * `registerFont`: parsing them for every document cost some 50 ms each, 25 times a plain page.
 * Sharing them is safe: a document draws and subsets them synchronously.
 */
function embeddedFonts(): Promise<Array<[string, EmbeddedFont]>> {
  return (embeddedFontsLoaded ??= (async () => {
    const { createRequire } = await import('node:module');
    const { readFile } = await import('node:fs/promises');
    const fontkit = await import('fontkit');
    const require = createRequire(import.meta.url);
    return Promise.all(
      Object.entries(EMBEDDED_FONT_FILES).map(async ([name, file]) => [name, fontkit.create(await readFile(require.resolve(file))) as EmbeddedFont] as [string, EmbeddedFont]),
    );
  })());
}

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
const LOOKALIKES: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l' };

/**
 * Text that the standard fonts can draw: the narrow and ordinary no-break spaces become
 * spaces, other characters outside WinAnsi lose their accents or become `?`.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.replace(/[\u00a0\u2007\u2009\u202f]/g, ' ').replace(/[\u2010\u2011\u2212]/g, '-')) {
    const cp = ch.codePointAt(0) as number;
    if ((cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa1 && cp <= 0xff) || WIN_ANSI_EXTRA.has(cp)) {
      out += ch;
    } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0)) {
      out += ' ';
    } else {
      const base = (LOOKALIKES[ch] ?? ch).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += /^[\x20-\x7e]+$/.test(base) ? base : '?';
    }
  }
  return out;
}

// ---------------------------------------------------------------- what every PDF shares

/*
 * pdfkit prepares again, in every document, what is the same in all of them: each document
 * parses its own copy of a standard font's metrics (the widths and the thousands of kerning
 * pairs of Helvetica), and measures the same strings again (column titles, labels, the
 * footer). Rendering thousands of invoices, that was a third of the time. The metrics are
 * prepared once per font and lent to each document as the font object pdfkit would have made
 * (its own id, its own PDF object, made when first used), with a faster kerning table and the
 * strings' widths remembered — the same numbers, so the same bytes: `documents.test.ts`
 * renders documents both ways and compares them byte for byte.
 */

/** What of pdfkit's internals the sharing reads and writes (pdfkit 0.20). */
interface AfmMetrics {
  kernPairs: Record<string, number>;
  getKernPair(left: string, right?: string): number;
}
interface StandardFontObject {
  name: string;
  id: string;
  document: unknown;
  font: AfmMetrics;
  widthOfString(text: string, size: number): number;
  encode(text: string): [string[], object[]];
}
interface DocInternals {
  _font: StandardFontObject | null;
  _fontCount: number;
  _fontFamilies: Record<string, StandardFontObject>;
  _registeredFonts: Record<string, unknown>;
  font(src: unknown, family?: unknown, size?: unknown): unknown;
}

/** Whether documents get the shared fonts and images (false: pdfkit's own way, for the test that both give the same bytes). */
export const sharedPdfResources = { enabled: true };

const STANDARD_FONTS = new Set([REGULAR, BOLD, MONO, 'Courier', 'Helvetica-Oblique', 'Helvetica-BoldOblique', 'Courier-Oblique', 'Courier-BoldOblique', 'Times-Roman', 'Times-Bold', 'Times-Italic', 'Times-BoldItalic', 'Symbol', 'ZapfDingbats']);
/** Strings measured and encoded per font; forgotten all at once past this many. */
const REMEMBERED_MAX = 10_000;
const fontTemplates = new Map<string, StandardFontObject>();

/** The font object pdfkit makes for a standard font, made once, with its metrics made faster to read. */
function fontTemplate(PDFDocument: PdfKit, name: string): StandardFontObject {
  const held = fontTemplates.get(name);
  if (held) return held;
  const template = (new PDFDocument({ font: name, autoFirstPage: false }) as unknown as DocInternals)._font as StandardFontObject;
  // Kerning by left then right glyph: the same amounts without building a key string per pair.
  const metrics = template.font;
  const kerning = new Map<string, Map<string, number>>();
  for (const [pair, amount] of Object.entries(metrics.kernPairs)) {
    const [left, right] = pair.split('\0') as [string, string];
    let row = kerning.get(left);
    if (!row) kerning.set(left, (row = new Map()));
    row.set(right, amount);
  }
  metrics.getKernPair = (left, right) => (right === undefined ? undefined : kerning.get(left)?.get(right)) || 0;
  const remembered = <T>(compute: (s: string) => T) => {
    const values = new Map<string, T>();
    return (s: string): T => {
      let value = values.get(s);
      if (value === undefined) {
        value = compute(s);
        if (values.size >= REMEMBERED_MAX) values.clear();
        values.set(s, value);
      }
      return value;
    };
  };
  // A string's width at 1000 points is the sum pdfkit computes; at `size`, that sum × size / 1000, as pdfkit scales it.
  const proto = Object.getPrototypeOf(template) as StandardFontObject;
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
function shareStandardFonts(PDFDocument: PdfKit, doc: PdfDoc): void {
  const d = doc as unknown as DocInternals;
  const font = d.font;
  d.font = function (this: DocInternals, src: unknown, family?: unknown, size?: unknown) {
    if (typeof src === 'string' && STANDARD_FONTS.has(src) && (family == null || typeof family === 'number') && !this._registeredFonts[src] && !this._fontFamilies[src]) {
      const template = fontTemplate(PDFDocument, src);
      this._fontFamilies[src] = Object.assign(Object.create(Object.getPrototypeOf(template)) as StandardFontObject, template, { document: this, id: `F${++this._fontCount}` });
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
  constructor(
    readonly index: number,
    public data: Record<string, unknown>,
    readonly onEnd: (o: RecordedObject, chunk?: Uint8Array) => void,
  ) {}
  end(chunk?: Uint8Array) {
    this.onEnd(this, chunk);
  }
}

type Step = { make: number; data: unknown } | { end: number; data: unknown; chunk: Uint8Array | undefined };

interface PreparedImage {
  width: number;
  height: number;
  orientation: number | undefined;
  /** The image's own object among those made. */
  obj: number;
  /** Steps taken when the image is first drawn, and when decoding ends. */
  now: Step[];
  later: Step[];
}

/** Dictionaries copied as they were at that step (pdfkit adds to them later), objects left as references. */
function snapshot<T>(value: T, object: (o: RecordedObject) => unknown = (o) => o): T {
  if (value instanceof RecordedObject) return object(value) as T;
  if (Array.isArray(value)) return value.map((v) => snapshot(v, object)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v, object)])) as T;
  }
  return value;
}

interface PdfKitImage {
  width: number;
  height: number;
  orientation?: number;
  obj: unknown;
  embed(document: unknown): void;
}

/** What pdfkit makes of these bytes, recorded; null when pdfkit cannot read them. */
async function prepareImage(bytes: Buffer): Promise<PreparedImage | null> {
  const now: Step[] = [];
  const later: Step[] = [];
  let steps = now;
  let image: PdfKitImage;
  let made!: () => void;
  const ready = new Promise<void>((resolve) => (made = resolve));
  const PDFDocument = await pdfkit();
  const objects: RecordedObject[] = [];
  const onEnd = (o: RecordedObject, chunk?: Uint8Array) => {
    steps.push({ end: o.index, data: snapshot(o.data), chunk });
    if (o === image.obj) made();
  };
  const standIn = {
    ref(data: Record<string, unknown> = {}) {
      const o = new RecordedObject(objects.length, data, onEnd);
      objects.push(o);
      steps.push({ make: o.index, data: snapshot(data) });
      return o;
    },
  };
  try {
    image = (new PDFDocument({ autoFirstPage: false }) as unknown as { openImage(b: Buffer): PdfKitImage }).openImage(bytes);
    image.embed(standIn);
  } catch {
    return null;
  }
  steps = later;
  await ready;
  const obj = objects.indexOf(image.obj as RecordedObject);
  return { width: image.width, height: image.height, orientation: image.orientation, obj, now, later };
}

/** The recorded image as pdfkit's `image()` takes an image: its objects made in `doc` as pdfkit would have made them. */
function replayedImage(doc: PdfDoc, p: PreparedImage): PdfKitImage & { label: string } {
  type Made = { data: unknown; end(chunk?: Uint8Array): void };
  const made: Made[] = [];
  const real = (value: unknown) => snapshot(value, (o) => made[o.index]);
  const run = (steps: Step[]) => {
    for (const step of steps) {
      if ('make' in step) made[step.make] = doc.ref(real(step.data) as object) as unknown as Made;
      else {
        const o = made[step.end] as Made;
        o.data = real(step.data);
        o.end(step.chunk);
      }
    }
  };
  const d = doc as unknown as { _imageCount: number };
  return {
    width: p.width,
    height: p.height,
    ...(p.orientation === undefined ? {} : { orientation: p.orientation }),
    label: `I${++d._imageCount}`,
    obj: null,
    embed() {
      run(p.now);
      this.obj = made[p.obj];
      if (p.later.length > 0) setImmediate(() => run(p.later));
    },
  };
}

/** An image to draw in PDFs: its bytes, and what pdfkit makes of them when shared. */
export interface PdfImage {
  bytes: Buffer;
  prepared: PreparedImage | null;
}

const preparedImages = new Map<string, Promise<PreparedImage | null>>();

/** An image (PNG or JPEG bytes) made ready once for every PDF that draws it; null when pdfkit cannot read it. */
export async function pdfImage(bytes: Buffer): Promise<PdfImage | null> {
  if (!sharedPdfResources.enabled) return { bytes, prepared: null };
  const key = createHash('sha256').update(bytes).digest('hex');
  let prepared = preparedImages.get(key);
  if (!prepared) {
    // A logo or two: more means the operator changed it, and the old ones are done with.
    if (preparedImages.size >= 4) preparedImages.clear();
    prepared = prepareImage(bytes);
    preparedImages.set(key, prepared);
  }
  const p = await prepared;
  return p ? { bytes, prepared: p } : null;
}

/** Draws the image as `doc.image` does; an image pdfkit cannot read is left out. */
export function drawImage(doc: PdfDoc, image: PdfImage, x: number, y: number, options: PDFKit.Mixins.ImageOption): void {
  try {
    // pdfkit's `image()` takes an image object it made itself (`width` and `height`) as it is.
    doc.image((image.prepared ? replayedImage(doc, image.prepared) : image.bytes) as Buffer, x, y, options);
  } catch {
    /* left out */
  }
}

/**
 * Renders a PDF drawn by `draw`. Its metadata (and so its file ID, a hash of them) depends on
 * the arguments only: `createdAt` is a date of the document, never the clock.
 */
export async function renderPdf(
  meta: { title: string; subject: string; author: string; lang: Language; createdAt: Date; fonts?: 'standard' | 'embedded' },
  draw: (doc: PdfDoc) => void,
): Promise<Buffer> {
  if (Number.isNaN(meta.createdAt.getTime())) throw new Error('Invalid PDF date');
  const [PDFDocument, fonts] = await Promise.all([pdfkit(), meta.fonts === 'embedded' ? embeddedFonts() : []]);
  return drawPdf(PDFDocument, meta, fonts, draw);
}

function drawPdf(PDFDocument: PdfKit, meta: Parameters<typeof renderPdf>[0], fonts: Array<[string, EmbeddedFont]>, draw: (doc: PdfDoc) => void): Promise<Buffer> {
  const shared = sharedPdfResources.enabled;
  const doc = new PDFDocument({
    // pdfkit's default font, Helvetica, is set below, once the document shares or embeds the fonts.
    ...(shared || fonts.length > 0 ? { font: null as unknown as string } : {}),
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
  // Registered under the standard names, the embedded fonts are what `font(REGULAR)` etc. draw with.
  for (const [name, font] of fonts) doc.registerFont(name, font as never);
  if (shared) shareStandardFonts(PDFDocument, doc);
  if (shared || fonts.length > 0) (doc as unknown as DocInternals).font(REGULAR, null);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  try {
    draw(doc);
    doc.end();
  } catch (e) {
    doc.end();
    return done.then(
      () => Promise.reject(e),
      () => Promise.reject(e),
    );
  }
  return done;
}

export interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
}

/** One line of text at (x, y), never wrapped, never paginated; right-aligned or centred within `width` if asked. Returns the y below it. */
export function put(doc: PdfDoc, text: string, x: number, y: number, o: TextStyle & { align?: 'left' | 'right' | 'center'; width?: number } = {}): number {
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

/** `keepBreaks`: `winAnsi` line by line, so that a line break stays one (otherwise it becomes a space, as any control character). */
type ParagraphStyle = TextStyle & { keepBreaks?: boolean };

const drawable = (text: string, keepBreaks = false) => (keepBreaks ? text.split('\n').map(winAnsi).join('\n') : winAnsi(text));

/** A paragraph wrapped within `width`; returns the y below it. The caller keeps it inside the body. */
export function paragraph(doc: PdfDoc, text: string, x: number, y: number, width: number, o: ParagraphStyle = {}): number {
  const s = drawable(text, o.keepBreaks);
  doc
    .font(o.font ?? REGULAR)
    .fontSize(o.size ?? 9.5)
    .fillColor(o.color ?? 'black');
  const h = doc.heightOfString(s, { width });
  doc.text(s, x, y, { width });
  return y + h;
}

export function paragraphHeight(doc: PdfDoc, text: string, width: number, o: ParagraphStyle = {}): number {
  return doc
    .font(o.font ?? REGULAR)
    .fontSize(o.size ?? 9.5)
    .heightOfString(drawable(text, o.keepBreaks), { width });
}

/**
 * The footer of every page: a rule at `top`, the `lines` centred (each made smaller until it
 * fits the width), then the page number, right-aligned, `gap` below them.
 */
export function drawFooters(doc: PdfDoc, top: number, lines: string[], pageLabel: (page: number, pages: number) => string, gap: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.moveTo(LEFT, top).lineTo(RIGHT, top).lineWidth(0.5).strokeColor(RULE).stroke();
    let y = top + 6;
    for (const l of lines) {
      let size = 7.5;
      while (size > 5 && doc.font(REGULAR).fontSize(size).widthOfString(winAnsi(l)) > WIDTH) size -= 0.5;
      y = put(doc, l, LEFT, y, { size, align: 'center', width: WIDTH, color: GREY });
    }
    put(doc, pageLabel(i - range.start + 1, range.count), LEFT, y + gap, { size: 7.5, align: 'right', width: WIDTH, color: GREY });
  }
}

/** Sends a PDF as a download, never cached. */
export function sendPdf(reply: FastifyReply, filename: string, pdf: Buffer) {
  return reply
    .type('application/pdf')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('content-length', String(pdf.length))
    .header('cache-control', 'no-store')
    .send(pdf);
}

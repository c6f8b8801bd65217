import type { FastifyReply } from 'fastify';
import PDFDocument from 'pdfkit';
import type { Language } from '../db/schema.ts';
import { translator } from './i18n.ts';

/*
 * What every PDF of the portal (invoices and credit notes, SEPA mandates) is drawn with: an
 * A4 page, the PDF standard fonts Helvetica/Courier (nothing embedded: they cover WinAnsi,
 * which has the French accents, €, ’, « »; anything outside it is replaced before drawing),
 * and no clock or randomness — the same input gives the same bytes.
 */

export type PdfDoc = PDFKit.PDFDocument;

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

/**
 * Renders a PDF drawn by `draw`. Its metadata (and so its file ID, a hash of them) depends on
 * the arguments only: `createdAt` is a date of the document, never the clock.
 */
export function renderPdf(
  meta: { title: string; subject: string; author: string; lang: Language; createdAt: Date },
  draw: (doc: PdfDoc) => void,
): Promise<Buffer> {
  if (Number.isNaN(meta.createdAt.getTime())) throw new Error('Invalid PDF date');
  const doc = new PDFDocument({
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

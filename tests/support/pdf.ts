import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/*
 * A PDF's text and the place of its words, through poppler's `pdftotext` (poppler-utils), for
 * tests that check what a generated PDF says and where it says it.
 */

const PDFTOTEXT = '/usr/bin/pdftotext';
export const hasPdftotext = existsSync(PDFTOTEXT);

/** The text of a PDF, as `pdftotext -layout` lays it out; pages end with a form feed. */
export const pdfText = (pdf: Buffer): string => execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');

/** The text of a PDF in reading order (`pdftotext` without `-layout`), one space between words: for sentences that wrap. */
export const pdfFlatText = (pdf: Buffer): string => execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');

export interface PdfWord {
  page: number;
  text: string;
  /** In millimetres from the page's left and top edges. */
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

const MM = 25.4 / 72;

/** Every word of a PDF with its box, in millimetres from the top left of its page (`pdftotext -bbox`). */
export function pdfWords(pdf: Buffer): PdfWord[] {
  const html = execFileSync(PDFTOTEXT, ['-bbox', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
  const words: PdfWord[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page [^>]*>|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[0].startsWith('<page')) {
      page++;
      continue;
    }
    const text = m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'");
    words.push({ page, text, xMin: Number(m[1]) * MM, yMin: Number(m[2]) * MM, xMax: Number(m[3]) * MM, yMax: Number(m[4]) * MM });
  }
  return words;
}

/** The images of a PDF as `pdfimages -list` lists them: one line each, its type, size, colour and whether it has a mask. */
export const pdfImages = (pdf: Buffer): { type: string; width: number; height: number; color: string }[] =>
  execFileSync('/usr/bin/pdfimages', ['-list', '-'], { input: pdf })
    .toString('utf8')
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [, , type, width, height, color] = l.trim().split(/\s+/);
      return { type: type as string, width: Number(width), height: Number(height), color: color as string };
    });

/**
 * A PNG image of `width` × `height`: RGB (colour type 2), a palette (3, `palette` and its
 * `alpha` — a tRNS chunk — given) or RGBA (6); `pixel(x, y)` gives each pixel's samples.
 */
export function pngImage(o: { width: number; height: number; colorType: 2 | 3 | 6; pixel: (x: number, y: number) => number[]; palette?: number[]; alpha?: number[] }): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr.set([8, o.colorType, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < o.height; y++) {
    rows.push(0);
    for (let x = 0; x < o.width; x++) rows.push(...o.pixel(x, y));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(o.palette ? [chunk('PLTE', Buffer.from(o.palette))] : []),
    ...(o.alpha ? [chunk('tRNS', Buffer.from(o.alpha))] : []),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

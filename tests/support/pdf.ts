import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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

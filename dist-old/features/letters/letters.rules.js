import { z } from 'zod';
import { csvFile } from '../../lib/csv.js';
import { form, typedText } from '../../lib/validation.js';
import { normalizeIdentifier } from '../auth/auth.rules.js';
/* The letters in bulk: which customers a batch is for, and the CSV of what it printed. */
/** At most this many numbers in a chosen list (the never-activated batch has no limit). */
export const MAX_LISTED = 1000;
export const batchForm = form({
    selection: z.enum(['jamais', 'liste']).catch('liste'),
    numbers: typedText(MAX_LISTED * 20),
});
/** The customer numbers of a list typed or pasted: separated by spaces, line breaks, commas or semicolons; each once, in order. */
export function parseNumbers(text) {
    return [...new Set(text.split(/[\s,;]+/).map(normalizeIdentifier).filter(Boolean))];
}
/**
 * The CSV of a batch, for the print shop: `;`-separated, a header line, one line per letter in
 * the PDF's order (number, name, the postal address in up to four lines, expiry) — never a password.
 * Written the one way CSV files are (`lib/csv.ts`).
 */
export function batchCsv(t, letters) {
    const header = [t('letters.csv.number'), t('letters.csv.name'), ...[1, 2, 3, 4].map((n) => t('letters.csv.line', { n })), t('letters.csv.expires')];
    const rows = letters.map((l) => [l.number, l.name, ...[0, 1, 2, 3].map((i) => l.addressLines[i] ?? ''), l.expires]);
    return csvFile(header, rows);
}
//# sourceMappingURL=letters.rules.js.map
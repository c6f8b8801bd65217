import { sql } from 'kysely';
/*
 * How text is compared when staff search: both what is stored for searching (the search keys
 * written with a customer, `features/customers/customers.rules.ts`) and what is typed go
 * through `normalise`, so "francois" finds "FRANÇOIS" and "durand" finds "Durand".
 * A search matches by prefix (`startsWith`), which an index answers: never `%x%`.
 */
// Letters NFD does not take apart.
const LIGATURES = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };
/** Lower case, accents and ligatures removed, spaces collapsed and trimmed: `  Françoise  L'HÔTE ` → `francoise l'hote`. */
export function normalise(text) {
    return text
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[œæßøđłı]/g, (ch) => LIGATURES[ch] ?? ch)
        .replace(/\s+/g, ' ')
        .trim();
}
/** `column LIKE 'prefix%'`, the prefix's own `%`, `_` and `\` taken literally: what a prefix index answers. */
export function startsWith(column, prefix) {
    const pattern = `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    return sql `${sql.ref(column)} like ${pattern} escape '\\'`;
}
//# sourceMappingURL=search.js.map
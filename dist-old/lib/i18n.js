/*
 * The UI's words. Each part of the portal keeps its catalogue beside it (`x.messages.ts`,
 * French as the reference and English typed on its keys, so a missing translation is a
 * compile error); they are merged here. Placeholders are {name}.
 */
import { accountEn, accountFr } from '../features/account/account.messages.js';
import { authEn, authFr } from '../features/auth/auth.messages.js';
import { contactEn, contactFr } from '../features/contact/contact.messages.js';
import { directDebitEn, directDebitFr } from '../features/direct-debit/direct-debit.messages.js';
import { documentsEn, documentsFr } from '../features/documents/documents.messages.js';
import { newsletterEn, newsletterFr } from '../features/newsletter/newsletter.messages.js';
import { pagesEn, pagesFr } from '../features/pages/pages.messages.js';
import { paymentsEn, paymentsFr } from '../features/payments/payments.messages.js';
import { contractsEn, contractsFr } from '../features/contracts/contracts.messages.js';
import { statementsEn, statementsFr } from '../features/statements/statements.messages.js';
import { staffEn, staffFr } from '../features/staff/staff.messages.js';
import { mailEn, mailFr } from '../features/mail/mail.messages.js';
import { customerActionsEn, customerActionsFr } from '../features/customers/customers.actions.messages.js';
import { lettersEn, lettersFr } from '../features/letters/letters.messages.js';
import { customersEn, customersFr } from '../features/customers/customers.messages.js';
import { settingsEn, settingsFr } from '../features/settings/settings.messages.js';
import { auditEn, auditFr } from '../features/audit/audit.messages.js';
import { apiClientsEn, apiClientsFr } from '../features/api-clients/api-clients.messages.js';
import { importEn, importFr } from '../features/import/import.messages.js';
import { coreEn, coreFr } from './messages.js';
import { memoized } from './memo.js';
const fr = {
    ...coreFr,
    ...authFr,
    ...contractsFr,
    ...accountFr,
    ...statementsFr,
    ...contactFr,
    ...pagesFr,
    ...newsletterFr,
    ...paymentsFr,
    ...directDebitFr,
    ...documentsFr,
    ...staffFr,
    ...customersFr,
    ...mailFr,
    ...customerActionsFr,
    ...lettersFr,
    ...settingsFr,
    ...auditFr,
    ...apiClientsFr,
    ...importFr,
};
const en = {
    ...coreEn,
    ...authEn,
    ...contractsEn,
    ...accountEn,
    ...statementsEn,
    ...contactEn,
    ...pagesEn,
    ...newsletterEn,
    ...paymentsEn,
    ...directDebitEn,
    ...documentsEn,
    ...staffEn,
    ...mailEn,
    ...customerActionsEn,
    ...lettersEn,
    ...customersEn,
    ...settingsEn,
    ...auditEn,
    ...apiClientsEn,
    ...importEn,
};
const catalogs = { fr, en };
/** Every key of the catalogue, for tests that check it whole. */
export const messageKeys = Object.keys(fr);
const templates = new Map();
function templateOf(text) {
    let template = templates.get(text);
    if (!template) {
        const pieces = text.split(/\{(\w+)\}/);
        template = { parts: pieces.filter((_, i) => i % 2 === 0), names: pieces.filter((_, i) => i % 2 === 1) };
        templates.set(text, template);
    }
    return template;
}
function fill(text, params) {
    const { parts, names } = templateOf(text);
    let out = parts[0];
    for (let i = 0; i < names.length; i++) {
        const value = params[names[i]];
        // A placeholder without its value stays as written.
        out += (value == null ? `{${names[i]}}` : String(value)) + parts[i + 1];
    }
    return out;
}
const translate = (catalog) => (key, params) => params ? fill(catalog[key], params) : catalog[key];
const translators = { fr: translate(catalogs.fr), en: translate(catalogs.en) };
export function translator(lang) {
    return translators[lang];
}
export const languages = ['fr', 'en'];
export const isLanguage = (v) => v === 'fr' || v === 'en';
// Intl formatters are costly to build: each made once; and what they format, kept (`memoized`).
const dateFormats = {
    fr: new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }),
    en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }),
};
const timeFormats = {
    fr: new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' }),
    en: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' }),
};
const formattedDates = {
    fr: memoized((iso) => dateFormats.fr.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso))),
    en: memoized((iso) => dateFormats.en.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso))),
};
/** `09/12/2015` in French, `9 Dec 2015` in English. Accepts `YYYY-MM-DD` or a full ISO timestamp. */
export function formatDate(iso, lang) {
    return formattedDates[lang](iso);
}
const longDateFormats = {
    fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
    en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
};
/** `9 décembre 2015` / `9 December 2015`, Paris time. Accepts `YYYY-MM-DD` or a full ISO timestamp. */
export function formatDateLong(iso, lang) {
    return longDateFormats[lang].format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
}
/** `08:05`, Paris time, in both languages. */
export function formatTime(iso, lang) {
    return timeFormats[lang].format(new Date(iso));
}
/** `27/11/2026 à 11:00` / `27 Nov 2026 at 11:00`, Paris time. */
export function formatDateTime(iso, lang) {
    return translator(lang)('format.dateTime', { date: formatDate(iso, lang), time: formatTime(iso, lang) });
}
//# sourceMappingURL=i18n.js.map
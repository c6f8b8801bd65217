import type { Language } from '../db/schema.ts';

/*
 * The UI's words. Each part of the portal keeps its catalogue beside it (`x.messages.ts`,
 * French as the reference and English typed on its keys, so a missing translation is a
 * compile error); they are merged here. Placeholders are {name}.
 */
import { accountEn, accountFr } from '../features/account/account.messages.ts';
import { authEn, authFr } from '../features/auth/auth.messages.ts';
import { contactEn, contactFr } from '../features/contact/contact.messages.ts';
import { directDebitEn, directDebitFr } from '../features/direct-debit/direct-debit.messages.ts';
import { documentsEn, documentsFr } from '../features/documents/documents.messages.ts';
import { newsletterEn, newsletterFr } from '../features/newsletter/newsletter.messages.ts';
import { pagesEn, pagesFr } from '../features/pages/pages.messages.ts';
import { paymentsEn, paymentsFr } from '../features/payments/payments.messages.ts';
import { contractsEn, contractsFr } from '../features/contracts/contracts.messages.ts';
import { statementsEn, statementsFr } from '../features/statements/statements.messages.ts';
import { staffEn, staffFr } from '../features/staff/staff.messages.ts';
import { mailEn, mailFr } from '../features/mail/mail.messages.ts';
import { customerActionsEn, customerActionsFr } from '../features/customers/customers.actions.messages.ts';
import { lettersEn, lettersFr } from '../features/letters/letters.messages.ts';
import { customersEn, customersFr } from '../features/customers/customers.messages.ts';
import { settingsEn, settingsFr } from '../features/settings/settings.messages.ts';
import { auditEn, auditFr } from '../features/audit/audit.messages.ts';
import { apiClientsEn, apiClientsFr } from '../features/api-clients/api-clients.messages.ts';
import { importEn, importFr } from '../features/import/import.messages.ts';
import { badgesEn, badgesFr } from '../features/badges/badges.messages.ts';
import { vehiclesEn, vehiclesFr } from '../features/vehicles/vehicles.messages.ts';
import { renewalsEn, renewalsFr } from '../features/renewals/renewals.messages.ts';
import { terminationsEn, terminationsFr } from '../features/terminations/terminations.messages.ts';
import { billingEn, billingFr } from '../features/customers/customers.billing.messages.ts';
import { mydataEn, mydataFr } from '../features/mydata/mydata.messages.ts';
import { usersEn, usersFr } from '../features/users/users.messages.ts';
import { opsEn, opsFr } from '../features/ops/ops.messages.ts';
import { coreEn, coreFr } from './messages.ts';
import { memoized } from './memo.ts';

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
  ...badgesFr,
  ...vehiclesFr,
  ...renewalsFr,
  ...terminationsFr,
  ...billingFr,
  ...mydataFr,
  ...usersFr,
  ...opsFr,
};
export type MessageKey = keyof typeof fr;
const en: Record<MessageKey, string> = {
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
  ...badgesEn,
  ...vehiclesEn,
  ...renewalsEn,
  ...terminationsEn,
  ...billingEn,
  ...mydataEn,
  ...usersEn,
  ...opsEn,
};

const catalogs: Record<Language, Record<MessageKey, string>> = { fr, en };

/** Every key of the catalogue, for tests that check it whole. */
export const messageKeys = Object.keys(fr) as MessageKey[];

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/**
 * A message with placeholders, split once into its literal parts and the names between them
 * (`parts[0] name[0] parts[1] …`): filling it in is then a join, not a regular expression per
 * call — a page such as Mon compte fills in a few dozen.
 */
interface Template {
  parts: string[];
  names: string[];
}
const templates = new Map<string, Template>();
function templateOf(text: string): Template {
  let template = templates.get(text);
  if (!template) {
    const pieces = text.split(/\{(\w+)\}/);
    template = { parts: pieces.filter((_, i) => i % 2 === 0), names: pieces.filter((_, i) => i % 2 === 1) };
    templates.set(text, template);
  }
  return template;
}

function fill(text: string, params: Record<string, string | number>): string {
  const { parts, names } = templateOf(text);
  let out = parts[0]!;
  for (let i = 0; i < names.length; i++) {
    const value = params[names[i]!];
    // A placeholder without its value stays as written.
    out += (value == null ? `{${names[i]}}` : String(value)) + parts[i + 1]!;
  }
  return out;
}

const translate =
  (catalog: Record<MessageKey, string>): Translate =>
  (key, params) =>
    params ? fill(catalog[key], params) : catalog[key];
const translators: Record<Language, Translate> = { fr: translate(catalogs.fr), en: translate(catalogs.en) };

export function translator(lang: Language): Translate {
  return translators[lang];
}

export const languages: readonly Language[] = ['fr', 'en'];
export const isLanguage = (v: unknown): v is Language => v === 'fr' || v === 'en';

// Intl formatters are costly to build: each made once; and what they format, kept (`memoized`).
const dateFormats: Record<Language, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/Paris' }),
};
const timeFormats: Record<Language, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' }),
};

const formattedDates: Record<Language, (iso: string) => string> = {
  fr: memoized((iso) => dateFormats.fr.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso))),
  en: memoized((iso) => dateFormats.en.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso))),
};

/** `09/12/2015` in French, `9 Dec 2015` in English. Accepts `YYYY-MM-DD` or a full ISO timestamp. */
export function formatDate(iso: string, lang: Language): string {
  return formattedDates[lang](iso);
}

const longDateFormats: Record<Language, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
};

/** `9 décembre 2015` / `9 December 2015`, Paris time. Accepts `YYYY-MM-DD` or a full ISO timestamp. */
export function formatDateLong(iso: string, lang: Language): string {
  return longDateFormats[lang].format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
}

/** `08:05`, Paris time, in both languages. */
export function formatTime(iso: string, lang: Language): string {
  return timeFormats[lang].format(new Date(iso));
}

/** `27/11/2026 à 11:00` / `27 Nov 2026 at 11:00`, Paris time. */
export function formatDateTime(iso: string, lang: Language): string {
  return translator(lang)('format.dateTime', { date: formatDate(iso, lang), time: formatTime(iso, lang) });
}

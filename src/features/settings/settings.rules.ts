import type { Selectable } from 'kysely';
import type { Config } from '../../config.ts';
import type { CarPark, LogoType, OperatorSettingsTable } from '../../db/schema.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { Translate } from '../../lib/i18n.ts';
import { z } from 'zod';
import { checkbox, emailAddress, form, repeated, typedText } from '../../lib/validation.ts';
import { type HoursLine, SERVICE_CODES, isServiceCode, readHours, readServices, storedHours } from '../public/public.rules.ts';

/*
 * The operator's settings (`operator_settings`, one row): what they are, where they start
 * from (the environment, at the first start), and what is wrong with a value an admin typed —
 * a SIREN (9 digits, Luhn key), a French VAT number (its key from the SIREN), an ICS (its
 * ISO 7064 key), an e-mail address, a phone number, a colour that white text stays readable on.
 */

/** The settings as every page, e-mail and PDF reads them (`operatorSettings`, settings.queries.ts). */
export type OperatorSettings = Omit<Selectable<OperatorSettingsTable>, 'id' | 'updated_at' | 'updated_by'>;

/** The portal's own blue (`--brand` in `public/portal.css`). */
export const DEFAULT_BRAND_COLOUR = '#0b4f8a';

/** Customer service's hours before anyone says otherwise: weekdays, 9:00 to 18:00. */
const DEFAULT_SERVICE_HOURS: HoursLine[] = [{ for: 'everyone', days: [1, 5], hours: ['09:00', '18:00'] }];

/**
 * The first start's settings: the environment's (`OPERATOR_*`, `SEPA_CREDITOR_*`,
 * `LATE_PAYMENT_PENALTY`, `STAFF_NOTIFICATION_EMAIL`); what it does not say (capital, mediator,
 * customer service's hours, logo, colour) starts empty or as the portal's own.
 */
export function settingsFromEnvironment(config: Config): OperatorSettings {
  return {
    name: config.OPERATOR_NAME,
    legal_form: config.OPERATOR_LEGAL_FORM,
    share_capital: '',
    address: config.OPERATOR_ADDRESS,
    siren: config.OPERATOR_SIREN,
    rcs: config.OPERATOR_RCS,
    vat_number: config.OPERATOR_VAT_NUMBER,
    website: config.OPERATOR_WEBSITE,
    phone: config.OPERATOR_PHONE,
    email: config.OPERATOR_EMAIL,
    opening_hours: storedHours(DEFAULT_SERVICE_HOURS),
    mediator_name: '',
    mediator_address: '',
    mediator_website: '',
    creditor_name: config.SEPA_CREDITOR_NAME,
    creditor_address: config.SEPA_CREDITOR_ADDRESS,
    creditor_id: config.SEPA_CREDITOR_ID,
    late_payment_penalty: config.LATE_PAYMENT_PENALTY,
    staff_notification_email: config.STAFF_NOTIFICATION_EMAIL,
    logo_sha256: null,
    logo_type: null,
    brand_colour: DEFAULT_BRAND_COLOUR,
    reminder_first_days: DEFAULT_REMINDER_DAYS.first,
    reminder_second_days: DEFAULT_REMINDER_DAYS.second,
    vat_on_debits: 0,
  };
}

/** The unpaid-invoice reminders' schedule before the back office says otherwise: days after the due date (migration 028's defaults). */
export const DEFAULT_REMINDER_DAYS = { first: 10, second: 25 } as const;
/** The latest a reminder may be scheduled, in days after the due date. */
export const REMINDER_DAYS_MAX = 365;

/** `SAS au capital de 100 000 €` from the legal form and the capital; the form alone without one. */
export const legalMention = (s: Pick<OperatorSettings, 'legal_form' | 'share_capital'>, t: Translate): string =>
  s.share_capital ? t('settings.legalMention', { form: s.legal_form, capital: s.share_capital }) : s.legal_form;

/** The operator as a printed letter or mandate names it in its header: name, legal mention, address, SIREN and contacts. */
export interface PrintedOperator {
  name: string;
  legalForm: string;
  address: string;
  siren: string;
  phone: string;
  email: string;
  website: string;
}

/** The operator's settings as `PrintedOperator` (the legal mention in `t`'s language). */
export const printedOperator = (o: OperatorSettings, t: Translate): PrintedOperator => ({
  name: o.name,
  legalForm: legalMention(o, t),
  address: o.address,
  siren: o.siren,
  phone: o.phone,
  email: o.email,
  website: o.website,
});

// ------------------------------------------------------------------ identifiers

/** The Luhn key every SIREN (and SIRET) carries. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => {
    let n = Number(d);
    if (i % 2 === 1) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  });
  return sum % 10 === 0;
}

/** A SIREN as typed (`123 456 782`) → its 9 digits; null when it is not one (length or key). */
export function normaliseSiren(input: string): string | null {
  const digits = input.replace(/[\s.]/g, '');
  return /^\d{9}$/.test(digits) && luhnValid(digits) ? digits : null;
}

/** The key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export const frenchVatKey = (siren: string) => String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0');

/** `mod 97` of a long decimal string. */
const mod97 = (digits: string) => [...digits].reduce((r, d) => (r * 10 + Number(d)) % 97, 0);
/** Letters as ISO 13616 / 7064 count them: A = 10 … Z = 35. */
const lettersAsDigits = (s: string) => s.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));

/**
 * A SEPA creditor identifier (ICS): country, two check digits, a three-character business
 * code (`ZZZ` by default) and the national identifier; the check digits are the ISO 7064
 * mod 97-10 key of the national identifier followed by the country (the business code is
 * left out). `FR72ZZZ123456`.
 */
export function icsValid(ics: string): boolean {
  const m = /^([A-Z]{2})(\d{2})[A-Z0-9]{3}([A-Z0-9]{1,28})$/.exec(ics);
  if (!m) return false;
  return 98 - mod97(lettersAsDigits(`${m[3]}${m[1]}00`)) === Number(m[2]);
}

/** `+33 1 23 45 67 89`, `01.23.45.67.89`, `3975`: a French number of 10 digits, an international one, or a short service number. */
export function phoneValid(input: string): boolean {
  const compact = input.replace(/[\s.\-()]/g, '');
  return /^(?:0[1-9]\d{8}|\+[1-9]\d{6,14}|3\d{3})$/.test(compact);
}

// ------------------------------------------------------------------ the colour

/** `#0b4f8a` (or `#08f`) in lower case with six digits; null when it is not a hex colour. */
export function normaliseColour(input: string): string | null {
  const s = input.trim().toLowerCase();
  if (/^#[0-9a-f]{6}$/.test(s)) return s;
  if (/^#[0-9a-f]{3}$/.test(s)) return `#${[...s.slice(1)].map((c) => c + c).join('')}`;
  return null;
}

/** WCAG 2.1 relative luminance of `#rrggbb`. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG 2.1 contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The AA ratio for normal text (WCAG 2.1, 1.4.3). */
export const MIN_CONTRAST = 4.5;
/**
 * Where the main colour meets text: white text on it (header, buttons), and it as the colour
 * of links on white and on the footer's grey (`public/portal.css`), the lightest and the
 * darkest background it is drawn on.
 */
const BACKGROUNDS = ['#ffffff', '#e3e8ef'];

/** The lowest contrast the colour has with what it meets; ≥ 4.5 to be accepted. */
export const worstContrast = (colour: string) => Math.min(...BACKGROUNDS.map((b) => contrastRatio(colour, b)));

/** The darker shade the stylesheet uses beside the main colour (header, headings, hover): 25 % towards black. */
export function darker(colour: string): string {
  const shade = (i: number) => Math.round(parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16) * 0.75);
  return `#${[0, 1, 2].map((i) => shade(i).toString(16).padStart(2, '0')).join('')}`;
}

// ------------------------------------------------------------------ the logo and the theme, as pages link them

/**
 * The stylesheet that sets the main colour (`GET /theme.css`), versioned by the colour so a
 * browser may keep it for good; none while the colour is the portal's own.
 */
export const themeUrl = (s: Pick<OperatorSettings, 'brand_colour'>): string | null =>
  s.brand_colour === DEFAULT_BRAND_COLOUR ? null : `/theme.css?v=${s.brand_colour.slice(1)}`;

/** The theme's rules: the main colour and its darker shade, over `public/portal.css`'s. */
export const themeCss = (colour: string) => `:root { --brand: ${colour}; --brand-dark: ${darker(colour)}; }\n`;

export const LOGO_EXTENSIONS: Record<LogoType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg' };

/** The logo's address (`GET /logo/<sha256>.<ext>`): its name is its content, so it never changes. */
export const logoUrl = (s: Pick<OperatorSettings, 'logo_sha256' | 'logo_type'>): string | null =>
  s.logo_sha256 && s.logo_type ? `/logo/${s.logo_sha256}.${LOGO_EXTENSIONS[s.logo_type]}` : null;

/** The largest logo accepted: a header image, not a photograph. */
export const MAX_LOGO_BYTES = 200 * 1024;

// ------------------------------------------------------------------ opening hours typed in a form

/** How many lines of hours a form offers: those stored and two empty ones, at most six. */
export const MAX_HOURS_LINES = 6;
export const HOURS_AUDIENCES = ['everyone', 'subscribers', 'reception'] as const;

/** One line of hours as the form holds it: its fields as typed. */
export interface HoursRow {
  for: string;
  first: string;
  last: string;
  open: string;
  close: string;
}

/** Customer service's hours are for everyone: no reception desk nor subscribers' hours there. */
export const SERVICE_AUDIENCES = ['everyone'] as const;

export const emptyHoursRow = (): HoursRow => ({ for: '', first: '', last: '', open: '', close: '' });

/** The form's rows of the stored lines (a text stored before hours were structured gives none). */
export const hoursRows = (lines: HoursLine[] | null): HoursRow[] =>
  (lines ?? []).map((l) => ({
    for: l.for,
    first: l.days ? String(l.days[0]) : '',
    last: l.days ? String(l.days[1]) : '',
    open: l.hours?.[0] ?? '',
    close: l.hours?.[1] ?? '',
  }));

const HOURS_PARTS = ['for', 'first', 'last', 'open', 'close'] as const;
const hoursFieldName = (i: number, part: (typeof HOURS_PARTS)[number]) => `hours_${i}_${part}`;

/** The `hours_<i>_<part>` fields of a form, each read as typed. */
const hoursShape = Object.fromEntries(Array.from({ length: MAX_HOURS_LINES }, (_, i) => HOURS_PARTS.map((part) => [hoursFieldName(i, part), typedText(10)])).flat()) as Record<
  string,
  ReturnType<typeof typedText>
>;

/** The rows of hours a form body read holds: those not left empty. */
function hoursRowsOf(body: Record<string, string>): HoursRow[] {
  return Array.from({ length: MAX_HOURS_LINES }, (_, i) => Object.fromEntries(HOURS_PARTS.map((part) => [part, (body[hoursFieldName(i, part)] ?? '').trim()])) as unknown as HoursRow).filter(
    (r) => r.for || r.first || r.last || r.open || r.close,
  );
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * The lines of the rows typed, and what is wrong with them (under `hours`, the fieldset's
 * name): a line needs whom it is for, both days or none (the first before the last), both
 * times or none (opening before closing); at least one line.
 */
export function hoursFromRows(rows: HoursRow[], errors: FormErrors, audiences: readonly HoursLine['for'][] = HOURS_AUDIENCES): string | null {
  const lines: HoursLine[] = [];
  let wrong = false;
  rows.forEach((r, i) => {
    const n = i + 1;
    const fail = (key: Parameters<typeof addError>[2]) => {
      addError(errors, 'hours', key, { line: n });
      wrong = true;
    };
    if (!(audiences as readonly string[]).includes(r.for)) return fail('settings.error.hours.for');
    const line: HoursLine = { for: r.for as HoursLine['for'] };
    if (r.first || r.last) {
      const [first, last] = [Number(r.first), Number(r.last)];
      if (!(first >= 1 && first <= 7 && last >= 1 && last <= 7)) return fail('settings.error.hours.days');
      if (first >= last) return fail('settings.error.hours.dayOrder');
      line.days = [first, last];
    }
    if (r.open || r.close) {
      if (!TIME.test(r.open) || !TIME.test(r.close)) return fail('settings.error.hours.time');
      if (r.open >= r.close) return fail('settings.error.hours.timeOrder');
      line.hours = [r.open, r.close];
    }
    lines.push(line);
  });
  if (wrong) return null;
  if (lines.length === 0) {
    addError(errors, 'hours', 'settings.error.hours.none');
    return null;
  }
  return storedHours(lines);
}

// ------------------------------------------------------------------ the settings form

/** The settings an admin types (the logo has its own form); in the form's order. */
export const SETTINGS_FIELDS = [
  'name',
  'legal_form',
  'share_capital',
  'address',
  'siren',
  'rcs',
  'vat_number',
  'website',
  'phone',
  'email',
  'mediator_name',
  'mediator_address',
  'mediator_website',
  'creditor_name',
  'creditor_address',
  'creditor_id',
  'late_payment_penalty',
  'reminder_first_days',
  'reminder_second_days',
  'staff_notification_email',
  'brand_colour',
] as const satisfies readonly (keyof OperatorSettings)[];
export type SettingsField = (typeof SETTINGS_FIELDS)[number];

/** What the form holds: every field as typed, and the rows of customer service's hours. */
export type SettingsValues = Record<SettingsField, string> & { hours: HoursRow[]; vat_on_debits?: boolean };

/** The longest each field may be: a legal mention, not an essay. */
const MAX_LENGTH: Record<SettingsField, number> = {
  name: 100,
  legal_form: 100,
  share_capital: 50,
  address: 200,
  siren: 20,
  rcs: 100,
  vat_number: 30,
  website: 200,
  phone: 30,
  email: 254,
  mediator_name: 150,
  mediator_address: 250,
  mediator_website: 200,
  creditor_name: 100,
  creditor_address: 200,
  creditor_id: 40,
  late_payment_penalty: 200,
  reminder_first_days: 3,
  reminder_second_days: 3,
  staff_notification_email: 254,
  brand_colour: 20,
};
const OPTIONAL: ReadonlySet<SettingsField> = new Set(['share_capital', 'mediator_name', 'mediator_address', 'mediator_website']);

/** The settings form's body: every field as typed (a little longer than allowed, to say it is too long), the hours' fields. */
const settingsForm = form({ ...Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, typedText(MAX_LENGTH[f] + 1)])), ...hoursShape });
/** The box "VAT on debits" (issue 14), beside the typed fields. */
const vatOnDebitsForm = form({ vat_on_debits: checkbox });

/** The form's values from a request body: each field as typed (trimmed), the hours' rows. */
export function readSettingsForm(body: unknown): SettingsValues {
  const b = settingsForm.parse(body) as Record<string, string>;
  const values = Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, b[f]!.trim()])) as Record<SettingsField, string>;
  return { ...values, hours: hoursRowsOf(b), vat_on_debits: vatOnDebitsForm.parse(body).vat_on_debits };
}

/** The form's values from the settings stored. */
export const settingsValues = (s: OperatorSettings): SettingsValues => ({
  ...(Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, String(s[f])])) as Record<SettingsField, string>),
  hours: hoursRows(readHours(s.opening_hours)),
  vat_on_debits: s.vat_on_debits === 1,
});

const isWebUrl = (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
  } catch {
    return false;
  }
};

/** The settings the form says, normalised, or what is wrong with it field by field. */
export function checkSettings(
  v: SettingsValues,
): { ok: true; settings: Omit<OperatorSettings, 'logo_sha256' | 'logo_type'> } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  for (const f of SETTINGS_FIELDS) {
    if (!v[f] && !OPTIONAL.has(f)) addError(errors, f, 'settings.error.required');
    else if (v[f].length > MAX_LENGTH[f]) addError(errors, f, 'settings.error.tooLong', { max: MAX_LENGTH[f] });
  }
  const bad = (f: SettingsField) => Boolean(errors[f]) || !v[f];

  const siren = bad('siren') ? null : normaliseSiren(v.siren);
  if (!bad('siren') && !siren) addError(errors, 'siren', 'settings.error.siren');

  const vat = v.vat_number.replace(/[\s.]/g, '').toUpperCase();
  if (!bad('vat_number')) {
    const m = /^FR(\d{2})(\d{9})$/.exec(vat);
    if (!m) addError(errors, 'vat_number', 'settings.error.vat.format');
    else if (m[1] !== frenchVatKey(m[2]!)) addError(errors, 'vat_number', 'settings.error.vat.key');
    else if (siren && m[2] !== siren) addError(errors, 'vat_number', 'settings.error.vat.siren');
  }

  const ics = v.creditor_id.replace(/\s/g, '').toUpperCase();
  if (!bad('creditor_id') && !icsValid(ics)) addError(errors, 'creditor_id', 'settings.error.ics');

  for (const f of ['email', 'staff_notification_email'] as const) {
    if (!bad(f) && !emailAddress.safeParse(v[f]).success) addError(errors, f, 'error.email.invalid');
  }
  if (!bad('phone') && !phoneValid(v.phone)) addError(errors, 'phone', 'settings.error.phone');
  for (const f of ['website', 'mediator_website'] as const) {
    if (!bad(f) && !isWebUrl(v[f])) addError(errors, f, 'settings.error.url');
  }
  if (!v.mediator_name && (v.mediator_address || v.mediator_website)) addError(errors, 'mediator_name', 'settings.error.mediatorName');

  const colour = bad('brand_colour') ? null : normaliseColour(v.brand_colour);
  if (!bad('brand_colour')) {
    if (!colour) addError(errors, 'brand_colour', 'settings.error.colour');
    else if (worstContrast(colour) < MIN_CONTRAST) {
      addError(errors, 'brand_colour', 'settings.error.contrast', { ratio: worstContrast(colour).toFixed(2).replace('.', ','), min: '4,5' });
    }
  }
  const openingHours = hoursFromRows(v.hours, errors, SERVICE_AUDIENCES);

  // The reminders' schedule: whole days after the due date, the second after the first.
  const days = (f: 'reminder_first_days' | 'reminder_second_days') => {
    if (bad(f)) return null;
    const n = /^\d+$/.test(v[f]) ? Number(v[f]) : NaN;
    if (!(n >= 1 && n <= REMINDER_DAYS_MAX)) addError(errors, f, 'settings.error.reminderDays', { max: REMINDER_DAYS_MAX });
    return n >= 1 && n <= REMINDER_DAYS_MAX ? n : null;
  };
  const first = days('reminder_first_days');
  const second = days('reminder_second_days');
  if (first !== null && second !== null && second <= first) addError(errors, 'reminder_second_days', 'settings.error.reminderOrder', { first });

  if (Object.keys(errors).length > 0 || !siren || !colour || !openingHours || first === null || second === null) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      name: v.name,
      legal_form: v.legal_form,
      share_capital: v.share_capital,
      address: v.address,
      siren,
      rcs: v.rcs,
      vat_number: vat,
      website: v.website,
      phone: v.phone,
      email: v.email.toLowerCase(),
      opening_hours: openingHours,
      mediator_name: v.mediator_name,
      mediator_address: v.mediator_address,
      mediator_website: v.mediator_website,
      creditor_name: v.creditor_name,
      creditor_address: v.creditor_address,
      creditor_id: ics,
      late_payment_penalty: v.late_payment_penalty,
      staff_notification_email: v.staff_notification_email.toLowerCase(),
      brand_colour: colour,
      reminder_first_days: first,
      reminder_second_days: second,
      vat_on_debits: v.vat_on_debits ? 1 : 0,
    },
  };
}

/** What changed between two versions of a record, field by field: `{ field: [old, new] }`, for the audit log. */
export function changesBetween<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, [unknown, unknown]> {
  const changes: Record<string, [unknown, unknown]> = {};
  for (const [k, v] of Object.entries(after)) if (v !== undefined && before[k] !== v) changes[k] = [before[k], v];
  return changes;
}

// ------------------------------------------------------------------ a car park's details

export const CAR_PARK_FIELDS = ['name', 'address_line', 'postal_code', 'city', 'phone', 'email'] as const;
export type CarParkField = (typeof CAR_PARK_FIELDS)[number];

/** What a car park's form holds: its fields as typed, its services, its hours' rows, its petit-rouleur variant. */
export type CarParkValues = Record<CarParkField, string> & {
  services: string[];
  /** Services the list does not know, one a line, shown as they are in every language. */
  other_services: string;
  petit_rouleur_30: boolean;
  hours: HoursRow[];
};

const CAR_PARK_MAX: Record<CarParkField, number> = { name: 100, address_line: 200, postal_code: 10, city: 100, phone: 30, email: 254 };

const carParkForm = form({
  ...Object.fromEntries(CAR_PARK_FIELDS.map((f) => [f, typedText(CAR_PARK_MAX[f] + 1)])),
  ...hoursShape,
  services: repeated(z.string().max(60)).catch([]),
  other_services: typedText(501),
  petit_rouleur_30: checkbox,
});

/** A car park's form from a request body. */
export function readCarParkForm(body: unknown): CarParkValues {
  const { services, other_services, petit_rouleur_30, ...fields } = carParkForm.parse(body);
  const text = fields as Record<string, string>;
  return {
    ...(Object.fromEntries(CAR_PARK_FIELDS.map((f) => [f, text[f]!.trim()])) as Record<CarParkField, string>),
    services,
    other_services: other_services.trim(),
    petit_rouleur_30,
    hours: hoursRowsOf(text),
  };
}

/** A car park's details as staff edit them: its row without its id, code and creation date. */
export type CarParkDetails = Pick<CarPark, 'name' | 'address_line' | 'postal_code' | 'city' | 'phone' | 'email' | 'services' | 'opening_hours' | 'petit_rouleur_30'>;

/** What a car park's row says, for the form. */
export function carParkValues(p: CarParkDetails): CarParkValues {
  const services = readServices(p.services);
  return {
    name: p.name,
    address_line: p.address_line,
    postal_code: p.postal_code,
    city: p.city,
    phone: p.phone,
    email: p.email ?? '',
    services: services.filter(isServiceCode),
    other_services: services.filter((s) => !isServiceCode(s)).join('\n'),
    petit_rouleur_30: p.petit_rouleur_30 === 1,
    hours: hoursRows(readHours(p.opening_hours)),
  };
}

/** The columns a car park's form sets, or what is wrong with it. */
export function checkCarPark(
  v: CarParkValues,
): { ok: true; park: CarParkDetails } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  for (const f of CAR_PARK_FIELDS) {
    if (!v[f] && f !== 'email') addError(errors, f, 'settings.error.required');
    else if (v[f].length > CAR_PARK_MAX[f]) addError(errors, f, 'settings.error.tooLong', { max: CAR_PARK_MAX[f] });
  }
  if (!errors.postal_code && !/^\d{5}$/.test(v.postal_code)) addError(errors, 'postal_code', 'settings.error.postalCode');
  if (!errors.phone && !phoneValid(v.phone)) addError(errors, 'phone', 'settings.error.phone');
  if (!errors.email && v.email && !emailAddress.safeParse(v.email).success) addError(errors, 'email', 'error.email.invalid');
  if (v.services.some((s) => !isServiceCode(s))) addError(errors, 'services', 'settings.error.service');
  const others = v.other_services
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (v.other_services.length > 500 || others.some((s) => s.length > 60)) addError(errors, 'other_services', 'settings.error.otherServices');
  const openingHours = hoursFromRows(v.hours, errors);
  if (Object.keys(errors).length > 0 || !openingHours) return { ok: false, errors };
  return {
    ok: true,
    park: {
      name: v.name,
      address_line: v.address_line,
      postal_code: v.postal_code,
      city: v.city,
      phone: v.phone,
      email: v.email ? v.email.toLowerCase() : null,
      services: JSON.stringify([...SERVICE_CODES.filter((c) => v.services.includes(c)), ...others]),
      opening_hours: openingHours,
      petit_rouleur_30: v.petit_rouleur_30 ? 1 : 0,
    },
  };
}

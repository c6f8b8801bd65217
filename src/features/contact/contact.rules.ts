import type { z } from 'zod';
import type { ContactCategory, ContactStatus } from '../../db/schema.ts';
import { DAY, addDays } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { form, typedText } from '../../lib/validation.ts';

/*
 * What a contact request may contain, checked on the server whatever the browser did:
 * the category, one of the customer's own contracts, a message, for a change of plate the
 * new plate and its date, and at most three attachments whose type is read from their first
 * bytes (security bar F1) — never from their name or declared type.
 */

export const CATEGORIES = ['address', 'phone', 'plate', 'invoice', 'contract', 'other', 'billing'] as const satisfies readonly ContactCategory[];
export const MAX_MESSAGE_LENGTH = 5000;
export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** How far from today the date of a change of plate may be. */
export const MAX_DATE_DISTANCE_DAYS = 366;

export const isCategory = (v: unknown): v is ContactCategory => (CATEGORIES as readonly unknown[]).includes(v);

/** A request's reference, the `n`th of its year (Paris): `DEM-2026-000123`. */
export const requestReference = (year: string, n: number) => `DEM-${year}-${String(n).padStart(6, '0')}`;

export type AttachmentType = 'application/pdf' | 'image/png' | 'image/jpeg';

const PDF = Buffer.from('%PDF-', 'latin1');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** The type of a file from its magic bytes: PDF, PNG or JPEG; anything else is null. */
export function sniffType(bytes: Uint8Array): AttachmentType | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.subarray(0, PDF.length).equals(PDF)) return 'application/pdf';
  if (b.subarray(0, PNG.length).equals(PNG)) return 'image/png';
  if (b.subarray(0, JPEG.length).equals(JPEG)) return 'image/jpeg';
  return null;
}

/**
 * A file name fit to be shown, never used as a path: the last segment of whatever path the
 * browser sent, without control or bidirectional-override characters, at most 120 characters
 * (keeping the extension).
 */
export function displayFileName(original: string): string {
  const base = original.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (name.length > 120) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = `${name.slice(0, 120 - ext.length - 1)}…${ext}`;
  }
  return name || 'fichier';
}

/**
 * A licence plate normalised: the SIV format (since 2009) `AB-123-CD`, typed with or without
 * dashes or spaces, in any case; the older FNI format `123 ABC 75` (department 2A/2B and
 * overseas 971–976 included). Null when it is neither.
 */
export function normalisePlate(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s\-.]/g, '');
  const siv = /^([A-Z]{2})(\d{3})([A-Z]{2})$/.exec(compact);
  if (siv) return `${siv[1]}-${siv[2]}-${siv[3]}`;
  const fni = /^(\d{1,4})([A-Z]{1,3})(97[1-6]|2A|2B|\d{2})$/.exec(compact);
  if (fni) return `${fni[1]} ${fni[2]} ${fni[3]}`;
  return null;
}

/** `YYYY-MM-DD` (what a date field sends) or `dd/mm/yyyy` → `YYYY-MM-DD` when it is a real date. */
export function parseDate(input: string): string | null {
  const s = input.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (fr) [d, m, y] = [Number(fr[1]), Number(fr[2]), Number(fr[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}


export interface UploadedFile {
  /** As the browser named it. */
  filename: string;
  bytes: Buffer;
  /** Over the size limit: the parser stopped reading it. */
  truncated: boolean;
}

export interface ValidAttachment {
  originalName: string;
  contentType: AttachmentType;
  bytes: Buffer;
}

export interface ValidRequest {
  /** Null when the form carried none (a request made without the portal's form). */
  submissionId: string | null;
  category: ContactCategory;
  contractNumber: string | null;
  message: string;
  newPlate: string | null;
  effectiveDate: string | null;
  attachments: ValidAttachment[];
}

/**
 * What the customer typed (multipart or urlencoded; the files are read apart), kept to fill
 * the form again after an error.
 */
export const contactForm = form({
  category: typedText(),
  contract: typedText(),
  // Browsers send line breaks as CRLF: count them as one character, as the textarea does.
  message: typedText().transform((s) => s.replace(/\r\n?/g, '\n')),
  new_plate: typedText(),
  effective_date: typedText(),
  // The form's one-time id (a UUID), kept across a correction.
  submission: typedText().transform((s) => (/^[0-9a-f-]{36}$/.test(s) ? s : '')),
});
export type ContactValues = z.output<typeof contactForm>;

/** The fields an error can be about: what was typed, and the attachments. */
export type ContactField = Exclude<keyof ContactValues, 'submission'> | 'attachments';
export type ContactErrors = FormErrors<ContactField>;

/**
 * The text of a message (a request, an answer, a staff reply or note): required, at most
 * MAX_MESSAGE_LENGTH characters once trimmed. Its error goes to `field`; returns the text.
 */
export function checkMessage<F extends string>(errors: FormErrors<F>, field: F, typed: string): string {
  const message = typed.trim();
  if (message === '') addError(errors, field, 'contact.error.message.required');
  else if (message.length > MAX_MESSAGE_LENGTH) addError(errors, field, 'contact.error.message.tooLong', { max: '5 000', count: message.length });
  return message;
}

/**
 * A plate change's new plate and effective date, as typed: the one check of the contact form and
 * of the staff's plate change. Each is returned only when valid (the date within
 * `MAX_DATE_DISTANCE_DAYS` of `today`); otherwise its error is added.
 */
export function checkNewPlate(
  errors: FormErrors<'new_plate' | 'effective_date'>,
  values: { new_plate: string; effective_date: string },
  today: string,
  formatDay: (isoDay: string) => string,
): { newPlate: string | null; effectiveDate: string | null } {
  let newPlate: string | null = null;
  let effectiveDate: string | null = null;
  if (values.new_plate.trim() === '') addError(errors, 'new_plate', 'contact.error.plate.required');
  else {
    newPlate = normalisePlate(values.new_plate);
    if (!newPlate) addError(errors, 'new_plate', 'contact.error.plate.invalid');
  }
  if (values.effective_date.trim() === '') addError(errors, 'effective_date', 'contact.error.date.required');
  else {
    const date = parseDate(values.effective_date);
    const min = addDays(today, -MAX_DATE_DISTANCE_DAYS);
    const max = addDays(today, MAX_DATE_DISTANCE_DAYS);
    if (!date) addError(errors, 'effective_date', 'contact.error.date.invalid');
    else if (date < min || date > max) addError(errors, 'effective_date', 'contact.error.date.range', { min: formatDay(min), max: formatDay(max) });
    else effectiveDate = date;
  }
  return { newPlate, effectiveDate };
}

/**
 * The files sent with a request or an answer (security bar F1): at most MAX_FILES, each
 * MAX_FILE_BYTES at most, not empty, PDF, PNG or JPEG by its first bytes. Their errors go to
 * `attachments`; returns the files accepted.
 */
export function checkAttachments(errors: FormErrors<'attachments'>, files: UploadedFile[], tooManyFiles: boolean): ValidAttachment[] {
  const attachments: ValidAttachment[] = [];
  if (tooManyFiles || files.length > MAX_FILES) {
    addError(errors, 'attachments', 'contact.error.files.count', { max: MAX_FILES });
    return attachments;
  }
  for (const f of files) {
    const name = displayFileName(f.filename);
    if (f.truncated || f.bytes.length > MAX_FILE_BYTES) {
      addError(errors, 'attachments', 'contact.error.file.size', { name });
      continue;
    }
    if (f.bytes.length === 0) {
      addError(errors, 'attachments', 'contact.error.file.empty', { name });
      continue;
    }
    const type = sniffType(f.bytes);
    if (!type) addError(errors, 'attachments', 'contact.error.file.type', { name });
    else attachments.push({ originalName: name, contentType: type, bytes: f.bytes });
  }
  return attachments;
}

/**
 * Checks a request. `ownContracts` are the numbers of the customer's contracts: any other
 * number is refused. `today` is `YYYY-MM-DD`; `formatDay` writes a date in the customer's language.
 */
export function validateRequest(
  values: ContactValues,
  files: UploadedFile[],
  tooManyFiles: boolean,
  ownContracts: readonly string[],
  today: string,
  formatDay: (isoDay: string) => string = (d) => d,
): { ok: true; request: ValidRequest } | { ok: false; errors: ContactErrors } {
  const errors: ContactErrors = {};

  const category = isCategory(values.category) ? values.category : null;
  if (!category) addError(errors, 'category', 'contact.error.category');

  const contract = values.contract.trim();
  if (contract !== '' && !ownContracts.includes(contract)) addError(errors, 'contract', 'contact.error.contract');

  const message = checkMessage(errors, 'message', values.message);

  let newPlate: string | null = null;
  let effectiveDate: string | null = null;
  if (category === 'plate') {
    ({ newPlate, effectiveDate } = checkNewPlate(errors, values, today, formatDay));
  }

  const attachments = checkAttachments(errors, files, tooManyFiles);

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    request: { submissionId: values.submission || null, category: category!, contractNumber: contract || null, message, newPlate, effectiveDate, attachments },
  };
}

// ---------------------------------------------------------------- the conversation

/** The customer's answer to a request: a message and its files, checked as a request's are. */
export const answerForm = form({
  message: typedText().transform((s) => s.replace(/\r\n?/g, '\n')),
  submission: typedText().transform((s) => (/^[0-9a-f-]{36}$/.test(s) ? s : '')),
});
export type AnswerValues = z.output<typeof answerForm>;
export type AnswerErrors = FormErrors<'message' | 'attachments'>;

export interface ValidAnswer {
  submissionId: string | null;
  message: string;
  attachments: ValidAttachment[];
}

/** Checks the customer's answer: its message, and its files under the contact form's rules. */
export function validateAnswer(values: AnswerValues, files: UploadedFile[], tooManyFiles: boolean): { ok: true; answer: ValidAnswer } | { ok: false; errors: AnswerErrors } {
  const errors: AnswerErrors = {};
  const message = checkMessage(errors, 'message', values.message);
  const attachments = checkAttachments(errors, files, tooManyFiles);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, answer: { submissionId: values.submission || null, message, attachments } };
}

export const STATES = ['received', 'in_progress', 'waiting_customer', 'closed'] as const satisfies readonly ContactStatus[];
export const isState = (v: unknown): v is ContactStatus => (STATES as readonly unknown[]).includes(v);
/** The states in which a request waits for customer service (not for the customer, not closed). */
export const WAITING_ON_STAFF = ['received', 'in_progress'] as const satisfies readonly ContactStatus[];
/** The states an agent sets by hand: a request is `received` only until someone deals with it. */
export const SETTABLE_STATES = ['in_progress', 'waiting_customer', 'closed'] as const satisfies readonly ContactStatus[];
export type SettableState = (typeof SETTABLE_STATES)[number];
export const isSettableState = (v: unknown): v is SettableState => (SETTABLE_STATES as readonly unknown[]).includes(v);

/** What happens to a request. */
export type ContactEvent =
  | { kind: 'assigned' }
  | { kind: 'unassigned' }
  | { kind: 'note' }
  | { kind: 'reply'; close: boolean }
  | { kind: 'customer_answer' }
  | { kind: 'set'; state: SettableState };

/**
 * A request's state after an event. Taking a new request puts it in progress; a note, or
 * taking the request from its assignee, changes nothing; a reply puts it in the customer's
 * hands, or closes it when the agent says so; the customer's answer puts it back in progress —
 * a closed request too: it is reopened, so that what the customer wrote is read (refusing the
 * answer and asking for a new request instead would split the request's history in two).
 */
export function nextState(current: ContactStatus, e: ContactEvent): ContactStatus {
  switch (e.kind) {
    case 'assigned':
      return current === 'received' ? 'in_progress' : current;
    case 'unassigned':
    case 'note':
      return current;
    case 'reply':
      return e.close ? 'closed' : 'waiting_customer';
    case 'customer_answer':
      return 'in_progress';
    case 'set':
      return e.state;
  }
}

/** When a request was closed, after a change of state at `now`: kept while it stays closed, gone once reopened. */
export function closedAtAfter(before: { status: ContactStatus; closed_at: string | null }, next: ContactStatus, now: string): string | null {
  if (next !== 'closed') return null;
  return before.status === 'closed' ? before.closed_at : now;
}

/** Whole days since `sinceIso` at `now` (0 on the day itself). */
export const ageInDays = (sinceIso: string, now: Date) => Math.max(0, Math.floor((now.getTime() - Date.parse(sinceIso)) / DAY));

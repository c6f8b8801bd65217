import { DAY, HOUR } from '../../lib/clock.ts';

/*
 * The rules of "Mes données" (RGPD articles 15 and 20): how long an archive stays, how often a
 * customer may ask, what an e-mail of the outbox shows in the export (never a secret), the
 * names of the archive's entries, and the state Profil says.
 */

/** The link and the archive last 7 days from the moment the archive is ready. */
export const EXPORT_VALIDITY_MS = 7 * DAY;

/** Requests counted per customer, at most `EXPORT_REQUESTS_PER_DAY` in 24 hours (one pending at a time besides). */
export const EXPORT_REQUESTS_PER_DAY = 3;
export const EXPORT_REQUEST_WINDOW_MS = 24 * HOUR;

/** The job's lease on an export it prepares: another worker takes it over only after this. */
export const EXPORT_LEASE_MS = 15 * 60_000;

/** An export whose archive cannot be built is tried this many times (one lease apart), then given up. */
export const EXPORT_MAX_ATTEMPTS = 3;

/**
 * The kinds of e-mail whose very content is a secret — a reset or verification link, a
 * signing code, a temporary password, a termination's confirmation or withdrawal link, the
 * export's own link: their body is never exported, only that they were sent.
 */
export const SECRET_MAIL_TEMPLATES: ReadonlySet<string> = new Set([
  'reset',
  'verify',
  'mandate-code',
  'temporary-password',
  'termination-link',
  'termination-ack',
  'newsletter-confirm',
  'newsletter-unsubscribe-link',
  'mydata-ready',
]);

/** Every token the portal hands out is 43 characters of base64url (`lib/tokens.ts`). */
const TOKEN_SHAPED = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;
/** A 6-digit code (a mandate's signature code), wherever it might appear. */
const CODE_SHAPED = /(?<![\w-])\d{6}(?![\w-])/g;
/** A link, whose long path segments (a token, a signature) are cut out. */
const LINK = /https?:\/\/[^\s<>"]+/g;
const LONG_SEGMENT = /(?<=\/)[A-Za-z0-9_.~%-]{20,}/g;

export const REDACTED = '[retiré]';

/**
 * The text of an e-mail as the export shows it: null for a kind whose content is a secret, or
 * for one whose content is already forgotten (sent: the outbox keeps no body); else the text
 * part with anything shaped like a token or a code replaced by `[retiré]` — a second guard
 * for a link one day added to another kind of mail.
 */
export function exportedMailText(template: string, textBody: string): string | null {
  if (SECRET_MAIL_TEMPLATES.has(template) || textBody === '') return null;
  return textBody
    .replace(LINK, (url) => url.replace(LONG_SEGMENT, REDACTED))
    .replace(TOKEN_SHAPED, REDACTED)
    .replace(CODE_SHAPED, REDACTED);
}

/** Why an e-mail's text is absent from the export. */
export function mailTextAbsence(template: string, textBody: string): 'secret' | 'forgotten' | null {
  if (SECRET_MAIL_TEMPLATES.has(template)) return 'secret';
  if (textBody === '') return 'forgotten';
  return null;
}

/** A name safe inside the archive: no folder, no control character, at most 100 characters. */
export function safeEntryName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, '_')
    .replace(/^\.+/, '_')
    .trim();
  return (cleaned || 'fichier').slice(-100);
}

export type ExportState =
  | { state: 'none' }
  | { state: 'pending'; requestedAt: string }
  | { state: 'ready'; expiresAt: string }
  | { state: 'expired'; expiredAt: string };

/** What Profil says of the latest export at `now`: a ready one past its 7 days is expired, purged or not yet. */
export function exportState(
  latest: { status: 'pending' | 'ready' | 'expired'; requested_at: string; expires_at: string | null } | undefined,
  now: Date,
): ExportState {
  if (!latest) return { state: 'none' };
  if (latest.status === 'pending') return { state: 'pending', requestedAt: latest.requested_at };
  const expiresAt = latest.expires_at ?? latest.requested_at;
  if (latest.status === 'ready' && Date.parse(expiresAt) > now.getTime()) return { state: 'ready', expiresAt };
  return { state: 'expired', expiredAt: expiresAt };
}

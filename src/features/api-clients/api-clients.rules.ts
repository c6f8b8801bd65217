import { z } from 'zod';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';

/*
 * API clients and their keys (`/gestion/api`, `portal api-clients`), and what the API area
 * checks a request's key against (`areas/api-area.ts`).
 *
 * A key is `pk_live_` and 256 random bits (`newToken`, 43 base64url characters); only its
 * SHA-256 is stored, and its first 16 characters (`pk_live_ab12cd34`) to name it on screen.
 */

/**
 * Every scope a client may hold: `<resource>:read|write`. A route names the one it needs
 * (`config: { apiScope }`); a new resource adds its scopes here, with their names in
 * `api-clients.messages.ts` (`api.scope.<scope>`).
 */
export const API_SCOPES = [
  'customers:read',
  'customers:write',
  'car_parks:read',
  'car_parks:write',
  'credentials:write',
  'contracts:read',
  'contracts:write',
  'exits:read',
  'exits:write',
  'documents:read',
  'documents:write',
  'payments:read',
  'payments:write',
  // The feeds (`features/feeds/feeds.api.ts`; the payments feed is read with `payments:read`); `mandates:iban` adds the full IBAN to `mandates:read`.
  'mandates:read',
  'mandates:iban',
  'contact_requests:read',
  'customer_changes:read',
  'vehicle_changes:read',
  'access:read',
  'terminations:read',
  // Issue 14: the e-invoices feed and their files (`GET /api/v1/e-invoices/{number}.pdf`).
  'e_invoices:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** The back office's name of a scope. */
export const scopeLabel = (scope: ApiScope): MessageKey => `api.scope.${scope}`;

export const isApiScope = (s: string): s is ApiScope => (API_SCOPES as readonly string[]).includes(s);

/** A client's scopes as stored (a JSON array), read back; anything else holds none. */
export function readScopes(stored: string): ApiScope[] {
  try {
    const parsed = z.array(z.string()).safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data.filter(isApiScope) : [];
  } catch {
    return [];
  }
}

/** How many keys a client may hold unrevoked: the one in use and the one replacing it. */
export const MAX_ACTIVE_KEYS = 2;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
export const MAX_RATE_LIMIT_PER_MINUTE = 100_000;

const KEY_PREFIX = 'pk_live_';
/** How much of a key is kept to name it: the marker and 8 characters (48 bits). */
const SHOWN_LENGTH = KEY_PREFIX.length + 8;

/** A new key: the secret (shown once), its hash and its visible prefix (stored). */
export function newApiKey(): { key: string; hash: string; prefix: string } {
  const key = `${KEY_PREFIX}${newToken()}`;
  return { key, hash: hashToken(key), prefix: key.slice(0, SHOWN_LENGTH) };
}

/** Whether a value has the shape of a key; anything else is refused without a query. */
export const isApiKeyShaped = (s: string): boolean => /^pk_live_[A-Za-z0-9_-]{43}$/.test(s);

/** A key named on screen: its prefix and an ellipsis. */
export const shownKey = (prefix: string) => `${prefix}…`;

/** A key's prefix as typed (`pk_live_ab12cd34…`, with or without the ellipsis). */
export const typedPrefix = (s: string) => s.trim().replace(/…$/, '');

/** What the form (or the command line) gives for a new client. */
export interface NewClientValues {
  name: string;
  scopes: string[];
  rateLimit: string;
}

export type NewClient = { name: string; scopes: ApiScope[]; rateLimitPerMinute: number };

/** A new client's columns, or what is wrong with them. */
export function checkNewClient(v: NewClientValues): { ok: true; client: NewClient } | { ok: false; errors: FormErrors<'name' | 'scopes' | 'rate_limit'> } {
  const errors: FormErrors<'name' | 'scopes' | 'rate_limit'> = {};
  const name = v.name.trim();
  if (!/^[a-z0-9][a-z0-9-]{1,39}$/.test(name)) addError(errors, 'name', 'api.bo.error.name');
  const scopes = API_SCOPES.filter((s) => v.scopes.includes(s));
  if (scopes.length === 0 || v.scopes.some((s) => !isApiScope(s))) addError(errors, 'scopes', 'api.bo.error.scopes');
  const typed = v.rateLimit.trim();
  const rate = typed === '' ? DEFAULT_RATE_LIMIT_PER_MINUTE : /^\d{1,6}$/.test(typed) ? Number(typed) : Number.NaN;
  if (!(rate >= 1 && rate <= MAX_RATE_LIMIT_PER_MINUTE)) addError(errors, 'rate_limit', 'api.bo.error.rateLimit');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, client: { name, scopes, rateLimitPerMinute: rate } };
}

import { randomBytes } from 'node:crypto';
export { hashToken } from './sessions.ts';

/*
 * Single-use tokens sent by e-mail (address verification, password reset): 256 random bits,
 * base64url (43 characters). Only their SHA-256 is stored; the token itself exists in the
 * e-mail alone — never in the database, the audit log or the request log (the routes that
 * carry one in their URL log at `warn` only).
 */
export const newToken = () => randomBytes(32).toString('base64url');

/** The shape of a token; anything else is answered as an unknown link without a query. */
export const isTokenShaped = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s);

import { createHash, randomBytes } from 'node:crypto';

/*
 * Every secret token the portal hands out — session cookies, links sent by e-mail (address
 * verification, password reset, newsletter confirmation) — is 256 random bits in base64url
 * (43 characters). Only its SHA-256 is stored; the token itself exists in the cookie or the
 * e-mail alone, never in the database, the audit log or the request log.
 */
export const newToken = () => randomBytes(32).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * `text` with every token-shaped run (43 base64url characters standing alone: a link's token,
 * in a path or a `?suite=` query) replaced by `[token]`: what the request log writes of a URL (L1).
 */
export const withoutTokens = (text: string): string => text.replace(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, '[token]');

/** The shape of a token; anything else is answered as an unknown link without a query. */
export const isTokenShaped = (s: unknown): s is string => typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s);

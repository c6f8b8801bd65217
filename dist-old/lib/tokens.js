import { createHash, randomBytes } from 'node:crypto';
/*
 * Every secret token the portal hands out — session cookies, links sent by e-mail (address
 * verification, password reset, newsletter confirmation) — is 256 random bits in base64url
 * (43 characters). Only its SHA-256 is stored; the token itself exists in the cookie or the
 * e-mail alone, never in the database, the audit log or the request log.
 */
export const newToken = () => randomBytes(32).toString('base64url');
export const hashToken = (token) => createHash('sha256').update(token).digest('hex');
/** The shape of a token; anything else is answered as an unknown link without a query. */
export const isTokenShaped = (s) => typeof s === 'string' && /^[A-Za-z0-9_-]{43}$/.test(s);
//# sourceMappingURL=tokens.js.map
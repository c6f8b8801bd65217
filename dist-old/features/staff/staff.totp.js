import { hkdfSync, randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { decrypt, encrypt } from '../../lib/crypto.js';
import { translator } from '../../lib/i18n.js';
import { hashToken } from '../../lib/tokens.js';
import { RECOVERY_CODE_COUNT } from './staff.rules.js';
/*
 * The staff's second factor: TOTP (RFC 6238, 30-second steps, 6 digits, SHA-1: what every
 * authenticator app reads from a QR code) and single-use recovery codes.
 * - The secret is kept AES-256-GCM (`lib/crypto.ts`) under a key of its own, derived from
 *   `MANDATE_ENCRYPTION_KEY` with HKDF and the label `staff-totp-secret` (as the CSRF key is).
 * - A code is accepted one step either side of now (a phone's clock drifts), and only at a
 *   step later than the last one accepted: the caller records that step with a conditional
 *   update, so a code is never accepted twice (`staff.service.ts`).
 * - Recovery codes: 16 letters and digits that cannot be confused (≈ 79 bits), kept as
 *   their SHA-256 only, shown once.
 */
const totpKey = (config) => Buffer.from(hkdfSync('sha256', config.mandateKey, Buffer.alloc(0), 'staff-totp-secret', 32));
export const sealTotpSecret = (config, secret) => encrypt(totpKey(config), secret);
export const openTotpSecret = (config, sealed) => decrypt(totpKey(config), sealed);
/** A new secret: 160 random bits in base32 (32 characters), RFC 4226's recommended length. */
export const newTotpSecret = () => generateSecret();
const STEP_SECONDS = 30;
/** The time step a 6-digit `code` matches at `now` (± one step), or null. */
export async function totpStep(secret, code, now) {
    if (!/^\d{6}$/.test(code))
        return null;
    const result = await verify({ secret, token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: STEP_SECONDS });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
}
/** The `otpauth://` URI an authenticator app reads: the operator's back office as issuer, the e-mail as label. */
export const totpUri = (operator, email, secret) => generateURI({ issuer: translator('fr')('staff.totp.issuer', { operator: operator.name }), label: email, secret });
/** The QR code of that URI as an SVG data URI, for an `<img>` (the CSP allows `data:` images; no script). */
export async function qrCodeImage(uri) {
    // Only enrolment shows one: the library is loaded then, not at start.
    const { default: QRCode } = await import('qrcode');
    const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
const RECOVERY_ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
/** Ten recovery codes as shown, `abcd-efgh-jkmn-pqrs`. */
export function newRecoveryCodes() {
    return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
        let s = '';
        for (let i = 0; i < 16; i++)
            s += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
        return s.match(/.{4}/g).join('-');
    });
}
/** What a recovery code is kept as: the SHA-256 of its letters, without dashes or spaces, in lower case. */
export const recoveryCodeHash = (code) => hashToken(code.replace(/[\s-]/g, '').toLowerCase());
//# sourceMappingURL=staff.totp.js.map
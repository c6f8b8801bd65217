import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
/*
 * Encryption at rest of personal data such as IBANs: AES-256-GCM with a random 96-bit IV.
 * Stored as base64(iv ‖ tag ‖ ciphertext). The key comes from configuration only.
 */
export function encrypt(key, plaintext) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}
/** Throws if the data was altered or the key is wrong. */
export function decrypt(key, stored) {
    const raw = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
/**
 * Bytes (a file) sealed the same way: their base64 text is encrypted, and the result kept as
 * raw bytes, base64-decoded, so a stored file is no larger than it must be.
 */
export function encryptBytes(key, bytes) {
    return Buffer.from(encrypt(key, bytes.toString('base64')), 'base64');
}
/** Throws if the data was altered or the key is wrong. */
export function decryptBytes(key, sealed) {
    return Buffer.from(decrypt(key, sealed.toString('base64')), 'base64');
}
//# sourceMappingURL=crypto.js.map
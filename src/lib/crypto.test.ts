import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, decryptBytes, encrypt, encryptBytes } from './crypto.ts';

describe('encryption at rest', () => {
  const key = randomBytes(32);
  it('round-trips, with a different ciphertext each time, and no plaintext inside', () => {
    const a = encrypt(key, 'FR7630006000011234567890189');
    const b = encrypt(key, 'FR7630006000011234567890189');
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain('30006000011234567890189');
    expect(decrypt(key, a)).toBe('FR7630006000011234567890189');
  });
  it('refuses altered data or another key', () => {
    const a = Buffer.from(encrypt(key, 'FR7630006000011234567890189'), 'base64');
    a[a.length - 1]! ^= 1;
    expect(() => decrypt(key, a.toString('base64'))).toThrow();
    expect(() => decrypt(randomBytes(32), encrypt(key, 'x'))).toThrow();
  });
  it('seals bytes the same way, as the base64 text of the file', () => {
    const pdf = Buffer.from('%PDF-1.3 FR7630006000011234567890189');
    const sealed = encryptBytes(key, pdf);
    expect(sealed.toString('latin1')).not.toContain('30006000011234567890189');
    expect(decryptBytes(key, sealed).equals(pdf)).toBe(true);
    expect(decrypt(key, sealed.toString('base64'))).toBe(pdf.toString('base64'));
  });
});

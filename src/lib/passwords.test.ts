import { describe, expect, it } from 'vitest';
import {
  CUSTOMER_MIN_LENGTH,
  TEMP_PASSWORD_ALPHABET,
  checkPassword,
  generateTemporaryPassword,
  hashPassword,
  verifyPassword,
} from './passwords.ts';

const ctx = {
  minLength: CUSTOMER_MIN_LENGTH,
  contextWords: ['CLT013261', 'DURAND', 'FRANCOIS', 'francois.durand@example.fr', 'Parkings Démo'],
};

describe('password policy (A2)', () => {
  it.each([
    'motdepasse12',
    'password1234',
    'azertyuiop123',
    'qwertyuiop123',
    '123456789012',
    'aaaaaaaaaaaa',
    'abcdefghijkl',
    'Motdepasse2024',
    'iloveyou1234',
    'soleil123456',
    'Password123!',
    'Azerty123456!',
    'Parking2026!!',
  ])('refuses the common or guessable password %s', (pw) => {
    expect(checkPassword(pw, ctx)).not.toBeNull();
  });

  it.each(['CLT013261-secret!', 'durand-maison-2026', 'Francois#Paris#75', 'francois.durand@example.fr', 'parkings-secret-99'])(
    'refuses a password built on the context word in %s',
    (pw) => {
      expect(checkPassword(pw, ctx)).toBe('error.password.context');
    },
  );

  it('refuses anything shorter than 12 characters', () => {
    expect(checkPassword('Zq8#vL2!pW9', ctx)).toBe('error.password.tooShort');
  });

  it('accepts a passphrase of 12 characters and more, with no composition rule', () => {
    expect(checkPassword('cheval agrafe batterie', ctx)).toBeNull();
    expect(checkPassword('violet tramway cerise', ctx)).toBeNull();
  });

  it('accepts a 128-character passphrase', () => {
    const long = 'le petit chat gris dort sur la banquette arrière du vieux tramway de Lisbonne pendant que la pluie tombe sur les pavés mouillés!';
    expect([...long].length).toBeGreaterThanOrEqual(128);
    expect(checkPassword(long.slice(0, 128), ctx)).toBeNull();
  });
});

describe('password hashing (A3)', () => {
  it('stores argon2id with m=19456, t=2, p=1 and verifies', async () => {
    const h = await hashPassword('cheval agrafe batterie');
    expect(h.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(h, 'cheval agrafe batterie')).toBe(true);
    expect(await verifyPassword(h, 'cheval agrafe batteriE')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});

describe('temporary passwords (A1)', () => {
  it('are 12 characters of an unambiguous alphabet, and different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateTemporaryPassword();
      expect(p).toHaveLength(12);
      expect([...p].every((c) => TEMP_PASSWORD_ALPHABET.includes(c))).toBe(true);
      seen.add(p);
    }
    expect(seen.size).toBe(200);
    expect(TEMP_PASSWORD_ALPHABET).not.toMatch(/[0O1lIio]/);
  });
});

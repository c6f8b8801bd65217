import { describe, expect, it } from 'vitest';
import { normalise } from '../../lib/search.ts';
import { loginStatus, phoneKey, plateKey, searchKeysOf, searchPlan } from './customers.rules.ts';

describe('search keys', () => {
  it('normalises text the same way on both sides: case, accents, ligatures, spaces', () => {
    expect(normalise('  FRANÇOIS   Lefèvre ')).toBe('francois lefevre');
    expect(normalise('Œuvre Æsir Straße')).toBe('oeuvre aesir strasse');
    expect(normalise('Durand')).toBe(normalise('DURAND'));
  });

  it('keeps a phone number in one form however it is typed', () => {
    for (const typed of ['06 12 34 56 78', '06.12.34.56.78', '0612345678', '+33 6 12 34 56 78', '+33612345678', '0033 6 12 34 56 78', '+33 (0)6 12 34 56 78']) {
      expect(phoneKey(typed), typed).toBe('0612345678');
    }
    expect(phoneKey('+44 20 7946 0958')).toBe('+442079460958');
  });

  it('keeps a plate in letters and digits, with or without dashes or spaces', () => {
    for (const typed of ['AB-123-CD', 'ab 123 cd', 'AB123CD', ' ab-123 cd ']) expect(plateKey(typed)).toBe('AB123CD');
    expect(plateKey('123 ABC 75')).toBe('123ABC75');
  });

  it('makes one key per name word, address and phone, each once', () => {
    const keys = searchKeysOf({
      last_name: 'MARTIN-DUPONT',
      first_name: 'Élise',
      company_name: 'Garage Martin',
      email_primary: 'Elise@Example.fr',
      email_secondary: null,
      phone: '01 23 45 67 89',
      mobile_phone: '+33 1 23 45 67 89',
    });
    expect(keys).toEqual([
      { field: 'name', key: 'martin' },
      { field: 'name', key: 'dupont' },
      { field: 'name', key: 'elise' },
      { field: 'name', key: 'garage' },
      { field: 'email', key: 'elise@example.fr' },
      { field: 'phone', key: '0123456789' },
    ]);
  });

  it('does not search a query under 2 characters, and reads the others for each key', () => {
    expect(searchPlan('')).toBeNull();
    expect(searchPlan(' a ')).toBeNull();
    expect(searchPlan('é')).toBeNull();
    expect(searchPlan('+')).toBeNull();
    expect(searchPlan('François Durand')).toEqual({ number: 'FRANÇOISDURAND', words: ['francois', 'durand'], email: null, phone: null, plate: null });
    expect(searchPlan('clt013261')).toMatchObject({ number: 'CLT013261', words: ['clt013261'], email: 'clt013261', phone: null, plate: 'CLT013261' });
    expect(searchPlan('+33 6 12 34')).toMatchObject({ phone: '061234', email: null });
    expect(searchPlan('AB-123-CD')).toMatchObject({ plate: 'AB123CD', number: 'AB-123-CD' });
  });
});

describe('login status', () => {
  const now = new Date('2026-11-27T10:00:00.000Z');
  const login = { temp_password_issued_at: null, temp_password_expires_at: null, activated_at: null, password_changed_at: null, last_login_at: null };

  it('tells never activated, a temporary password valid or expired, active, locked', () => {
    expect(loginStatus(undefined, undefined, now)).toMatchObject({ state: 'none', heldUntil: null });
    const issued = { ...login, state: 'not_activated' as const, temp_password_issued_at: '2026-11-01T09:00:00.000Z', temp_password_expires_at: '2027-03-01T09:00:00.000Z' };
    expect(loginStatus(issued, undefined, now)).toMatchObject({ state: 'not_activated', expired: false });
    expect(loginStatus({ ...issued, temp_password_expires_at: '2026-11-27T09:59:59.000Z' }, undefined, now)).toMatchObject({ expired: true });
    expect(loginStatus({ ...login, state: 'active', activated_at: '2026-01-01T00:00:00.000Z' }, undefined, now)).toMatchObject({ state: 'active', activatedAt: '2026-01-01T00:00:00.000Z' });
    expect(loginStatus({ ...login, state: 'locked' }, undefined, now)).toMatchObject({ state: 'locked' });
  });

  it('says the throttle holds the number only while its lock lasts', () => {
    const active = { ...login, state: 'active' as const };
    expect(loginStatus(active, { failures: 5, locked_until: '2026-11-27T10:01:00.000Z' }, now)).toMatchObject({ heldUntil: '2026-11-27T10:01:00.000Z', failures: 5 });
    expect(loginStatus(active, { failures: 5, locked_until: '2026-11-27T09:59:00.000Z' }, now)).toMatchObject({ heldUntil: null, failures: 5 });
  });
});

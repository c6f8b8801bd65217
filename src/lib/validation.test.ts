import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  boundedText,
  checkbox,
  csrfField,
  emailAddress,
  form,
  localPath,
  present,
  repeated,
  suiteField,
  tokenParams,
  typedText,
  uuid,
  wellFormed,
} from './validation.ts';

describe('form', () => {
  const f = form({ name: typedText() });

  it('reads a body that is not a form as an empty one', () => {
    for (const body of [undefined, null, 'text', 42, ['a'], Buffer.from('x')]) expect(f.parse(body), String(body)).toEqual({ name: '' });
  });

  it('reads an urlencoded body, prototype-less as formbody gives it', () => {
    expect(f.parse(Object.assign(Object.create(null), { name: 'Durand', other: 'ignored' }))).toEqual({ name: 'Durand' });
  });
});

describe('typedText', () => {
  it('keeps one string as typed, spaces and line breaks included', () => {
    expect(typedText().parse('  Rue de la Paix \r\n')).toBe('  Rue de la Paix \r\n');
  });

  it('reads anything but one string as empty', () => {
    const f = form({ a: typedText(), b: typedText(), c: typedText(), d: typedText() });
    expect(f.parse({ b: ['x', 'y'], c: 12, d: { x: 1 } })).toEqual({ a: '', b: '', c: '', d: '' });
  });

  it('cuts at max', () => {
    expect(typedText(5).parse('abcdefgh')).toBe('abcde');
    expect(typedText(5).parse('abc')).toBe('abc');
  });
});

describe('boundedText', () => {
  const f = z.object({ identifiant: boundedText(5) });

  it('is empty when absent', () => {
    expect(f.parse({})).toEqual({ identifiant: '' });
  });

  it('refuses the body when longer than max, or not text', () => {
    expect(f.safeParse({ identifiant: 'abcde' }).success).toBe(true);
    expect(f.safeParse({ identifiant: 'abcdef' }).success).toBe(false);
    expect(f.safeParse({ identifiant: ['a', 'b'] }).success).toBe(false);
  });
});

describe('emailAddress', () => {
  it('trims, then checks the form and the length', () => {
    expect(emailAddress.parse('  nom@exemple.fr ')).toBe('nom@exemple.fr');
    expect(emailAddress.safeParse('nom@').success).toBe(false);
    expect(emailAddress.safeParse('').success).toBe(false);
    expect(emailAddress.safeParse(`${'a'.repeat(64)}@${'b'.repeat(186)}.fr`).success).toBe(true); // 254
    expect(emailAddress.safeParse(`${'a'.repeat(64)}@${'b'.repeat(187)}.fr`).success).toBe(false); // 255
  });
});

describe('checkbox', () => {
  const f = z.object({ paperless: checkbox });

  it('is ticked when sent, whatever its value', () => {
    expect(f.parse({ paperless: 'yes' })).toEqual({ paperless: true });
    expect(f.parse({ paperless: '' })).toEqual({ paperless: true });
    expect(f.parse({})).toEqual({ paperless: false });
  });
});

describe('repeated', () => {
  const f = z.object({ facture: repeated(z.string()) });

  it('gives a list whether the field came none, once or several times', () => {
    expect(f.parse({})).toEqual({ facture: [] });
    expect(f.parse({ facture: 'a' })).toEqual({ facture: ['a'] });
    expect(f.parse({ facture: ['a', 'b'] })).toEqual({ facture: ['a', 'b'] });
  });

  it('refuses items of another kind', () => {
    expect(f.safeParse({ facture: [1] }).success).toBe(false);
    expect(z.object({ n: repeated(z.string().regex(/^\d+$/)) }).safeParse({ n: ['1', 'x'] }).success).toBe(false);
  });
});

describe('present', () => {
  const q = z.object({ envoyee: present, other: present });

  it('is set when the parameter is there, whatever its value', () => {
    expect(q.parse({ envoyee: '' })).toEqual({ envoyee: true, other: false });
    expect(q.parse({ envoyee: ['1', '2'], other: 'x' })).toEqual({ envoyee: true, other: true });
    expect(q.parse({})).toEqual({ envoyee: false, other: false });
  });
});

describe('localPath and suiteField', () => {
  it('take a path of this site, query included', () => {
    for (const path of ['/', '/prelevement', '/contact/demandes/DEM-2026-000001', '/mon-compte?annee=2025&type=invoice', '/%2F%2Fevil']) {
      expect(localPath.safeParse(path).success, path).toBe(true);
    }
  });

  it('refuse anything that could leave the site, or that is not a plain path', () => {
    const hostile = ['//evil.example', '///evil.example', '/\\evil', '/\\/evil', '\\\\evil', 'https://evil.example', 'javascript:alert(1)', 'evil.example', '', ' /x', '/a b', '/x\r\nSet-Cookie: a=1', '/é', `/${'a'.repeat(2048)}`];
    for (const path of hostile) expect(localPath.safeParse(path).success, JSON.stringify(path)).toBe(false);
  });

  it('suiteField: the path, or none when absent or refused', () => {
    const q = z.object({ suite: suiteField });
    expect(q.parse({ suite: '/prelevement' })).toEqual({ suite: '/prelevement' });
    expect(q.parse({ suite: '//evil.example' })).toEqual({ suite: undefined });
    expect(q.parse({ suite: ['/a', '/b'] })).toEqual({ suite: undefined });
    expect(q.parse({})).toEqual({ suite: undefined });
  });
});

describe('uuid', () => {
  it('takes an id as the portal makes them, lower case', () => {
    const id = crypto.randomUUID();
    expect(uuid.parse(id)).toBe(id);
    expect(uuid.safeParse(id.toUpperCase()).success).toBe(false);
    expect(uuid.safeParse(`${id}x`).success).toBe(false);
    expect(uuid.safeParse('not-an-id').success).toBe(false);
  });
});

describe('wellFormed', () => {
  const params = z.object({ file: wellFormed(z.string().regex(/^\w+\.pdf$/).transform((f) => f.slice(0, -4))) });

  it('gives the value when well formed, and always the raw text', () => {
    expect(params.parse({ file: 'F2026.pdf' })).toEqual({ file: { raw: 'F2026.pdf', value: 'F2026' } });
    expect(params.parse({ file: '../etc/passwd' })).toEqual({ file: { raw: '../etc/passwd', value: null } });
  });
});

describe('tokenParams and csrfField', () => {
  it('read the token of a link, and the token of a form', () => {
    expect(tokenParams.parse({ token: 'abc' })).toEqual({ token: 'abc' });
    expect(csrfField.parse({ _csrf: 'tok', name: 'x' })).toEqual({ _csrf: 'tok' });
    expect(csrfField.parse({ _csrf: ['a', 'b'] })).toEqual({ _csrf: undefined });
    expect(csrfField.parse(undefined)).toEqual({ _csrf: undefined });
  });
});

import { describe, expect, it } from 'vitest';
import { frenchSpacing, unfilledPlaceholders, wordingProblems } from '../../tests/support/wording.ts';
import { formatDate, formatDateTime, messageKeys, translator } from './i18n.ts';

describe('i18n', () => {
  it('translates with parameters in both languages', () => {
    expect(translator('fr')('header.welcome', { name: 'DURAND FRANCOIS' })).toBe('Bienvenue DURAND FRANCOIS');
    expect(translator('en')('header.welcome', { name: 'DURAND FRANCOIS' })).toBe('Welcome DURAND FRANCOIS');
  });

  it('fills every placeholder of a message, each time it appears, and leaves one without a value as written', () => {
    const t = translator('fr');
    // Placeholders at both ends and in the middle; a second call with other values.
    expect(t('account.period', { start: '01/11/2026', end: '30/11/2026' })).toBe('du 01/11/2026 au 30/11/2026');
    expect(t('account.period', { start: '01/12/2026', end: '31/12/2026' })).toBe('du 01/12/2026 au 31/12/2026');
    expect(t('account.period', { start: '01/12/2026' })).toBe('du 01/12/2026 au {end}');
    expect(t('header.welcome', { name: '{to} $& $1' })).toBe('Bienvenue {to} $& $1');
  });

  it('formats dates the French and the English way', () => {
    expect(formatDate('2015-12-09', 'fr')).toBe('09/12/2015');
    expect(formatDate('2015-12-09', 'en')).toBe('9 Dec 2015');
    // A timestamp late on 31 Dec UTC is already 1 Jan in Paris.
    expect(formatDate('2015-12-31T23:30:00.000Z', 'fr')).toBe('01/01/2016');
  });

  it('has the same placeholders in English as in French, for every key of every feature', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(messageKeys.length).toBeGreaterThan(500);
    for (const key of messageKeys) expect(names(translator('en')(key)), key).toEqual(names(translator('fr')(key)));
  });

  it('says date and time the French and the English way', () => {
    expect(formatDateTime('2026-11-27T10:00:00.000Z', 'fr')).toBe('27/11/2026 à 11:00');
    expect(formatDateTime('2026-11-27T10:00:00.000Z', 'en')).toBe('27 Nov 2026 at 11:00');
  });

  it('writes English the English way: no space before a colon, semicolon, exclamation or question mark', () => {
    const en = translator('en');
    expect(messageKeys.filter((key) => frenchSpacing(en(key)).length > 0)).toEqual([]);
    // And French the French way, where it says a label.
    expect(translator('fr')('format.labelValue', { label: 'Adresse', value: 'x' })).toBe('Adresse : x');
  });

  it('has a guard that finds an unfilled placeholder anywhere, and French spacing in English only', () => {
    expect(unfilledPlaceholders('au moins {min} caractères, {min} et {max}')).toEqual(['{min}', '{max}']);
    expect(unfilledPlaceholders('{{operator.name}} a { b } ')).toEqual([]);
    const en = '<html lang="en"><body><p><span class="label">LOGIN (customer no.)</span> : <strong>CLT1</strong></p><p>Why?</p></body></html>';
    expect(wordingProblems('GET /x', en, 'html')).toEqual(['GET /x: French spacing in English: “LOGIN (customer no.) :”']);
    expect(wordingProblems('GET /x', en.replace('lang="en"', 'lang="fr"'), 'html')).toEqual([]);
    expect(wordingProblems('mail', 'Hello {name},', 'text')).toEqual(['mail: unfilled placeholder {name}']);
    expect(wordingProblems('mail', 'Account : x', 'text', true)).toHaveLength(1);
  });
});

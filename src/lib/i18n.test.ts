import { describe, expect, it } from 'vitest';
import { formatDate, translator } from './i18n.ts';

describe('i18n', () => {
  it('translates with parameters in both languages', () => {
    expect(translator('fr')('header.welcome', { name: 'DURAND FRANCOIS' })).toBe('Bienvenue DURAND FRANCOIS');
    expect(translator('en')('header.welcome', { name: 'DURAND FRANCOIS' })).toBe('Welcome DURAND FRANCOIS');
  });

  it('formats dates the French and the English way', () => {
    expect(formatDate('2015-12-09', 'fr')).toBe('09/12/2015');
    expect(formatDate('2015-12-09', 'en')).toBe('9 Dec 2015');
    // A timestamp late on 31 Dec UTC is already 1 Jan in Paris.
    expect(formatDate('2015-12-31T23:30:00.000Z', 'fr')).toBe('01/01/2016');
  });
});

import { describe, expect, it } from 'vitest';
import { testConfig } from '../../config.ts';
import type { FormErrors } from '../../lib/forms.tsx';
import {
  DEFAULT_BRAND_COLOUR,
  MIN_CONTRAST,
  checkSettings,
  contrastRatio,
  darker,
  frenchVatKey,
  hoursFromRows,
  icsValid,
  normaliseColour,
  normaliseSiren,
  phoneValid,
  settingsFromEnvironment,
  settingsValues,
  worstContrast,
} from './settings.rules.ts';

const keysOf = (errors: FormErrors) => Object.fromEntries(Object.entries(errors).map(([f, list]) => [f, list!.map((e) => e.key)]));

describe('the operator’s identifiers', () => {
  it('a SIREN: 9 digits with a Luhn key, typed with spaces or not', () => {
    expect(normaliseSiren('123 456 782')).toBe('123456782');
    expect(normaliseSiren('732829320')).toBe('732829320');
    expect(normaliseSiren('123456789')).toBeNull(); // the key is wrong
    expect(normaliseSiren('12345678')).toBeNull();
    expect(normaliseSiren('12345678A')).toBeNull();
  });

  it('a French VAT number: its key is (12 + 3 × (SIREN mod 97)) mod 97', () => {
    expect(frenchVatKey('123456782')).toBe('11');
    expect(frenchVatKey('123456789')).toBe('32');
    expect(frenchVatKey('732829320')).toBe('44');
  });

  it('an ICS: country, ISO 7064 key of the national identifier, business code', () => {
    expect(icsValid('FR72ZZZ123456')).toBe(true);
    expect(icsValid('FR12ZZZ123456')).toBe(false); // wrong key
    expect(icsValid('FR72ABC123456')).toBe(true); // the business code does not count
    expect(icsValid('FR72ZZZ')).toBe(false);
    expect(icsValid('fr72zzz123456')).toBe(false); // the form uppercases before checking
  });

  it('a phone number: French, international or a short service number', () => {
    for (const ok of ['01 23 45 67 89', '01.23.45.67.89', '+33 1 23 45 67 89', '+44 20 7946 0958', '3975']) expect(phoneValid(ok), ok).toBe(true);
    for (const bad of ['12345', '01 23 45 67', 'zéro un', '+0 123', '']) expect(phoneValid(bad), bad).toBe(false);
  });
});

describe('the main colour', () => {
  it('is a hex colour, normalised to six lower-case digits', () => {
    expect(normaliseColour(' #0B4F8A ')).toBe('#0b4f8a');
    expect(normaliseColour('#08f')).toBe('#0088ff');
    expect(normaliseColour('blue')).toBeNull();
    expect(normaliseColour('#12345')).toBeNull();
  });

  it('is measured as WCAG 2.1 does, against white and the footer’s grey', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(MIN_CONTRAST);
    expect(worstContrast(DEFAULT_BRAND_COLOUR)).toBeGreaterThanOrEqual(MIN_CONTRAST);
    // #767676 passes on white but not on the footer's grey, where links take the colour too.
    expect(worstContrast('#767676')).toBeLessThan(MIN_CONTRAST);
    expect(worstContrast('#ffff00')).toBeLessThan(2);
    expect(darker('#0b4f8a')).toBe('#083b68');
  });
});

describe('the settings form', () => {
  const valid = () => settingsValues(settingsFromEnvironment(testConfig()));

  it('accepts the environment’s defaults as they are, so the demo saves unchanged', () => {
    const checked = checkSettings(valid());
    expect(checked.ok ? 'ok' : keysOf(checked.errors)).toBe('ok');
  });

  it('names each field that is wrong, with what is wrong', () => {
    const checked = checkSettings({
      ...valid(),
      name: '',
      siren: '123456789',
      vat_number: 'FR32123456789',
      creditor_id: 'FR12ZZZ123456',
      email: 'pas-une-adresse',
      phone: '12',
      website: 'www.sans-schema.fr',
      mediator_address: '1 rue du Médiateur',
      brand_colour: '#ffff00',
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(keysOf(checked.errors)).toEqual({
      name: ['settings.error.required'],
      siren: ['settings.error.siren'],
      // Its key is right for its own SIREN; it is not the operator's SIREN that is wrong here, the SIREN is.
      creditor_id: ['settings.error.ics'],
      email: ['error.email.invalid'],
      phone: ['settings.error.phone'],
      website: ['settings.error.url'],
      mediator_name: ['settings.error.mediatorName'],
      brand_colour: ['settings.error.contrast'],
    });
    expect(checked.errors.brand_colour![0]!.params).toEqual({ ratio: '1,07', min: '4,5' });
  });

  it('checks a VAT number’s key, and that it carries the SIREN', () => {
    const wrongKey = checkSettings({ ...valid(), vat_number: 'FR12123456782' });
    expect(!wrongKey.ok && keysOf(wrongKey.errors)).toEqual({ vat_number: ['settings.error.vat.key'] });
    const otherSiren = checkSettings({ ...valid(), vat_number: 'FR44732829320' });
    expect(!otherSiren.ok && keysOf(otherSiren.errors)).toEqual({ vat_number: ['settings.error.vat.siren'] });
    const format = checkSettings({ ...valid(), vat_number: 'DE123456789' });
    expect(!format.ok && keysOf(format.errors)).toEqual({ vat_number: ['settings.error.vat.format'] });
    const typed = checkSettings({ ...valid(), vat_number: 'fr 11 123 456 782', siren: '123 456 782', creditor_id: 'fr72 zzz 123456' });
    expect(typed.ok && [typed.settings.vat_number, typed.settings.siren, typed.settings.creditor_id]).toEqual(['FR11123456782', '123456782', 'FR72ZZZ123456']);
  });
});

describe('opening hours typed in a form', () => {
  const row = (o: Partial<Record<'for' | 'first' | 'last' | 'open' | 'close', string>>) => ({ for: '', first: '', last: '', open: '', close: '', ...o });

  it('become the stored lines', () => {
    const errors: FormErrors = {};
    const stored = hoursFromRows([row({ for: 'everyone', first: '1', last: '5', open: '08:00', close: '19:00' }), row({ for: 'subscribers' })], errors);
    expect(errors).toEqual({});
    expect(JSON.parse(stored!)).toEqual([{ for: 'everyone', days: [1, 5], hours: ['08:00', '19:00'] }, { for: 'subscribers' }]);
  });

  it('say which line is wrong', () => {
    const errors: FormErrors = {};
    expect(
      hoursFromRows([row({ for: 'everyone' }), row({ for: 'everyone', first: '5', last: '1' }), row({ for: 'reception', open: '19:00', close: '08:00' }), row({ open: '08:00' })], errors),
    ).toBeNull();
    expect(errors.hours).toEqual([
      { key: 'settings.error.hours.dayOrder', params: { line: 2 } },
      { key: 'settings.error.hours.timeOrder', params: { line: 3 } },
      { key: 'settings.error.hours.for', params: { line: 4 } },
    ]);
    const none: FormErrors = {};
    expect(hoursFromRows([], none)).toBeNull();
    expect(none.hours).toEqual([{ key: 'settings.error.hours.none' }]);
    const serviceOnly: FormErrors = {};
    expect(hoursFromRows([row({ for: 'reception' })], serviceOnly, ['everyone'])).toBeNull();
    expect(serviceOnly.hours).toEqual([{ key: 'settings.error.hours.for', params: { line: 1 } }]);
  });
});

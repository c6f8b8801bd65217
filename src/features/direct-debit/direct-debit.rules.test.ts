import { describe, expect, it } from 'vitest';
import { translator } from '../../lib/i18n.ts';
import { directDebitEn, directDebitFr } from './direct-debit.messages.ts';
import {
  type MandateFormValues,
  checkBic,
  checkIban,
  codeMatches,
  friendlyIban,
  hashSigningCode,
  isOnlineRumOf,
  isValidRum,
  maskIban,
  newRum,
  newSigningCode,
  paperRum,
  validateMandateForm,
} from './direct-debit.rules.ts';

/** Valid IBANs of SEPA countries (the registry's examples). */
const SEPA_IBANS = {
  FR: 'FR7630006000011234567890189',
  DE: 'DE89370400440532013000',
  BE: 'BE68539007547034',
  IT: 'IT60X0542811101000000123456',
  ES: 'ES9121000418450200051332',
  NL: 'NL91ABNA0417164300',
  MC: 'MC5811222000010123456789030',
} as const;

describe('IBAN checks', () => {
  it('accepts valid IBANs of SEPA countries, typed with spaces, dashes or in lower case', () => {
    for (const [country, iban] of Object.entries(SEPA_IBANS)) {
      expect(checkIban(iban, 'fr'), iban).toEqual({ ok: true, iban, country });
      expect(checkIban(` ${friendlyIban(iban).toLowerCase()} `, 'fr'), iban).toEqual({ ok: true, iban, country });
    }
    expect(checkIban('FR76-3000-6000-0112-3456-7890-189', 'fr')).toMatchObject({ ok: true, iban: SEPA_IBANS.FR });
  });

  it('says what is wrong: checksum, length, format, country, SEPA', () => {
    const t = translator('fr');
    const say = (input: string, lang: 'fr' | 'en' = 'fr') => {
      const r = checkIban(input, lang);
      if (r.ok) throw new Error(`${input} accepted`);
      return translator(lang)(r.error.key, r.error.params);
    };
    expect(say('FR7630006000011234567890188')).toBe(t('directDebit.error.iban.checksum'));
    expect(say('FR76 3000 6000 0112 3456 7890 18')).toBe(
      'Un IBAN de ce pays (France, FR) compte 27 caractères ; vous en avez saisi 26. Vérifiez-le sur votre RIB.',
    );
    expect(say('DE8937040044053201300', 'en')).toBe('An IBAN from Germany (DE) has 22 characters; you entered 21. Check it against your bank details.');
    expect(say('TR330006100519786457841326')).toContain('le pays de cet IBAN (Turquie, TR) n’en fait pas partie');
    expect(say('XX7630006000011234567890189')).toBe(
      '« XX » n’est pas un code pays d’IBAN reconnu : un IBAN commence par le code de son pays, par exemple FR pour la France.',
    );
    expect(say('US64SVBKUS6S3300958879')).toContain('« US » n’est pas un code pays d’IBAN reconnu');
    expect(say('1234567890')).toContain('« 12 » n’est pas un code pays');
    expect(say('FR76 3000 6000 #112')).toBe(t('directDebit.error.iban.characters'));
    expect(say('   ')).toBe(t('directDebit.error.iban.required'));
    // Letters where the German BBAN has digits.
    expect(say('DE89370400440532013ABC')).toBe('Cet IBAN ne correspond pas au format des IBAN de ce pays (Allemagne, DE) : vérifiez-le sur votre RIB.');
  });

  it('checks the BIC only when given', () => {
    expect(checkBic('')).toBeNull();
    expect(checkBic(' bnpa frpp ')).toBe('BNPAFRPP');
    expect(checkBic('BNPAFRPPXXX')).toBe('BNPAFRPPXXX');
    expect(checkBic('BNPA')).toBe(false);
    expect(checkBic('BNPAFRPPX')).toBe(false);
  });

  it('masks an IBAN to its country and last 4 characters, grouped as on a RIB', () => {
    expect(maskIban('FR', '0189')).toBe('FR•• •••• •••• 0189');
    expect(maskIban('DE', '3000')).toBe('DE•• •••• •••• 3000');
    // Nothing but the country and the last four: not even the length.
    expect(maskIban('BE', '7034').replace(/[^A-Z0-9]/g, '')).toBe('BE7034');
  });
});

describe('RUM', () => {
  it('is ours: ≤ 35 characters, A–Z 0–9 and dashes, the customer number and the day, no IBAN', () => {
    const now = new Date('2026-11-27T23:30:00.000Z'); // already the 28th in Paris
    for (let i = 0; i < 50; i++) {
      const rum = newRum('CLT013262', now);
      expect(rum).toMatch(/^RUM-CLT013262-20261128-[A-HJ-NP-Z2-9]{4}$/);
      expect(rum.length).toBeLessThanOrEqual(35);
      expect(isValidRum(rum)).toBe(true);
      expect(isOnlineRumOf(rum, 'CLT013262')).toBe(true);
      expect(isOnlineRumOf(rum, 'CLT013263')).toBe(false);
    }
    const long = newRum('clt-0132-6299-9999-9999-9999', now);
    expect(long.length).toBeLessThanOrEqual(35);
    expect(isValidRum(long)).toBe(true);
    expect(isOnlineRumOf('RUM-CLT013262-20261128-0OI1', 'CLT013262')).toBe(false);
    expect(isOnlineRumOf(`RUM-${SEPA_IBANS.FR}`, 'CLT013262')).toBe(false);
    expect(isValidRum('A//B')).toBe(false);
    expect(isValidRum('x'.repeat(36))).toBe(false);
  });

  it('on a paper form is unique: the customer and the second it was printed, never an online RUM', () => {
    const at = new Date('2026-11-27T10:00:00.000Z');
    expect(paperRum('CLT013262', at)).toBe('RUM-CLT013262-P261127100000');
    // The same form printed at the same instant is the same form; any other moment or customer, another RUM.
    expect(paperRum('CLT013262', new Date(at))).toBe(paperRum('CLT013262', at));
    const rums = new Set<string>();
    for (const number of ['CLT013262', 'CLT013263', 'clt-0132-6299-9999-9999-9999']) {
      for (const ms of [0, 999, 1000, 59_000, 3_600_000, 86_400_000, 365 * 86_400_000]) {
        const rum = paperRum(number, new Date(at.getTime() + ms));
        expect(rum.length).toBeLessThanOrEqual(35);
        expect(isValidRum(rum)).toBe(true);
        expect(isOnlineRumOf(rum, number)).toBe(false);
        if (ms !== 999) rums.add(rum);
      }
    }
    expect(rums.size).toBe(3 * 6);
    // Paris's autumn hour that happens twice: the RUM is written in UTC, so it does not repeat.
    expect(paperRum('CLT013262', new Date('2026-10-25T00:30:00Z'))).not.toBe(paperRum('CLT013262', new Date('2026-10-25T01:30:00Z')));
  });
});

describe('one-time code', () => {
  it('is 6 random digits, kept as a salted hash, compared in constant time', () => {
    const codes = new Set(Array.from({ length: 200 }, newSigningCode));
    expect([...codes].every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(codes.size).toBeGreaterThan(190);
    const hash = hashSigningCode('mandate-1', '123456');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(hashSigningCode('mandate-2', '123456'));
    expect(codeMatches('mandate-1', '123456', hash)).toBe(true);
    expect(codeMatches('mandate-1', '123457', hash)).toBe(false);
    expect(codeMatches('mandate-2', '123456', hash)).toBe(false);
  });
});

describe('the online form', () => {
  const good: MandateFormValues = {
    holder: '  DURAND   FRANCOIS ',
    street: '1 RUE DE LA PAIX',
    postal_code: '75008',
    city: 'PARIS',
    country: 'France',
    iban: 'fr76 3000 6000 0112 3456 7890 189',
    bic: '',
    contracts: ['k1'],
    place: 'Paris',
    rum: '',
  };

  it('gives the mandate as stored', () => {
    expect(validateMandateForm(good, ['k1', 'k2'], 'fr')).toEqual({
      ok: true,
      mandate: {
        holderName: 'DURAND FRANCOIS',
        holderAddress: '1 RUE DE LA PAIX\n75008 PARIS\nFrance',
        iban: SEPA_IBANS.FR,
        ibanCountry: 'FR',
        bic: null,
        contractIds: ['k1'],
        place: 'Paris',
      },
    });
  });

  it('names every field in error, and the contracts that are not the customer’s', () => {
    const r = validateMandateForm({ ...good, holder: '', place: ' ', iban: 'FR76', bic: 'NOPE', contracts: ['k9'] }, ['k1'], 'fr');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['bic', 'contracts', 'holder', 'iban', 'place']);
    expect(r.errors.contracts?.[0]?.key).toBe('directDebit.error.contracts.notYours');
    expect(r.foreignContracts).toEqual(['k9']);
    const none = validateMandateForm({ ...good, contracts: [] }, ['k1'], 'fr');
    expect(none.ok || none.errors.contracts?.[0]?.key).toBe('directDebit.error.contracts.required');
    const long = validateMandateForm({ ...good, holder: 'A'.repeat(71) }, ['k1'], 'fr');
    expect(long.ok || long.errors.holder?.[0]?.key).toBe('directDebit.error.holder.tooLong');
  });
});

describe('catalogue', () => {
  it('has every key in English, and the same placeholders', () => {
    for (const key of Object.keys(directDebitFr) as Array<keyof typeof directDebitFr>) {
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(directDebitEn[key]), key).toEqual(names(directDebitFr[key]));
    }
  });
});

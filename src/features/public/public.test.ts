import { describe, expect, it } from 'vitest';
import { translator } from '../../lib/i18n.ts';
import { PARKS } from '../demo/demo.reference.ts';
import { SERVICE_CODES, readHours, storedHours } from './public.rules.ts';
import { openingHoursText, serviceLabels } from './public.views.tsx';

const fr = { lang: 'fr' as const, t: translator('fr') };
const en = { lang: 'en' as const, t: translator('en') };

describe('car-park opening hours', () => {
  it('are stored in no language and said in the reader’s', () => {
    const stored = storedHours([
      { for: 'everyone', days: [1, 6], hours: ['07:00', '22:30'] },
      { for: 'subscribers' },
      { for: 'reception', hours: ['07:00', '21:00'] },
      { for: 'reception', days: [6, 7] },
    ]);
    expect(stored).not.toMatch(/lundi|monday|samedi|saturday|h\/24/i);
    expect(openingHoursText(fr, stored)).toBe(
      'du lundi au samedi de 7h à 22h30 ; abonnés : 24h/24, 7j/7 ; accueil : tous les jours de 7h à 21h ; accueil : du samedi au dimanche, 24h/24',
    );
    expect(openingHoursText(en, stored)).toBe(
      'Monday to Saturday, 7:00 to 22:30; subscribers: open 24/7; reception: every day, 7:00 to 21:00; reception: Saturday to Sunday, 24 hours a day',
    );
    expect(openingHoursText(en, storedHours([{ for: 'everyone' }]))).toBe('open 24/7');
  });

  it('refuse what is not hours, and show a text stored before as it is', () => {
    expect(() => storedHours([])).toThrow();
    expect(() => storedHours([{ for: 'everyone', hours: ['22:00', '07:00'] }])).toThrow();
    expect(() => storedHours([{ for: 'everyone', days: [5, 1] }])).toThrow();
    expect(readHours('24h/24, 7j/7')).toBeNull();
    expect(readHours('[{"for":"everyone","note":"x"}]')).toBeNull();
    expect(openingHoursText(en, '24h/24, 7j/7')).toBe('24h/24, 7j/7');
  });

  it('of every demo car park are structured, so none stays in French in English', () => {
    for (const park of PARKS) {
      const text = openingHoursText(en, storedHours(park.opening_hours));
      expect(text, park.code).not.toMatch(/lundi|accueil|abonnés|7j\/7|de \d+h/);
    }
  });
});

describe('car-park services', () => {
  it('are stored as codes and said in the reader’s language; a service stored as text is shown as it is', () => {
    const stored = JSON.stringify(['ev_charging', 'motorcycles', 'Navette gratuite']);
    expect(serviceLabels(fr.t, stored)).toEqual(['Recharge électrique', 'Places moto', 'Navette gratuite']);
    expect(serviceLabels(en.t, stored)).toEqual(['EV charging', 'Motorcycle spaces', 'Navette gratuite']);
    expect(serviceLabels(en.t, 'not json')).toEqual([]);
    for (const code of SERVICE_CODES) expect(serviceLabels(en.t, JSON.stringify([code]))[0]).not.toBe(code);
  });

  it('of every demo car park are codes, so none stays in French in English', () => {
    for (const park of PARKS) {
      for (const service of park.services) expect(SERVICE_CODES as readonly string[], `${park.code}: ${service}`).toContain(service);
    }
  });
});

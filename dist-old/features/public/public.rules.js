import { z } from 'zod';
/*
 * A car park's opening hours, stored in `car_parks.opening_hours` as JSON lines that say no
 * word of any language, so every page shows them in its reader's (public.views.tsx):
 *   [{"for":"everyone"},{"for":"reception","days":[1,5],"hours":["08:00","19:00"]}]
 * is "24h/24, 7j/7 ; accueil : du lundi au vendredi de 8h à 19h" in French and
 * "open 24/7; reception: Monday to Friday, 8:00 to 19:00" in English.
 */
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** ISO weekday: 1 is Monday, 7 Sunday. */
const weekday = z.number().int().min(1).max(7);
export const hoursLine = z
    .object({
    /** Who the line is for: the car park itself, its subscribers, its reception desk. */
    for: z.enum(['everyone', 'subscribers', 'reception']),
    /** The first and last day, Monday = 1; none: every day. */
    days: z.tuple([weekday, weekday]).refine(([first, last]) => first < last).optional(),
    /** Opening and closing time, `HH:MM`; none: round the clock. */
    hours: z.tuple([time, time]).refine(([open, close]) => open < close).optional(),
})
    .strict();
const openingHoursJson = z.array(hoursLine).min(1);
/** The hours as stored: the value of `car_parks.opening_hours`. */
export const storedHours = (lines) => JSON.stringify(openingHoursJson.parse(lines));
/**
 * The hours stored, read back; null for a value that is not such lines (a text typed before
 * hours were structured), which is then shown as it is.
 */
export function readHours(stored) {
    try {
        const parsed = openingHoursJson.safeParse(JSON.parse(stored));
        return parsed.success ? parsed.data : null;
    }
    catch {
        return null;
    }
}
/*
 * A car park's services, stored in `car_parks.services` as a JSON list of codes that say no
 * word of any language (`["ev_charging","motorcycles"]`), shown in the reader's language. A
 * service stored as text (before codes, or one the list does not know) is shown as it is.
 */
export const SERVICE_CODES = [
    'ev_charging',
    'motorcycles',
    'bicycles',
    'cctv',
    'step_free',
    'lift',
    'car_wash',
    'family_spaces',
    'car_sharing',
    'guarded_24h',
];
export const isServiceCode = (s) => SERVICE_CODES.includes(s);
/** The services as stored, read back; anything that is not a list of strings is no service. */
export function readServices(stored) {
    try {
        const parsed = z.array(z.string()).safeParse(JSON.parse(stored));
        return parsed.success ? parsed.data : [];
    }
    catch {
        return [];
    }
}
//# sourceMappingURL=public.rules.js.map
import { describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../contact/contact.rules.ts';
import { type VehicleSituation, type VehicleValues, canAdd, checkVehicleRequest, refusalReason } from './vehicles.rules.ts';

/* The vehicle request's rules at their edges: plates (SIV, foreign), dates (today, the past, a year on), the contract's number of vehicles, the certificate. */

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n', 'latin1');
const TODAY = '2026-11-27';
const car = { id: 'v1', plate: 'AB-123-CD', country: 'FR', validFrom: '2025-01-01', validTo: null };
const one: VehicleSituation = { max: 1, vehicles: [car], pending: [] };
const values = (over: Partial<VehicleValues> = {}): VehicleValues => ({ replaces: 'v1', plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: TODAY, ...over });
const cert = [{ filename: 'carte-grise.pdf', bytes: PDF, truncated: false }];
const check = (v: VehicleValues, s: VehicleSituation = one, files = cert, tooMany = false) => checkVehicleRequest(v, files, tooMany, s, TODAY, (d) => d);
const errorKeys = (r: ReturnType<typeof check>) => (r.ok ? {} : Object.fromEntries(Object.entries(r.errors).map(([f, e]) => [f, e!.map((x) => x.key)])));

describe('checkVehicleRequest', () => {
  it('accepts a replacement from today, the plate normalised', () => {
    const r = check(values({ plate: ' ef 456-gh ' }));
    expect(r.ok && { plate: r.request.plate, country: r.request.country, from: r.request.validFrom, replaces: r.request.replaces?.id }).toEqual({ plate: 'EF-456-GH', country: 'FR', from: TODAY, replaces: 'v1' });
  });

  it('checks French plates in the SIV format', () => {
    expect(errorKeys(check(values({ plate: 'EF-4567-GH' })))).toEqual({ plate: ['vehicles.error.plate.french'] });
    expect(errorKeys(check(values({ plate: 'E-456-GH' })))).toEqual({ plate: ['vehicles.error.plate.french'] });
    expect(errorKeys(check(values({ plate: '' })))).toEqual({ plate: ['vehicles.error.plate.required'] });
    expect(errorKeys(check(values({ plate: 'ab-123-cd' })))).toEqual({ plate: ['vehicles.error.plate.held'] });
  });

  it('takes a foreign plate as written, with its country; refuses an unknown country', () => {
    const r = check(values({ plate: 'b 1-abc-123', country: 'BE' }));
    expect(r.ok && [r.request.plate, r.request.country]).toEqual(['B 1-ABC-123', 'BE']);
    // The same letters as the French plate held, but Belgian: another vehicle.
    expect(check(values({ plate: 'AB-123-CD', country: 'BE' })).ok).toBe(true);
    expect(errorKeys(check(values({ plate: 'X', country: 'DE' })))).toEqual({ plate: ['vehicles.error.plate.foreign'] });
    expect(errorKeys(check(values({ plate: 'ABCDEFGHIJKLM', country: 'DE' })))).toEqual({ plate: ['vehicles.error.plate.foreign'] });
    expect(check(values({ plate: 'ABCDEFGHIJKL', country: 'DE' })).ok).toBe(true);
    expect(errorKeys(check(values({ country: 'ZZ' })))).toMatchObject({ country: ['vehicles.error.country'] });
  });

  it('takes a date from today to a year on, never in the past nor on the replaced vehicle’s first day', () => {
    expect(errorKeys(check(values({ valid_from: '2026-11-26' })))).toEqual({ valid_from: ['vehicles.error.date.past'] });
    expect(check(values({ valid_from: '27/11/2026' })).ok).toBe(true);
    expect(check(values({ valid_from: '2027-11-28' })).ok).toBe(true);
    expect(errorKeys(check(values({ valid_from: '2027-11-29' })))).toEqual({ valid_from: ['contact.error.date.range'] });
    expect(errorKeys(check(values({ valid_from: '31/02/2027' })))).toEqual({ valid_from: ['contact.error.date.invalid'] });
    expect(errorKeys(check(values({ valid_from: '' })))).toEqual({ valid_from: ['vehicles.error.date.required'] });
    const toCome = { ...one, vehicles: [{ ...car, validFrom: '2026-12-01' }] };
    expect(errorKeys(check(values({ valid_from: '2026-12-01' }), toCome))).toEqual({ valid_from: ['vehicles.error.date.beforeReplaced'] });
    expect(check(values({ valid_from: '2026-12-02' }), toCome).ok).toBe(true);
  });

  it('adds a vehicle only within what the contract allows, pending additions counted', () => {
    expect(errorKeys(check(values({ replaces: '' })))).toEqual({ replaces: ['vehicles.error.tooMany'] });
    const two: VehicleSituation = { max: 2, vehicles: [car], pending: [] };
    expect(canAdd(two)).toBe(true);
    expect(check(values({ replaces: '' }), two).ok).toBe(true);
    const twoPending: VehicleSituation = { ...two, pending: [{ replacesId: null }] };
    expect(canAdd(twoPending)).toBe(false);
    expect(errorKeys(check(values({ replaces: '' }), twoPending))).toEqual({ replaces: ['vehicles.error.tooMany'] });
    expect(canAdd({ max: 1, vehicles: [], pending: [] })).toBe(true);
  });

  it('refuses to replace a vehicle not on the contract, or one already asked for', () => {
    expect(errorKeys(check(values({ replaces: 'v9' })))).toEqual({ replaces: ['vehicles.error.replaces.unknown'] });
    expect(errorKeys(check(values(), { ...one, pending: [{ replacesId: 'v1' }] }))).toEqual({ replaces: ['vehicles.error.replaces.pending'] });
  });

  it('requires one certificate: PDF, PNG or JPEG by its bytes, 5 MB at most', () => {
    expect(errorKeys(check(values(), one, []))).toEqual({ certificate: ['vehicles.error.certificate.required'] });
    expect(errorKeys(check(values(), one, [...cert, ...cert]))).toEqual({ certificate: ['vehicles.error.certificate.one'] });
    expect(errorKeys(check(values(), one, cert, true))).toEqual({ certificate: ['vehicles.error.certificate.one'] });
    expect(errorKeys(check(values(), one, [{ filename: 'x.pdf', bytes: Buffer.from('MZ...'), truncated: false }]))).toEqual({ certificate: ['contact.error.file.type'] });
    expect(errorKeys(check(values(), one, [{ filename: 'x.pdf', bytes: Buffer.alloc(0), truncated: true }]))).toEqual({ certificate: ['contact.error.file.size'] });
    const big = Buffer.concat([PDF, Buffer.alloc(MAX_FILE_BYTES - PDF.length)]);
    expect(check(values(), one, [{ filename: 'x.pdf', bytes: big, truncated: false }]).ok).toBe(true);
  });

  it('requires make and model, 40 characters at most', () => {
    expect(errorKeys(check(values({ make: ' ', model: '' })))).toEqual({ make: ['vehicles.error.make.required'], model: ['vehicles.error.model.required'] });
    expect(check(values({ make: 'M'.repeat(40) })).ok).toBe(true);
    expect(errorKeys(check(values({ make: 'M'.repeat(41) })))).toEqual({ make: ['vehicles.error.tooLong'] });
  });
});

describe('refusalReason', () => {
  it('is required and bounded', () => {
    expect(refusalReason('  ')).toMatchObject({ ok: false });
    expect(refusalReason(' Certificat   illisible ')).toEqual({ ok: true, reason: 'Certificat illisible' });
    expect(refusalReason('x'.repeat(501)).ok).toBe(false);
  });
});

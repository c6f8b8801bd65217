import { describe, expect, it } from 'vitest';
import { type HeldVehicle, overlappingPlates, planIsEmpty, planVehicles, vehiclePlate } from './contracts.rules.ts';

const held = (id: string, plate: string, over: Partial<HeldVehicle> = {}): HeldVehicle => ({ id, plate, country: 'FR', description: null, valid_from: null, valid_to: null, ...over });
const sent = (plate: string, over: Partial<HeldVehicle> = {}) => {
  const { id: _id, ...v } = held('', plate, over);
  return v;
};
const today = '2026-11-27';

describe('a contract’s plates', () => {
  it('reads a French plate the back office’s way and a foreign one as written, upper case', () => {
    expect(vehiclePlate('ab123cd', 'FR')).toBe('AB-123-CD');
    expect(vehiclePlate('123 abc 75', 'FR')).toBe('123 ABC 75');
    expect(vehiclePlate('AB-12-CD', 'FR')).toBeNull();
    expect(vehiclePlate(' m ab  1234 ', 'DE')).toBe('M AB 1234');
    expect(vehiclePlate('1-abc-123', 'BE')).toBe('1-ABC-123');
    expect(vehiclePlate('mü ab 12', 'DE')).toBe('MÜ AB 12');
    expect(vehiclePlate('A', 'DE')).toBeNull();
    expect(vehiclePlate('AB--12', 'DE')).toBeNull();
    expect(vehiclePlate('D$1', 'DE')).toBeNull();
    expect(vehiclePlate('ABCDEFGHIJKLM', 'IT')).toBeNull();
  });

  it('finds a plate sent twice for periods sharing a day', () => {
    expect(overlappingPlates([sent('AB-123-CD', { valid_to: '2026-06-30' }), sent('AB-123-CD', { valid_from: '2026-07-01' })])).toEqual([]);
    expect(overlappingPlates([sent('AB-123-CD', { valid_to: '2026-06-30' }), sent('AB-123-CD', { valid_from: '2026-06-30' })])).toEqual([1]);
    // The same letters registered in two countries are two plates.
    expect(overlappingPlates([sent('AB-123-CD'), sent('AB 123 CD', { country: 'IT' })])).toEqual([]);
  });
});

describe('replacing the vehicles held by those sent', () => {
  it('changes nothing when they agree, whatever their order', () => {
    const h = [held('1', 'AA-100-AA'), held('2', 'BB-200-BB', { valid_from: '2026-01-01' })];
    expect(planIsEmpty(planVehicles(h, [sent('BB-200-BB', { valid_from: '2026-01-01' }), sent('AA-100-AA')], today))).toBe(true);
  });

  it('ends yesterday a plate in force no longer sent, removes one not begun, keeps one ended', () => {
    const plan = planVehicles(
      [held('1', 'AA-100-AA'), held('2', 'BB-200-BB', { valid_to: '2026-06-30' }), held('3', 'CC-300-CC', { valid_from: today }), held('4', 'EE-500-EE', { valid_to: today })],
      [sent('DD-400-DD')],
      today,
    );
    expect(plan).toEqual({
      insert: [sent('DD-400-DD')],
      update: [],
      end: [
        { id: '1', plate: 'AA-100-AA', valid_to: '2026-11-26' },
        { id: '4', plate: 'EE-500-EE', valid_to: '2026-11-26' },
      ],
      remove: [{ id: '3', plate: 'CC-300-CC' }],
    });
  });

  it('matches a plate held twice (left, then back) period by period, and updates what differs', () => {
    const h = [held('1', 'AA-100-AA', { valid_to: '2025-12-31' }), held('2', 'BB-200-BB', { valid_from: '2026-01-01', valid_to: '2026-05-31' }), held('3', 'AA-100-AA', { valid_from: '2026-06-01' })];
    const back = [sent('AA-100-AA', { valid_to: '2025-12-31' }), sent('BB-200-BB', { valid_from: '2026-01-01', valid_to: '2026-05-31' }), sent('AA-100-AA', { valid_from: '2026-06-01' })];
    expect(planIsEmpty(planVehicles(h, back, today))).toBe(true);
    // The current period's description changed: that row, not the old one.
    const plan = planVehicles(h, [sent('AA-100-AA', { valid_from: '2026-06-01', description: 'Rouge' })], today);
    expect(plan.update).toEqual([{ id: '3', before: sent('AA-100-AA', { valid_from: '2026-06-01' }), after: sent('AA-100-AA', { valid_from: '2026-06-01', description: 'Rouge' }) }]);
    expect(plan.end).toEqual([]);
    expect(plan.remove).toEqual([]);
  });
});

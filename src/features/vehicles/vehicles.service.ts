import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { forUpdate } from '../../db/dialect.ts';
import { type StaffActor, audit } from '../../lib/audit.ts';
import { type Clock, addDays, newId, nowIso, parisDate } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { type EventPayload, recordEvent } from '../../lib/events.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { CreateContext } from '../contact/contact.service.ts';
import { lockCustomer, mailVerifiedAddresses } from '../customers/customers.service.ts';
import { plateKey } from '../customers/customers.rules.ts';
import { type VehicleChangeFacts, approvedMail, refusedMail, requestedMail } from './vehicles.mails.ts';
import { vehicleSituation } from './vehicles.queries.ts';
import { type ValidVehicleRequest, type VehicleField, canAdd, canReplace } from './vehicles.rules.ts';

/*
 * A change of vehicle: asked by the customer (pending, with its registration certificate), then
 * approved or refused by customer service. Each step is one transaction with its e-mail to the
 * customer's verified addresses, its audit entry and its events for the ERP's feeds
 * (`vehicle_changes`; on approval the `access` feed too: the new plate allowed, the replaced one
 * removed, each from the day it applies).
 */

/**
 * Records the customer's request on their contract `contractId`: the certificate's bytes first
 * (content-addressed, as a contact request's files), then in one transaction — the customer's
 * row locked, the contract's situation read again so that two requests at once cannot pass the
 * contract's number of vehicles — the request, the acknowledgement, the audit entry and the
 * event. A situation changed meanwhile gives the form's error back.
 */
export async function requestVehicleChange(
  c: CreateContext,
  contract: { id: string; number: string; max_vehicles: number },
  request: ValidVehicleRequest,
): Promise<{ ok: true; id: string } | { ok: false; errors: FormErrors<VehicleField> }> {
  const sha256 = await c.storage.put(request.certificate.bytes);
  return inTransaction(c.db, async (trx) => {
    await lockCustomer(trx, c.customerId);
    const customer = await trx.selectFrom('customers').selectAll().where('id', '=', c.customerId).executeTakeFirstOrThrow();
    const { situation } = await vehicleSituation(trx, contract.id, contract.max_vehicles, parisDate(c.clock.now()));
    const errors: FormErrors<VehicleField> = {};
    if (request.replaces && !canReplace(situation, request.replaces.id)) addError(errors, 'replaces', 'vehicles.error.replaces.pending', { plate: request.replaces.plate });
    if (request.replaces && !situation.vehicles.some((v) => v.id === request.replaces!.id)) addError(errors, 'replaces', 'vehicles.error.replaces.unknown');
    if (!request.replaces && !canAdd(situation)) addError(errors, 'replaces', 'vehicles.error.tooMany', { max: situation.max });
    if (errors.replaces) return { ok: false as const, errors };

    const id = newId();
    const now = nowIso(c.clock);
    await trx
      .insertInto('vehicle_changes')
      .values({
        id,
        customer_id: c.customerId,
        contract_id: contract.id,
        replaces_vehicle_id: request.replaces?.id ?? null,
        plate: request.plate,
        country: request.country,
        make: request.make,
        model: request.model,
        valid_from: request.validFrom,
        status: 'pending',
        certificate_name: request.certificate.originalName,
        certificate_type: request.certificate.contentType,
        certificate_size: request.certificate.bytes.length,
        certificate_sha256: sha256,
        refusal_reason: null,
        vehicle_id: null,
        decided_by: null,
        decided_at: null,
        created_at: now,
      })
      .execute();
    const facts: VehicleChangeFacts = { contractNumber: contract.number, plate: request.plate, make: request.make, model: request.model, validFrom: request.validFrom, replacedPlate: request.replaces?.plate ?? null };
    const notices = await mailVerifiedAddresses(trx, c.clock, c.config, customer, 'vehicle-requested', id, requestedMail(c.config, customer, facts));
    await audit(trx, c.clock, {
      actor_type: 'customer',
      actor_id: c.customerId,
      action: 'vehicle.change_request',
      outcome: 'success',
      target_type: 'vehicle_change',
      target_id: id,
      ...c.meta,
      details: { contract: contract.number, plate: request.plate, country: request.country, valid_from: request.validFrom, replaces: request.replaces?.plate ?? null, acknowledgements: notices },
    });
    await recordEvent(trx, c.clock, {
      type: 'vehicle.change_requested',
      customerId: c.customerId,
      subjectId: id,
      origin: 'customer',
      payload: changePayload({ id, ...facts, country: request.country, replacedCountry: request.replaces?.country ?? null }, null),
    });
    return { ok: true as const, id };
  });
}

function changePayload(
  f: VehicleChangeFacts & { id: string; country: string; replacedCountry: string | null },
  refusalReason: string | null,
): EventPayload<'vehicle.change_requested'> {
  return {
    request_id: f.id,
    contract_number: f.contractNumber,
    kind: f.replacedPlate ? 'replace' : 'add',
    plate: f.plate,
    country: f.country,
    make: f.make,
    model: f.model,
    valid_from: f.validFrom,
    replaced_plate: f.replacedPlate,
    replaced_country: f.replacedCountry,
    refusal_reason: refusalReason,
  };
}

/** The request locked for a decision, with what the decision needs; a decided request is refused (409). */
async function pendingRequest(trx: Db, id: string) {
  const row = await forUpdate(trx, trx.selectFrom('vehicle_changes').selectAll().where('id', '=', id)).executeTakeFirst();
  if (!row) throw new AppError('not_found', { detail: `vehicle change ${id}` });
  if (row.status !== 'pending') throw new AppError('vehicle_change_decided', { detail: `vehicle change ${id} is ${row.status}` });
  await lockCustomer(trx, row.customer_id);
  const customer = await trx.selectFrom('customers').selectAll().where('id', '=', row.customer_id).executeTakeFirstOrThrow();
  const contract = await trx
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select(['k.id', 'k.number', 'k.status', 'k.max_vehicles', 'p.code as car_park_code'])
    .where('k.id', '=', row.contract_id)
    .executeTakeFirstOrThrow();
  const replaced = row.replaces_vehicle_id
    ? await trx.selectFrom('contract_vehicles').select(['id', 'plate', 'country', 'valid_from', 'valid_to']).where('id', '=', row.replaces_vehicle_id).executeTakeFirst()
    : undefined;
  const facts = { id: row.id, contractNumber: contract.number, plate: row.plate, make: row.make, model: row.model, validFrom: row.valid_from, replacedPlate: replaced?.plate ?? null, country: row.country, replacedCountry: replaced?.country ?? null };
  return { row, customer, contract, replaced, facts };
}

const staffEntry = (actor: StaffActor, action: string, id: string, details: Record<string, unknown>) => ({
  actor_type: 'staff' as const,
  actor_id: actor.staffId,
  action,
  outcome: 'success' as const,
  target_type: 'vehicle_change',
  target_id: id,
  ...actor.meta,
  details,
});

/**
 * Approves a request: the contract's vehicles change from its date — the vehicle replaced ends
 * the day before (or, not begun by then, is removed: it never was in force), the new one is in
 * force from it. Refused (409, `vehicle_change_conflict`) when it can no longer apply: the
 * contract has ended, the vehicle replaced already ended before the date or begins on or after it, or an addition no
 * longer fits in the contract. The customer is told; audited; the ERP's feeds get the approval
 * and the access list's changes.
 */
export async function approveVehicleChange(db: Db, clock: Clock, config: Config, actor: StaffActor, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, customer, contract, replaced, facts } = await pendingRequest(trx, id);
    const dayBefore = addDays(row.valid_from, -1);
    if (contract.status === 'ended') throw new AppError('vehicle_change_conflict', { detail: `vehicle change ${id}: contract ${contract.number} has ended` });
    if (row.replaces_vehicle_id) {
      if (!replaced || (replaced.valid_to !== null && replaced.valid_to < dayBefore) || (replaced.valid_from !== null && replaced.valid_from >= row.valid_from)) {
        throw new AppError('vehicle_change_conflict', { detail: `vehicle change ${id}: the vehicle replaced is no longer in force the day before ${row.valid_from}` });
      }
    } else {
      const { vehicles } = await vehicleSituation(trx, contract.id, contract.max_vehicles, row.valid_from);
      if (vehicles.length >= contract.max_vehicles) throw new AppError('vehicle_change_conflict', { detail: `vehicle change ${id}: contract ${contract.number} is full on ${row.valid_from}` });
    }
    if (replaced) await trx.updateTable('contract_vehicles').set({ valid_to: dayBefore }).where('id', '=', replaced.id).execute();
    const vehicleId = newId();
    await trx
      .insertInto('contract_vehicles')
      .values({ id: vehicleId, contract_id: contract.id, plate: row.plate, plate_key: plateKey(row.plate), country: row.country, description: `${row.make} ${row.model}`, valid_from: row.valid_from, valid_to: null })
      .execute();
    const now = nowIso(clock);
    await trx.updateTable('vehicle_changes').set({ status: 'approved', vehicle_id: vehicleId, decided_by: actor.staffId, decided_at: now }).where('id', '=', id).execute();
    const notices = await mailVerifiedAddresses(trx, clock, config, customer, 'vehicle-approved', id, approvedMail(config, customer, facts));
    await audit(trx, clock, staffEntry(actor, 'vehicle.change_approve', id, { customer_id: customer.id, contract: contract.number, plate: row.plate, valid_from: row.valid_from, replaced: replaced?.plate ?? null, notices_sent: notices }));
    await recordEvent(trx, clock, { type: 'vehicle.change_approved', customerId: customer.id, subjectId: id, origin: 'staff', payload: changePayload(facts, null) });
    const access = { customer_number: customer.number, contract_number: contract.number, car_park_code: contract.car_park_code, applies_from: row.valid_from };
    await recordEvent(trx, clock, { type: 'access.vehicle_allowed', customerId: customer.id, subjectId: vehicleId, origin: 'staff', payload: { ...access, plate: row.plate, country: row.country } });
    if (replaced) {
      await recordEvent(trx, clock, { type: 'access.vehicle_removed', customerId: customer.id, subjectId: replaced.id, origin: 'staff', payload: { ...access, plate: replaced.plate, country: replaced.country } });
    }
  });
}

/** Refuses a request with its reason (checked by `refusalReason`): the customer is told it; audited; the ERP's feed gets it. */
export async function refuseVehicleChange(db: Db, clock: Clock, config: Config, actor: StaffActor, id: string, reason: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    const { row, customer, contract, facts } = await pendingRequest(trx, id);
    await trx.updateTable('vehicle_changes').set({ status: 'refused', refusal_reason: reason, decided_by: actor.staffId, decided_at: nowIso(clock) }).where('id', '=', id).execute();
    const notices = await mailVerifiedAddresses(trx, clock, config, customer, 'vehicle-refused', id, refusedMail(config, customer, facts, reason));
    await audit(trx, clock, staffEntry(actor, 'vehicle.change_refuse', id, { customer_id: customer.id, contract: contract.number, plate: row.plate, reason, notices_sent: notices }));
    await recordEvent(trx, clock, { type: 'vehicle.change_refused', customerId: customer.id, subjectId: id, origin: 'staff', payload: changePayload(facts, reason) });
  });
}

import { type Db, inTransaction } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import { type AuditEntry, type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, MINUTE, newId, nowIso } from '../../lib/clock.ts';
import type { FormErrors } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { hashToken } from '../../lib/tokens.ts';
import { findApiClient } from './api-clients.queries.ts';
import { type ApiScope, MAX_ACTIVE_KEYS, type NewClientValues, checkNewClient, isApiKeyShaped, newApiKey, readScopes } from './api-clients.rules.ts';

/*
 * API clients and keys: created, a key added (two at most unrevoked: rotation without
 * downtime), a key revoked, a client disabled — by an admin in the back office or by the
 * command line, each audited (`api_client.*`), never with a key in the details. And the one
 * check of a request's key (`authenticateKey`), for the API area's guard.
 */

/** Who manages the clients: an admin from the back office, or the command line. */
export type ApiClientsActor = { kind: 'staff'; id: string; meta: RequestMeta } | { kind: 'cli' };

const actorEntry = (a: ApiClientsActor): Pick<AuditEntry, 'actor_type' | 'actor_id' | 'ip' | 'user_agent'> =>
  a.kind === 'staff' ? { actor_type: 'staff', actor_id: a.id, ...a.meta } : { actor_type: 'system', actor_id: 'cli' };

/** A key just made: the secret, which exists nowhere else, and the prefix that names it. */
export interface IssuedKey {
  key: string;
  prefix: string;
}

export type CreateClientResult =
  | { ok: true; client: { id: string; name: string; scopes: ApiScope[] }; key: IssuedKey }
  | { ok: false; errors: FormErrors<'name' | 'scopes' | 'rate_limit'> };

/** Inserts a key for a client, inside the caller's transaction. */
async function insertKey(trx: Db, clock: Clock, clientId: string): Promise<IssuedKey & { id: string }> {
  const made = newApiKey();
  const id = newId();
  await trx.insertInto('api_keys').values({ id, client_id: clientId, key_hash: made.hash, prefix: made.prefix, created_at: nowIso(clock), last_used_at: null, revoked_at: null }).execute();
  return { id, key: made.key, prefix: made.prefix };
}

/** A new client with its first key, shown once. */
export async function createApiClient(db: Db, clock: Clock, values: NewClientValues, actor: ApiClientsActor): Promise<CreateClientResult> {
  const checked = checkNewClient(values);
  if (!checked.ok) return checked;
  const { name, scopes, rateLimitPerMinute } = checked.client;
  try {
    return await inTransaction(db, async (trx) => {
      const id = newId();
      await trx
        .insertInto('api_clients')
        .values({
          id,
          name,
          scopes: JSON.stringify(scopes),
          state: 'active',
          rate_limit_per_minute: rateLimitPerMinute,
          created_at: nowIso(clock),
          created_by: actor.kind === 'staff' ? actor.id : null,
          disabled_at: null,
        })
        .execute();
      const key = await insertKey(trx, clock, id);
      await audit(trx, clock, {
        ...actorEntry(actor),
        action: 'api_client.create',
        outcome: 'success',
        target_type: 'api_client',
        target_id: id,
        details: { name, scopes, rate_limit_per_minute: rateLimitPerMinute, key: key.prefix },
      });
      return { ok: true as const, client: { id, name, scopes }, key: { key: key.key, prefix: key.prefix } };
    });
  } catch (e) {
    if (isUniqueViolation(e)) return { ok: false, errors: { name: [{ key: 'api.bo.error.nameTaken' }] } };
    throw e;
  }
}

export type KeyChangeResult = { ok: true; key?: IssuedKey } | { ok: false; notFound: true } | { ok: false; refusal: MessageKey };

/** Locks the client's row for the rest of the transaction: two keys added at once count one after the other. */
const lockClient = (trx: Db, clientId: string) =>
  trx
    .updateTable('api_clients')
    .set((eb) => ({ state: eb.ref('state') }))
    .where('id', '=', clientId)
    .execute();

/** Adds a key to an active client holding fewer than two unrevoked: the new one, shown once. */
export async function addApiKey(db: Db, clock: Clock, clientId: string, actor: ApiClientsActor): Promise<KeyChangeResult> {
  return inTransaction(db, async (trx) => {
    await lockClient(trx, clientId);
    const client = await findApiClient(trx, clientId);
    if (!client) return { ok: false, notFound: true };
    if (client.state !== 'active') return { ok: false, refusal: 'api.bo.error.disabled' };
    if (client.keys.filter((k) => k.revoked_at === null).length >= MAX_ACTIVE_KEYS) return { ok: false, refusal: 'api.bo.error.twoKeys' };
    const key = await insertKey(trx, clock, clientId);
    await audit(trx, clock, {
      ...actorEntry(actor),
      action: 'api_client.key_create',
      outcome: 'success',
      target_type: 'api_client',
      target_id: clientId,
      details: { name: client.name, key: key.prefix },
    });
    return { ok: true, key: { key: key.key, prefix: key.prefix } };
  });
}

/** Revokes a key, by its id (the back office) or its prefix (the command line): it stops working at once. */
export async function revokeApiKey(db: Db, clock: Clock, which: { id: string } | { prefix: string }, actor: ApiClientsActor): Promise<KeyChangeResult & { clientId?: string }> {
  return inTransaction(db, async (trx) => {
    const found = await trx
      .selectFrom('api_keys as k')
      .innerJoin('api_clients as c', 'c.id', 'k.client_id')
      .select(['k.id', 'k.prefix', 'k.revoked_at', 'k.client_id', 'c.name'])
      .where('id' in which ? 'k.id' : 'k.prefix', '=', 'id' in which ? which.id : which.prefix)
      .executeTakeFirst();
    if (!found) return { ok: false, notFound: true };
    const done = await trx.updateTable('api_keys').set({ revoked_at: nowIso(clock) }).where('id', '=', found.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return { ok: false, refusal: 'api.bo.error.keyRevoked', clientId: found.client_id };
    await audit(trx, clock, {
      ...actorEntry(actor),
      action: 'api_client.key_revoke',
      outcome: 'success',
      target_type: 'api_client',
      target_id: found.client_id,
      details: { name: found.name, key: found.prefix },
    });
    return { ok: true, clientId: found.client_id };
  });
}

/** Disables a client: every key of it stops working at once (the keys are kept, for the record). */
export async function disableApiClient(db: Db, clock: Clock, clientId: string, actor: ApiClientsActor): Promise<KeyChangeResult> {
  return inTransaction(db, async (trx) => {
    const client = await trx.selectFrom('api_clients').select(['id', 'name', 'state']).where('id', '=', clientId).executeTakeFirst();
    if (!client) return { ok: false, notFound: true };
    if (client.state === 'disabled') return { ok: false, refusal: 'api.bo.error.disabled' };
    await trx.updateTable('api_clients').set({ state: 'disabled', disabled_at: nowIso(clock) }).where('id', '=', clientId).execute();
    await audit(trx, clock, {
      ...actorEntry(actor),
      action: 'api_client.disable',
      outcome: 'success',
      target_type: 'api_client',
      target_id: clientId,
      details: { name: client.name },
    });
    return { ok: true };
  });
}

/** The client a request's key belongs to, as the API area knows it. */
export interface ApiClientPrincipal {
  id: string;
  name: string;
  scopes: ApiScope[];
  rateLimitPerMinute: number;
  /** The prefix of the key used: what the request log and the audit may name. */
  keyPrefix: string;
}

export type KeyCheck = { ok: true; client: ApiClientPrincipal } | { ok: false; reason: 'unknown' | 'revoked' | 'disabled'; clientId?: string; keyPrefix?: string };

/** `last_used_at` is written at most this often per key: a busy client does not write on every request. */
export const LAST_USED_PRECISION_MS = MINUTE;

/**
 * The client of a presented key: looked up by its SHA-256 (a value not shaped like a key is
 * unknown without a query); a revoked key or a disabled client is refused. Marks the key used,
 * at most once a minute.
 */
export async function authenticateKey(db: Db, clock: Clock, presented: string): Promise<KeyCheck> {
  if (!isApiKeyShaped(presented)) return { ok: false, reason: 'unknown' };
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('api_clients as c', 'c.id', 'k.client_id')
    .select(['k.id as key_id', 'k.prefix', 'k.revoked_at', 'k.last_used_at', 'c.id', 'c.name', 'c.scopes', 'c.state', 'c.rate_limit_per_minute'])
    .where('k.key_hash', '=', hashToken(presented))
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at !== null) return { ok: false, reason: 'revoked', clientId: row.id, keyPrefix: row.prefix };
  if (row.state !== 'active') return { ok: false, reason: 'disabled', clientId: row.id, keyPrefix: row.prefix };
  const now = clock.now().getTime();
  if (row.last_used_at === null || now - Date.parse(row.last_used_at) >= LAST_USED_PRECISION_MS) {
    const since = new Date(now - LAST_USED_PRECISION_MS).toISOString();
    await db
      .updateTable('api_keys')
      .set({ last_used_at: nowIso(clock) })
      .where('id', '=', row.key_id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', since)]))
      .execute();
  }
  return { ok: true, client: { id: row.id, name: row.name, scopes: readScopes(row.scopes), rateLimitPerMinute: row.rate_limit_per_minute, keyPrefix: row.prefix } };
}

import type { Db } from '../../db/database.ts';
import type { ApiClientState } from '../../db/schema.ts';
import { type ApiScope, readScopes } from './api-clients.rules.ts';

/* API clients and their keys, as the back office and the command line list them. Only reads. */

export interface ApiKeyRow {
  id: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ApiClientRow {
  id: string;
  name: string;
  scopes: ApiScope[];
  state: ApiClientState;
  rate_limit_per_minute: number;
  created_at: string;
  disabled_at: string | null;
  /** Newest first. */
  keys: ApiKeyRow[];
}

const clientColumns = ['id', 'name', 'scopes', 'state', 'rate_limit_per_minute', 'created_at', 'disabled_at'] as const;
const keyColumns = ['id', 'client_id', 'prefix', 'created_at', 'last_used_at', 'revoked_at'] as const;

/** Every client with its keys, by name. */
export async function listApiClients(db: Db): Promise<ApiClientRow[]> {
  const clients = await db.selectFrom('api_clients').select(clientColumns).orderBy('name').execute();
  const keys = await db.selectFrom('api_keys').select(keyColumns).orderBy('created_at', 'desc').orderBy('id').execute();
  return clients.map((c) => ({
    ...c,
    scopes: readScopes(c.scopes),
    keys: keys.filter((k) => k.client_id === c.id).map(({ client_id: _, ...k }) => k),
  }));
}

/** One client with its keys; undefined when there is none of this id. */
export async function findApiClient(db: Db, id: string): Promise<ApiClientRow | undefined> {
  const c = await db.selectFrom('api_clients').select(clientColumns).where('id', '=', id).executeTakeFirst();
  if (!c) return undefined;
  const keys = await db.selectFrom('api_keys').select(['id', 'prefix', 'created_at', 'last_used_at', 'revoked_at']).where('client_id', '=', id).orderBy('created_at', 'desc').orderBy('id').execute();
  return { ...c, scopes: readScopes(c.scopes), keys };
}

/** The id of the client of this name, for the command line; undefined when there is none. */
export async function apiClientIdByName(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('api_clients').select('id').where('name', '=', name).executeTakeFirst())?.id;
}

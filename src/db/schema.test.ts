import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase } from '../../tests/support/app.ts';

/*
 * `schema.ts` is written by hand; the migrations are what the database really is. This test
 * migrates a fresh database, reads it back (`db.introspection`) and compares it with
 * `schema.ts`, table by table and column by column: both name the same tables and columns,
 * a column is nullable exactly when its type says `| null`, and its broad type (number or
 * string) agrees.
 *
 * Why check the hand-kept file rather than generate it (`kysely-codegen`): the generated
 * types would lose what the hand-kept ones say and the database cannot — the literal unions
 * (`LoginState`, `MandateStatus`…), which the code narrows on, and the comments — and would
 * differ between SQLite and PostgreSQL. Why read `schema.ts` as text rather than with the
 * TypeScript compiler: the compiler installed (TypeScript 7) has no stable JavaScript API,
 * and the file is regular enough to read strictly — one `export interface` per table, one
 * `name: type;` per line, unions of `string`, `number`, `null`, string literals and the
 * file's own aliases, or `Generated<…>` of those. A line that is not of that form fails the test instead of being
 * skipped, so the check cannot go blind.
 */

type Broad = 'string' | 'number';
interface Declared {
  types: Set<Broad>;
  nullable: boolean;
}

function readSchema(source: string): Map<string, Map<string, Declared>> {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const aliases = new Map<string, string>();
  for (const m of text.matchAll(/^export type (\w+) = ([^;]+);$/gm)) aliases.set(m[1]!, m[2]!.trim());
  const interfaces = new Map<string, Array<[string, string]>>();
  for (const m of text.matchAll(/^export interface (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const fields: Array<[string, string]> = [];
    for (const line of m[2]!.split('\n').map((l) => l.trim()).filter(Boolean)) {
      const f = /^(\w+): ([^;]+);$/.exec(line);
      if (!f) throw new Error(`schema.ts, interface ${m[1]}: cannot read the line "${line}"`);
      fields.push([f[1]!, f[2]!.trim()]);
    }
    interfaces.set(m[1]!, fields);
  }

  const classify = (type: string, seen: string[] = []): Declared => {
    const out: Declared = { types: new Set(), nullable: false };
    // `Generated<T>`: a column the database fills by default when an insert leaves it out.
    const generated = /^Generated<(.+)>$/.exec(type.trim());
    if (generated) return classify(generated[1]!, seen);
    for (const part of type.split('|').map((p) => p.trim())) {
      if (part === 'null') out.nullable = true;
      else if (part === 'string' || /^'[^']*'$/.test(part)) out.types.add('string');
      else if (part === 'number') out.types.add('number');
      else if (/^\w+$/.test(part) && aliases.has(part) && !seen.includes(part)) {
        const inner = classify(aliases.get(part)!, [...seen, part]);
        inner.types.forEach((t) => out.types.add(t));
        out.nullable ||= inner.nullable;
      } else throw new Error(`schema.ts: cannot read the type "${type}"`);
    }
    return out;
  };

  const database = interfaces.get('Database');
  if (!database) throw new Error('schema.ts: no `export interface Database`');
  const tables = new Map<string, Map<string, Declared>>();
  for (const [table, iface] of database) {
    const fields = interfaces.get(iface);
    if (!fields) throw new Error(`schema.ts: Database.${table} names ${iface}, which is not an interface of the file`);
    tables.set(table, new Map(fields.map(([name, type]) => [name, classify(type)])));
  }
  return tables;
}

/** The broad type of a column as SQLite declares it (`integer`, `text`) or PostgreSQL names it (`int4`, `text`). */
function broadOf(dataType: string): Broad | null {
  if (/int|numeric|decimal|real|double|float/i.test(dataType)) return 'number';
  if (/text|char|clob|uuid|date|time/i.test(dataType)) return 'string';
  return null;
}

describe('schema.ts reader', () => {
  it('reads every table of the Database interface', () => {
    const tables = readSchema(readFileSync(new URL('./schema.ts', import.meta.url), 'utf8'));
    expect(tables.size).toBeGreaterThan(20);
    expect(tables.get('customers')?.get('language')).toEqual({ types: new Set(['string']), nullable: false });
    expect(tables.get('exit_statements')?.get('discount_ht_cents')).toEqual({ types: new Set(['number']), nullable: true });
    expect(tables.get('customers')?.get('paper_required')).toEqual({ types: new Set(['number']), nullable: false });
  });

  it('refuses a line it cannot read rather than skipping it', () => {
    const source = 'export interface T {\n  a: string;\n  b?: Array<string>;\n}\nexport interface Database {\n  t: T;\n}\n';
    expect(() => readSchema(source)).toThrow(/cannot read the line "b\?: Array<string>;"/);
  });
});

describe.each(databaseKinds())('schema.ts against the migrated database (%s)', (kind) => {
  it('declares every table and column, with its nullability and broad type', async () => {
    const declared = readSchema(readFileSync(new URL('./schema.ts', import.meta.url), 'utf8'));
    const { db } = await freshDatabase(kind);
    try {
      const problems: string[] = [];
      const actual = await db.introspection.getTables();
      for (const table of actual) {
        const types = declared.get(table.name);
        if (!types) {
          problems.push(`${table.name}: a table of the migrations, missing from schema.ts`);
          continue;
        }
        // SQLite lets a primary key that is not an INTEGER hold NULL, so its introspection
        // calls such a column nullable; PostgreSQL says what the application relies on.
        const primaryKey =
          kind === 'sqlite'
            ? new Set((await sql<{ name: string }>`select name from pragma_table_info(${table.name}) where pk > 0`.execute(db)).rows.map((r) => r.name))
            : new Set<string>();
        for (const column of table.columns) {
          const where = `${table.name}.${column.name}`;
          const d = types.get(column.name);
          if (!d) {
            problems.push(`${where}: a column of the migrations, missing from schema.ts`);
            continue;
          }
          const nullable = column.isNullable && !primaryKey.has(column.name);
          if (nullable !== d.nullable) {
            problems.push(`${where}: ${nullable ? 'nullable' : 'not null'} in the database, ${d.nullable ? 'nullable' : 'not null'} in schema.ts`);
          }
          const broad = broadOf(column.dataType);
          if (!broad) problems.push(`${where}: database type ${column.dataType} not known to this test`);
          else if (d.types.size !== 1 || !d.types.has(broad)) {
            problems.push(`${where}: ${broad} in the database (${column.dataType}), ${[...d.types].join(' | ')} in schema.ts`);
          }
        }
        for (const name of types.keys()) {
          if (!table.columns.some((c) => c.name === name)) problems.push(`${table.name}.${name}: in schema.ts, no such column in the database`);
        }
      }
      for (const name of declared.keys()) {
        if (!actual.some((t) => t.name === name)) problems.push(`${name}: in schema.ts, no such table in the database`);
      }
      expect(problems).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});

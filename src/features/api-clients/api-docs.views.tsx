import type { VNode } from 'preact';
import type { PageContext } from '../../lib/page.tsx';

/*
 * The API's reference page (`/api/docs`): the OpenAPI document (`/api/openapi.json`) read by
 * the server and shown as a plain page — each operation, its scope, its parameters, the fields
 * of its body and its responses — with no script. Its frame is in the reader's language; the
 * operations' descriptions, written once in the schemas, in English (marked `lang="en"`).
 */

interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  maxLength?: number;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  pattern?: string;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  'x-scope'?: string;
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string }>;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** A schema's type in a few words: `string (date)`, `integer`, `"fr" | "en"`, `array of object`, `… | null`. */
export function typeOf(s: JsonSchema | undefined): string {
  if (!s) return 'any';
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeOf).join(' | ');
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const types = [s.type ?? 'any'].flat();
  return types
    .map((t) => {
      if (t === 'array') return `array of ${typeOf(s.items)}`;
      const bounds: string[] = [];
      if (s.format) bounds.push(s.format);
      if (s.maxLength !== undefined) bounds.push(`≤ ${s.maxLength} chars`);
      if (t !== 'string' && s.minimum !== undefined) bounds.push(`≥ ${s.minimum}`);
      if (t !== 'string' && s.maximum !== undefined) bounds.push(`≤ ${s.maximum}`);
      return bounds.length ? `${t} (${bounds.join(', ')})` : t;
    })
    .join(' | ');
}

interface FieldLine {
  name: string;
  type: string;
  required: boolean;
  description: string;
}

/** The fields of a body, nested ones by their dotted path (`address.postal_code`, `lines[].label`). */
export function fieldsOf(schema: JsonSchema | undefined, prefix = ''): FieldLine[] {
  if (!schema?.properties) return [];
  const out: FieldLine[] = [];
  for (const [name, s] of Object.entries(schema.properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const object = [s, ...(s.anyOf ?? [])].find((v) => v.properties);
    const arrayOfObjects = s.type === 'array' && s.items?.properties ? s.items : undefined;
    out.push({ name: path, type: typeOf(s), required: (schema.required ?? []).includes(name), description: s.description ?? object?.description ?? '' });
    if (object) out.push(...fieldsOf(object, path));
    if (arrayOfObjects) out.push(...fieldsOf(arrayOfObjects, `${path}[]`));
  }
  return out;
}

/** A path with its parameters marked (`/customers/{number}` → the name in `<var>`). */
function PathText({ path }: { path: string }) {
  const parts = path.split(/(\{[^}]+\})/);
  return (
    <>
      {parts.map((p) =>
        p.startsWith('{') ? (
          <>
            {'{'}
            <var>{p.slice(1, -1)}</var>
            {'}'}
          </>
        ) : (
          p
        ),
      )}
    </>
  );
}

/** A caption naming the operation, its path marked as in the headings. */
function Caption({ ctx, which, method, path }: { ctx: PageContext; which: 'api.docs.caption.parameters' | 'api.docs.caption.body' | 'api.docs.caption.responses'; method: string; path: string }) {
  const [before = '', after = ''] = ctx.t(which, { operation: '\u0000' }).split('\u0000');
  return (
    <caption>
      {before}
      <code>
        {method.toUpperCase()} <PathText path={path} />
      </code>
      {after}
    </caption>
  );
}

const anchorOf = (method: string, path: string) => `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

/** One row of a parameters or body table: `in` only for parameters (path, query). */
interface FieldRow {
  name: string;
  in?: string;
  type: string;
  required: boolean;
  description: string;
}

/** The parameters or the body fields of an operation: name, (where), type, required, description. */
function FieldsTable({ ctx, which, method, path, rows }: { ctx: PageContext; which: 'api.docs.caption.parameters' | 'api.docs.caption.body'; method: string; path: string; rows: FieldRow[] }) {
  const { t } = ctx;
  const withIn = rows.some((r) => r.in !== undefined);
  return (
    <table class="stack">
      <Caption ctx={ctx} which={which} method={method} path={path} />
      <thead>
        <tr>
          <th scope="col">{t('api.docs.col.name')}</th>
          {withIn && <th scope="col">{t('api.docs.col.in')}</th>}
          <th scope="col">{t('api.docs.col.type')}</th>
          <th scope="col">{t('api.docs.col.required')}</th>
          <th scope="col">{t('api.docs.col.description')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.in ?? ''}:${r.name}`}>
            <th scope="row" data-label={t('api.docs.col.name')}>
              <code>{r.name}</code>
            </th>
            {withIn && <td data-label={t('api.docs.col.in')}>{r.in}</td>}
            <td data-label={t('api.docs.col.type')}>
              <code>{r.type}</code>
            </td>
            <td data-label={t('api.docs.col.required')}>{t(r.required ? 'api.docs.yes' : 'api.docs.no')}</td>
            <td data-label={t('api.docs.col.description')} lang="en">
              {r.description}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OperationSection({ ctx, method, path, op }: { ctx: PageContext; method: string; path: string; op: Operation }) {
  const { t } = ctx;
  const id = anchorOf(method, path);
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.['application/json']?.schema;
  const fields = fieldsOf(body);
  const inName = (where: string) => (where === 'path' ? t('api.docs.in.path') : where === 'query' ? t('api.docs.in.query') : where);
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>
        <code>
          {method.toUpperCase()} <PathText path={path} />
        </code>
      </h2>
      {op.summary && <p lang="en">{op.summary}</p>}
      {op.description && <p lang="en">{op.description}</p>}
      <p>
        {t('api.docs.scope')} <code>{op['x-scope'] ?? t('api.docs.noScope')}</code>
      </p>
      {params.length > 0 && (
        <FieldsTable
          ctx={ctx}
          which="api.docs.caption.parameters"
          method={method}
          path={path}
          rows={params.map((p) => ({ name: p.name, in: inName(p.in), type: typeOf(p.schema), required: p.required === true, description: p.description ?? p.schema?.description ?? '' }))}
        />
      )}
      {fields.length > 0 && <FieldsTable ctx={ctx} which="api.docs.caption.body" method={method} path={path} rows={fields} />}
      <table class="stack">
        <Caption ctx={ctx} which="api.docs.caption.responses" method={method} path={path} />
        <thead>
          <tr>
            <th scope="col">{t('api.docs.col.status')}</th>
            <th scope="col">{t('api.docs.col.description')}</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(op.responses ?? {}).map(([status, r]) => (
            <tr key={status}>
              <th scope="row" data-label={t('api.docs.col.status')}>
                {status}
              </th>
              <td data-label={t('api.docs.col.description')} lang="en">{r.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Every operation of the document, in its order, with a table of contents. */
export function ApiDocsPage({ ctx, document }: { ctx: PageContext; document: OpenApiDocument }): VNode {
  const { t } = ctx;
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })),
  );
  return (
    <div class="api-docs">
      <h1>{t('api.docs.title')}</h1>
      <p>{t('api.docs.intro')}</p>
      <p>
        <a href="/api/openapi.json">{t('api.docs.document')}</a> (OpenAPI 3.1, {document.info.title} {document.info.version})
      </p>
      <p>{t('api.docs.auth')}</p>
      {document.info.description && <p lang="en">{document.info.description}</p>}
      <nav aria-labelledby="api-contents">
        <h2 id="api-contents">{t('api.docs.contents')}</h2>
        <ul>
          {operations.map(({ method, path, op }) => (
            <li key={`${method} ${path}`}>
              <a href={`#${anchorOf(method, path)}`}>
                <code>
                  {method.toUpperCase()} <PathText path={path} />
                </code>
              </a>
              {op.summary && <span lang="en"> — {op.summary}</span>}
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ method, path, op }) => (
        <OperationSection key={`${method} ${path}`} ctx={ctx} method={method} path={path} op={op} />
      ))}
    </div>
  );
}

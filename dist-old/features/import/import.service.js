import { closeSync, existsSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fieldErrorsOf, safeParseReported } from '../../lib/api.js';
import { withBulkWriteCache } from '../../db/dialect.js';
import { csvFile } from '../../lib/csv.js';
import { AppError, errorCodes } from '../../lib/errors.js';
import { translator } from '../../lib/i18n.js';
import { readCsv } from './import.csv.js';
import { readCell, undefused } from './import.rules.js';
/** The columns the rejected file adds, which an import passes over. */
export const REJECTED_COLUMNS = ['rejected_line', 'rejected_reason'];
const en = translator('en');
/** A bad line in words, for the terminal: `line 4, postal_code: Expected a French postal code (5 digits).` */
export const describeRowError = (e, withLine = true) => `${withLine ? `line ${e.line}, ` : ''}${e.column ? `${e.column}: ` : ''}${en(e.key, e.params)}`;
/** A file's problem in words. */
export const describeProblem = (p) => en(p.key, p.params);
/** The kind's columns found in the header, or what is wrong with it. */
function headerColumns(kind, header) {
    const problems = [];
    const columns = [];
    const seen = new Set();
    header.forEach((raw, at) => {
        const name = raw.toLowerCase();
        if (REJECTED_COLUMNS.includes(name))
            return;
        if (seen.has(name))
            return problems.push({ key: 'import.header.duplicate', params: { column: raw } });
        seen.add(name);
        const column = kind.columns.find((c) => c.name === name);
        if (!column)
            return problems.push({ key: 'import.header.unknown', params: { column: raw, columns: kind.columns.map((c) => c.name).join(', ') } });
        const [where, ...path] = column.to.split('.');
        columns.push({ ...column, at, where: where, path: path.filter((p) => p !== ''), index: columns.length });
    });
    const hasList = columns.some((c) => c.to.startsWith('item.'));
    for (const c of kind.columns) {
        if (c.required && !seen.has(c.name) && (!c.to.startsWith('item.') || hasList))
            problems.push({ key: 'import.header.missing', params: { column: c.name } });
    }
    return problems.length ? { ok: false, problems } : { ok: true, columns };
}
/** `a.b.c` (or its parts) of an object set, the objects on the way made. */
function setPath(target, path, value) {
    const parts = typeof path === 'string' ? path.split('.') : path;
    let at = target;
    for (const p of parts.slice(0, -1))
        at = (at[p] ??= {});
    at[parts.at(-1)] = value;
}
const PDF_MAGIC = Buffer.from('%PDF-');
/** A `pdf` cell: the file of that name in the folder, there and a PDF. */
function pdfFile(folder, name) {
    if (!folder)
        return { ok: false, key: 'import.cell.pdfFolder' };
    const path = resolve(folder, name);
    if (!existsSync(path) || !statSync(path).isFile())
        return { ok: false, key: 'import.cell.pdfMissing', params: { name } };
    const head = Buffer.alloc(PDF_MAGIC.length);
    const fd = openSync(path, 'r');
    try {
        readSync(fd, head, 0, head.length, 0);
    }
    finally {
        closeSync(fd);
    }
    return head.equals(PDF_MAGIC) ? { ok: true, path } : { ok: false, key: 'import.cell.notPdf', params: { name } };
}
/** A cell left empty, or that could not be read. */
const ABSENT = Symbol('absent');
/** Each cell of a line read in its column's format; an empty cell is absent. */
function readLine(line, columns, width, pdfs) {
    const errors = [];
    const values = new Array(columns.length).fill(ABSENT);
    let extra = false;
    for (let i = width; i < line.cells.length; i++)
        extra ||= line.cells[i].trim() !== '';
    if (line.cells.length < width || extra) {
        errors.push({ line: line.line, column: '', key: 'import.row.fields', params: { count: line.cells.length, expected: width } });
    }
    for (const c of columns) {
        const cell = undefused((line.cells[c.at] ?? '').trim());
        if (cell === '')
            continue;
        const read = readCell(c.format, cell);
        if (!read.ok) {
            errors.push({ line: line.line, column: c.name, key: read.key, ...(read.params ? { params: read.params } : {}) });
            continue;
        }
        if (c.format === 'pdf') {
            const file = pdfFile(pdfs, String(read.value));
            if (!file.ok) {
                errors.push({ line: line.line, column: c.name, key: file.key, ...(file.params ? { params: file.params } : {}) });
                continue;
            }
            values[c.index] = file.path;
        }
        else
            values[c.index] = read.value;
    }
    return { line, values, errors };
}
/** How the resources of a file are made from its columns: the same for every group of lines. */
function itemPlan(kind, columns) {
    const listColumns = columns.filter((c) => c.where === 'item');
    return {
        kind,
        keyNames: kind.columns.filter((c) => c.to.startsWith('params.')).map((c) => c.name).join(', '),
        resourceColumns: columns.filter((c) => c.where !== 'item'),
        listColumns,
        // `item.`: the item is the cell's value itself.
        whole: listColumns.find((c) => c.to === 'item.'),
    };
}
/** The resource of a group of lines sharing an identifier: its params, body and files, from the cells read. */
function itemOf({ kind, keyNames, resourceColumns, listColumns, whole }, group) {
    const item = { lines: group.map((g) => g.line), params: {}, body: {}, files: {}, errors: group.flatMap((g) => g.errors), itemLines: [], columnLines: null };
    for (const c of resourceColumns) {
        let first;
        for (const { line, values } of group) {
            const value = values[c.index];
            if (value === ABSENT)
                continue;
            if (!first) {
                first = { line: line.line, value };
                if (line !== group[0].line)
                    (item.columnLines ??= new Map()).set(c.name, line.line);
                if (c.where === 'params')
                    item.params[c.path.join('.')] = value;
                else if (c.where === 'file')
                    item.files[c.path.join('.')] = value;
                else
                    setPath(item.body, c.path, value);
            }
            else if (JSON.stringify(value) !== (first.json ??= JSON.stringify(first.value))) {
                item.errors.push({ line: line.line, column: c.name, key: 'import.row.differs', params: { line: first.line, key: keyNames } });
            }
        }
    }
    if (kind.list && listColumns.length) {
        const list = [];
        for (const { line, values } of group) {
            if (!listColumns.some((c) => values[c.index] !== ABSENT))
                continue;
            const entry = {};
            for (const c of listColumns)
                if (values[c.index] !== ABSENT && c !== whole)
                    setPath(entry, c.path, values[c.index]);
            list.push(whole ? values[whole.index] : entry);
            item.itemLines.push(line.line);
        }
        if (list.length)
            setPath(item.body, kind.list, list);
    }
    return item;
}
/**
 * The resources of a file read: its lines grouped by identifier (a kind with a list: the lines
 * of one resource; otherwise one line each, a repeated identifier refused), each with what is
 * wrong with its cells. The API's schemas are not applied yet (`checkItem`).
 */
export function readResources(kind, bytes, pdfs = null) {
    const csv = readCsv(bytes);
    if (!csv.ok)
        return { ok: false, problems: [csv.problem] };
    const header = headerColumns(kind, csv.header);
    if (!header.ok)
        return header;
    const { columns } = header;
    const keyColumns = columns.filter((c) => c.to.startsWith('params.'));
    // The lines grouped first, then each group's cells read and made its item: what is read of a
    // line lives only as long as its item takes to make and write (an import of a hundred thousand lines).
    const groups = new Map();
    for (const line of csv.lines) {
        const cells = keyColumns.map((c) => undefused((line.cells[c.at] ?? '').trim()));
        // A line without its identifier stands alone (and is refused for it).
        let key = cells.some((c) => c === '') ? `#${line.line}` : cells.length === 1 ? `=${cells[0]}` : JSON.stringify(cells);
        const same = groups.get(key);
        let duplicate;
        if (same && !kind.list) {
            duplicate = { line: line.line, column: keyColumns.map((c) => c.name).join(', '), key: 'import.row.duplicate', params: { column: keyColumns.map((c) => c.name).join(', '), line: same[0].line.line } };
            key = `#${line.line}`;
        }
        const group = groups.get(key);
        const entry = duplicate ? { line, duplicate } : { line };
        if (group)
            group.push(entry);
        else
            groups.set(key, [entry]);
    }
    const plan = itemPlan(kind, columns);
    const width = csv.header.length;
    function* items() {
        for (const group of groups.values()) {
            yield itemOf(plan, group.map(({ line, duplicate }) => {
                const read = readLine(line, columns, width, pdfs);
                if (duplicate)
                    read.errors.push(duplicate);
                return read;
            }));
        }
    }
    return { ok: true, header: csv.header, lines: csv.lines.length, count: groups.size, items };
}
// ------------------------------------------------------------------ checking
/** The column a field of the API's params or body comes from: itself, the first under it, or the one above it. */
function columnFor(columns, target) {
    const exact = columns.find((c) => c.to === target);
    if (exact)
        return exact.name;
    const under = columns.find((c) => c.to.startsWith(target.endsWith('.') ? target : `${target}.`));
    if (under)
        return under.name;
    const over = columns.find((c) => target.startsWith(`${c.to}.`) || target.startsWith(`${c.to}[`));
    return over?.name ?? '';
}
/** Where a bad field of the API's params or body is in the file: its line and column. */
function locate(kind, item, e, where) {
    const firstLine = item.lines[0].line;
    const error = (line, column) => ({ line, column, key: e.key, ...(e.params ? { params: e.params } : {}) });
    if (where === 'params') {
        const column = columnFor(kind.columns, `params.${e.field}`);
        return error(item.columnLines?.get(column) ?? firstLine, column);
    }
    const inList = kind.list ? new RegExp(`^${kind.list}(?:\\[(\\d+)\\])?(?:\\.(.*))?$`).exec(e.field) : null;
    if (inList) {
        const index = inList[1] === undefined ? null : Number(inList[1]);
        return error(index === null ? firstLine : (item.itemLines[index] ?? firstLine), columnFor(kind.columns, `item.${inList[2] ?? ''}`));
    }
    // A field the write takes from a file (a document's `pdf`) is that file's column.
    const column = columnFor(kind.columns, `body.${e.field}`) || columnFor(kind.columns, `file.${e.field}`);
    return error(item.columnLines?.get(column) ?? firstLine, column);
}
/**
 * The resource checked by the API's schemas; what they refuse joins the item's errors (a
 * field whose cell could not be read is not named twice). The values read when it passes.
 */
export function checkItem(kind, w, item) {
    const params = safeParseReported(w.params, item.params);
    const body = safeParseReported(w.body, item.body);
    if (params.success && body.success && item.errors.length === 0)
        return { item, params: params.data, body: body.data };
    const said = new Set(item.errors.map((e) => `${e.line}:${e.column}`));
    const found = [
        ...(params.success ? [] : fieldErrorsOf(params.error, 'params').map((e) => locate(kind, item, e, 'params'))),
        ...(body.success ? [] : fieldErrorsOf(body.error).map((e) => locate(kind, item, e, 'body'))),
    ];
    for (const e of found) {
        const at = `${e.line}:${e.column}`;
        if (said.has(at))
            continue;
        said.add(at);
        item.errors.push(e);
    }
    return item.errors.length === 0 && params.success && body.success ? { item, params: params.data, body: body.data } : null;
}
// ------------------------------------------------------------------ writing
/** A write's own refusal of a resource (a rule of its own): its bad fields, located. */
function refusalOf(kind, item, e) {
    if (e.fields.length === 0)
        return [{ line: item.lines[0].line, column: '', key: errorCodes[e.code].message }];
    return e.fields.map((f) => locate(kind, item, f, f.in === 'path' ? 'params' : 'body'));
}
/** Errors in the file's order: by line, then in the order of the kind's columns (the line as a whole first). */
const inFileOrder = (kind) => {
    const place = (e) => kind.columns.findIndex((c) => c.name === e.column);
    return (a, b) => a.line - b.line || place(a) - place(b);
};
/** `<file>.rejected.csv`: the lines left out, as read, and why. */
function writeRejected(kind, path, header, rejected) {
    const kept = header.map((h, i) => (REJECTED_COLUMNS.includes(h.toLowerCase()) ? -1 : i)).filter((i) => i >= 0);
    const rows = rejected
        .flatMap((item) => item.lines.map((l) => {
        const reasons = [...item.errors].sort(inFileOrder(kind)).map((e) => describeRowError(e, e.line !== l.line));
        return { line: l.line, cells: [...kept.map((i) => l.cells[i] ?? ''), String(l.line), reasons.join(' | ')] };
    }))
        .sort((a, b) => a.line - b.line);
    writeFileSync(path, csvFile([...kept.map((i) => header[i]), ...REJECTED_COLUMNS], rows.map((r) => r.cells)));
}
/** Resources written together by a kind's `putMany` (the API's largest batch). */
const PUT_MANY_MAX = 1000;
/**
 * Imports a file of this kind (whose writer exists), in one transaction or not at all. Each
 * resource is checked, then written while the file is read on — made, checked and written a
 * thousand at a time, what is read of them is not kept for the rest of the file. The check of
 * every resource still decides: the first bad one (without `skipInvalid`) rolls back what was
 * written before it and stops the writes, the rest only checked so that every bad line is named.
 */
export async function importFile(ctx, kind, file, options = {}) {
    const w = kind.writer;
    if (!w)
        throw new Error(`import ${kind.name}: not wired to its API write yet`);
    const read = readResources(kind, await readFile(file), options.pdfs ?? null);
    if (!read.ok)
        return read;
    const skipInvalid = options.skipInvalid ?? false;
    const report = {
        lines: read.lines,
        items: read.count,
        errors: [],
        written: false,
        counts: { created: 0, updated: 0, unchanged: 0 },
        rejected: { items: 0, lines: 0, file: null, staleRemoved: null },
    };
    /** The resources the schemas refuse. */
    const invalid = [];
    /** The resources their write refuses, and why: theirs only when the writes stand. */
    const refusals = [];
    const actor = { kind: 'cli', command: `import ${kind.name} ${basename(file)}` };
    // One transaction over the whole file, begun at its first good resource, with a page cache to match (SQLite).
    await withBulkWriteCache(ctx.db, async () => {
        let trx = null;
        /** A bad resource (without `skipInvalid`): nothing is written, the rest only checked. */
        let stopped = false;
        let finished = 0;
        const progress = () => options.onProgress?.({ done: finished, total: read.count });
        const written = (item, outcome) => {
            if (outcome instanceof AppError)
                refusals.push({ item, errors: refusalOf(kind, item, outcome) });
            else
                report.counts[outcome]++;
            finished++;
            progress();
        };
        /** One resource under a savepoint of its own. */
        const putOne = async (trx, { item, params, body }) => {
            const savepoint = await trx.savepoint('resource').execute();
            try {
                const outcome = await w.put({ ...ctx, db: savepoint }, params, body, item.files, actor);
                await savepoint.releaseSavepoint('resource').execute();
                written(item, outcome);
            }
            catch (e) {
                // A refusal of the resource's own rules (4xx) is the line's; anything else ends the import.
                if (!(e instanceof AppError) || e.status >= 500)
                    throw e;
                await savepoint.rollbackToSavepoint('resource').execute();
                written(item, e);
            }
        };
        /**
         * Resources without files, written together (`putMany`) under one savepoint: what each
         * would have been alone. Should that fail as a whole, they are written again one by one,
         * each under its own, where the failure is the line's or ends the import as it would have.
         */
        const putGroup = async (trx, group, putMany) => {
            const savepoint = await trx.savepoint('resources').execute();
            let outcomes = null;
            try {
                outcomes = await putMany({ ...ctx, db: savepoint }, group.map(({ params, body }) => ({ params, body })), actor);
                if (outcomes.some((o) => o instanceof AppError && o.status >= 500))
                    throw new Error('putMany: a refusal is a 4xx');
                await savepoint.releaseSavepoint('resources').execute();
            }
            catch {
                await savepoint.rollbackToSavepoint('resources').execute();
                outcomes = null;
            }
            if (outcomes)
                outcomes.forEach((o, i) => written(group[i].item, o));
            else
                for (const c of group)
                    await putOne(trx, c);
        };
        let group = [];
        const putWaiting = async (trx) => {
            if (w.putMany && group.length > 0)
                await putGroup(trx, group.splice(0), w.putMany);
        };
        progress();
        try {
            for (const item of read.items()) {
                const c = checkItem(kind, w, item);
                if (!c) {
                    invalid.push(item);
                    if (skipInvalid) {
                        finished++;
                        progress();
                    }
                    else if (!stopped) {
                        stopped = true;
                        group = [];
                        await trx?.rollback().execute();
                        trx = null;
                    }
                    continue;
                }
                if (stopped)
                    continue;
                trx ??= await ctx.db.startTransaction().execute();
                if (w.putMany && Object.keys(c.item.files).length === 0) {
                    group.push(c);
                    if (group.length === PUT_MANY_MAX)
                        await putWaiting(trx);
                    continue;
                }
                await putWaiting(trx);
                await putOne(trx, c);
            }
            if (stopped)
                return;
            if (trx) {
                await putWaiting(trx);
                if (refusals.length > 0 && !skipInvalid) {
                    await trx.rollback().execute();
                    report.counts = { created: 0, updated: 0, unchanged: 0 };
                    return;
                }
                await trx.commit().execute();
            }
            report.written = true;
        }
        catch (e) {
            await trx?.rollback().execute().catch(() => undefined);
            throw e;
        }
    });
    if (!report.written && invalid.length > 0)
        report.counts = { created: 0, updated: 0, unchanged: 0 };
    else
        for (const { item, errors } of refusals)
            item.errors.push(...errors);
    const rejected = [...invalid, ...(invalid.length > 0 && !skipInvalid ? [] : refusals.map((r) => r.item))];
    report.errors = rejected.flatMap((i) => i.errors).sort(inFileOrder(kind));
    if (!report.written)
        return { ok: true, report };
    if (options.skipInvalid) {
        const path = `${file}.rejected.csv`;
        report.rejected.items = rejected.length;
        report.rejected.lines = rejected.reduce((n, i) => n + i.lines.length, 0);
        if (rejected.length > 0) {
            writeRejected(kind, path, read.header, rejected);
            report.rejected.file = path;
        }
        else if (existsSync(path)) {
            // An earlier run's list, now out of date.
            rmSync(path);
            report.rejected.staleRemoved = path;
        }
    }
    return { ok: true, report };
}
//# sourceMappingURL=import.service.js.map
// Records that sync as one document per row, every column but the row's own id and times (presets, note
// types, curricula and their modules, the check-in log and schedule); the rules are in docs.ts. A column
// naming another synced row carries that row's document id. Columns this version does not know (a
// document from a newer Cadence) are left out when applied; columns it has that the document lacks keep
// their value.
import type { Db } from '../context';
import { docIdFor, ROW_KINDS, type RowDoc, type RowKind } from './docs';
import type { SyncIds, Waits } from './certRecords';
import type { OutboxRow } from './store';

interface RowSpec {
  table: string;
  /** Columns naming another synced row, and what happens when that row was deleted: the row goes with it, or the column is emptied. */
  refs?: Record<string, { kind: RowKind; gone: 'drop' | 'null' }>;
  /** Rows every collection has under the same id (built-ins): their document key. */
  builtin?: Record<number, string>;
  /** Built-in rows known by a column instead (their local id may differ): that column, and the prefix of its built-in values. */
  builtinColumn?: { column: string; prefix: string };
  /** Finds a row here that is the same record made elsewhere before the machines synced (imported twice). */
  sameAs?: string;
  /** Runs before a row is deleted here, so what still refers to it lets it go. */
  beforeDelete?: string;
}

const SPECS: Record<RowKind, RowSpec> = {
  preset: { table: 'presets', builtin: { 1: 'default' }, beforeDelete: 'UPDATE decks SET preset_id = 1 WHERE preset_id = ?' },
  notetype: {
    table: 'note_types',
    builtin: { 1: 'basic', 2: 'basic-reversed', 3: 'cloze' },
    // Stock types added by later versions ("Basic (type in the answer)") carry a `cadence:` source key.
    builtinColumn: { column: 'source_key', prefix: 'cadence:' },
    sameAs: 'SELECT id FROM note_types WHERE source_key = @source_key',
  },
  curriculum: { table: 'curricula' },
  module: { table: 'curriculum_modules', refs: { curriculum_id: { kind: 'curriculum', gone: 'drop' } } },
  checkin: { table: 'checkin_log', refs: { curriculum_id: { kind: 'curriculum', gone: 'null' } } },
  checkins: { table: 'checkin_schedule', builtin: { 1: 'schedule' }, refs: { curriculum_id: { kind: 'curriculum', gone: 'null' } } },
};

const OWN_COLUMNS = new Set(['id', 'created_at', 'updated_at']);

/** Each row kind and its table (for the first sync, which queues every row). */
export const ROW_TABLES = ROW_KINDS.map((kind) => [kind, SPECS[kind].table] as const);

export function makeRowDocs(db: Db, ids: SyncIds) {
  const tables = new Map(
    ROW_KINDS.map((kind) => {
      const spec = SPECS[kind];
      const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(spec.table) as string[]).filter((c) => !OWN_COLUMNS.has(c));
      const builtinByKey = new Map(Object.entries(spec.builtin ?? {}).map(([id, key]) => [key, Number(id)]));
      const byColumn = spec.builtinColumn;
      const keyByColumn = byColumn
        ? db.prepare<[number], string>(`SELECT ${byColumn.column} FROM ${spec.table} WHERE id = ? AND ${byColumn.column} LIKE '${byColumn.prefix}%'`).pluck()
        : null;
      const idByColumn = byColumn
        ? db.prepare<[string], number>(`SELECT id FROM ${spec.table} WHERE ${byColumn.column} = ? AND ${byColumn.column} LIKE '${byColumn.prefix}%'`).pluck()
        : null;
      return [
        kind,
        {
          spec,
          columns: new Set(columns),
          /** The check-in schedule keeps no creation time. */
          times: (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(spec.table) as string[]).filter((c) => c === 'created_at' || c === 'updated_at'),
          /** The id a built-in row has in every collection, by its document key. */
          fixedIdOf: (key: string): number | null => builtinByKey.get(key) ?? null,
          /** A built-in row's document key, or null. */
          keyOf: (localId: number): string | null => spec.builtin?.[localId] ?? keyByColumn?.get(localId) ?? null,
          /** The local id of a built-in row's document key, or null when the key is no built-in's. */
          builtinOf: (key: string): number | null => builtinByKey.get(key) ?? idByColumn?.get(key) ?? null,
          select: db.prepare<[number], Record<string, unknown> & { id: number }>(`SELECT * FROM ${spec.table} WHERE id = ?`),
          remove: db.prepare<[number]>(`DELETE FROM ${spec.table} WHERE id = ?`),
          beforeDelete: spec.beforeDelete ? db.prepare<[number]>(spec.beforeDelete) : null,
          sameAs: spec.sameAs ? db.prepare<Record<string, unknown>, { id: number }>(spec.sameAs) : null,
        },
      ] as const;
    }),
  );
  const moduleLinks = makeModuleLinks(db, ids);
  const writes = new Map<string, ReturnType<Db['prepare']>>();
  /** Statements for the columns a document brings (the same set every time for one kind, so few are made). */
  function statement(sql: string) {
    let s = writes.get(sql);
    if (!s) writes.set(sql, (s = db.prepare(sql)));
    return s;
  }

  function table(kind: RowKind) {
    return tables.get(kind)!;
  }

  /** The document id of a local row (a built-in is known by the same id everywhere). */
  function docIdOf(kind: RowKind, localId: number): string {
    const builtin = table(kind).keyOf(localId);
    if (builtin) return docIdFor(kind, builtin);
    return ids.idOf(kind, localId);
  }

  /** The local row of a document id, if it is here. */
  function localOf(kind: RowKind, docId: string): number | null {
    const t = table(kind);
    const id = t.builtinOf(docId.slice(kind.length + 1)) ?? ids.local(docId, kind);
    return id !== null && t.select.get(id) ? id : null;
  }

  /** Where the row a document refers to stands here: its local id, gone (deleted), or not arrived yet. */
  function resolve(kind: RowKind, docId: string): number | 'gone' | Waits {
    const local = localOf(kind, docId);
    if (local !== null) return local;
    const builtin = table(kind).fixedIdOf(docId.slice(kind.length + 1)) !== null;
    return ids.seen(docId) || builtin ? 'gone' : { waitsFor: docId };
  }

  function rowDoc(kind: RowKind, row: OutboxRow, device: string, now: number): { docId: string; body: RowDoc } | null {
    const t = table(kind);
    const found = t.select.get(row.local_id);
    if (!found) {
      // A deleted row waits in the outbox under its number negated (migration 021).
      const builtin = t.spec.builtin?.[Math.abs(row.local_id)];
      const docId = builtin ? docIdFor(kind, builtin) : ids.known(kind, row.local_id);
      return docId ? { docId, body: { type: kind, row: {}, deleted: true, editedAt: row.changed_at || now, device } } : null;
    }
    // A built-in row as every collection starts with it (never edited) says nothing another machine lacks.
    if (row.changed_at === 0 && t.keyOf(row.local_id) !== null) return null;
    const values: Record<string, unknown> = {};
    for (const column of t.columns) {
      const ref = t.spec.refs?.[column];
      const value = found[column];
      values[column] = ref && value !== null ? docIdOf(ref.kind, value as number) : value;
    }
    const body: RowDoc = { type: kind, row: values, editedAt: row.changed_at, device };
    if (kind === 'module') Object.assign(body, moduleLinks.read(row.local_id));
    return { docId: docIdOf(kind, row.local_id), body };
  }

  function missingRefs(body: RowDoc): string[] {
    const refs = table(body.type).spec.refs ?? {};
    return Object.entries(refs)
      .map(([column, ref]) => ({ ref, docId: body.row[column] }))
      .filter((r): r is { ref: { kind: RowKind; gone: 'drop' | 'null' }; docId: string } => typeof r.docId === 'string' && localOf(r.ref.kind, r.docId) === null)
      .map((r) => r.docId);
  }

  function applyRow(docId: string, body: RowDoc, now: number): Waits | void {
    const kind = body.type;
    const t = table(kind);
    const local = localOf(kind, docId);
    if (body.deleted) {
      if (local === null) return;
      t.beforeDelete?.run(local);
      try {
        t.remove.run(local);
      } catch (err) {
        // Still used here by something the deletion did not reach (a note of a deleted note type): kept.
        if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
      }
      return;
    }
    const values: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(body.row)) {
      if (!t.columns.has(column)) continue;
      const ref = t.spec.refs?.[column];
      if (!ref || value === null) {
        values[column] = value;
        continue;
      }
      const target = resolve(ref.kind, value as string);
      if (typeof target === 'object') return target;
      if (target === 'gone' && ref.gone === 'drop') return; // deleted with what it belonged to
      values[column] = target === 'gone' ? null : target;
    }
    const columns = Object.keys(values).sort();
    let id = local ?? t.fixedIdOf(docId.slice(kind.length + 1));
    if (id === null && t.sameAs) id = t.sameAs.get(Object.fromEntries([...t.columns].map((c) => [c, values[c] ?? null])))?.id ?? null;
    if (id !== null && t.select.get(id)) {
      const set = columns.map((c) => `${c} = @${c}`).join(', ');
      statement(`UPDATE ${t.spec.table} SET ${set}${set ? ', ' : ''}updated_at = @now WHERE id = @id`).run({ ...values, now, id });
    } else {
      const names = [...(id !== null ? ['id'] : []), ...columns, ...t.times];
      const params = names.map((c) => (c === 'created_at' || c === 'updated_at' ? '@now' : `@${c}`));
      const result = statement(`INSERT INTO ${t.spec.table} (${names.join(', ')}) VALUES (${params.join(', ')})`).run({ ...values, now, ...(id !== null ? { id } : {}) });
      id = Number(result.lastInsertRowid);
    }
    if (t.keyOf(id) === null) ids.register(docId, kind, id);
    if (kind === 'module') moduleLinks.write(id, body);
  }

  return { rowDoc, missingRefs, applyRow, docIdOf, resolve };
}
export type RowDocs = ReturnType<typeof makeRowDocs>;

/** A curriculum module's links and exam topics travel in the module's document. */
function makeModuleLinks(db: Db, ids: SyncIds) {
  const selectLinks = db.prepare<[number], { deck_id: number | null; deck_path: string | null; tag_prefix: string | null }>(
    'SELECT deck_id, deck_path, tag_prefix FROM curriculum_links WHERE module_id = ? ORDER BY id',
  );
  const selectTopics = db.prepare<[number], string>('SELECT topic FROM curriculum_exam_topics WHERE module_id = ? ORDER BY topic').pluck();
  const deleteLinks = db.prepare<[number]>('DELETE FROM curriculum_links WHERE module_id = ?');
  const deleteTopics = db.prepare<[number]>('DELETE FROM curriculum_exam_topics WHERE module_id = ?');
  const insertLink = db.prepare<[number, number | null, string | null, string | null]>(
    'INSERT INTO curriculum_links (module_id, deck_id, deck_path, tag_prefix) VALUES (?, (SELECT id FROM decks WHERE id = ?), ?, ?)',
  );
  const insertTopic = db.prepare<[number, string]>('INSERT OR IGNORE INTO curriculum_exam_topics (module_id, topic) VALUES (?, ?)');
  const deckPath = db.prepare<[number], string>(
    `WITH RECURSIVE up(id, parent_id, path) AS (SELECT id, parent_id, name FROM decks WHERE id = ?
       UNION ALL SELECT d.id, d.parent_id, d.name || '::' || up.path FROM decks d JOIN up ON d.id = up.parent_id)
     SELECT path FROM up WHERE parent_id IS NULL`,
  ).pluck();

  return {
    read(moduleId: number): Pick<RowDoc, 'links' | 'examTopics'> {
      return {
        links: selectLinks.all(moduleId).map((l) => ({
          deck: l.deck_id === null ? null : ids.idOf('deck', l.deck_id),
          // The path too, so a machine without the deck resolves the link when a deck of that path appears.
          deckPath: l.deck_id === null ? l.deck_path : (deckPath.get(l.deck_id) ?? l.deck_path),
          tagPrefix: l.tag_prefix,
        })),
        examTopics: selectTopics.all(moduleId),
      };
    },
    write(moduleId: number, body: RowDoc): void {
      if (body.links) {
        deleteLinks.run(moduleId);
        for (const l of body.links) {
          const deck = l.deck === null ? null : ids.local(l.deck, 'deck');
          if (deck === null && l.deckPath === null && l.tagPrefix === null) continue;
          insertLink.run(moduleId, deck, deck === null && l.deckPath === null ? null : l.deckPath, l.tagPrefix);
        }
      }
      if (body.examTopics) {
        deleteTopics.run(moduleId);
        for (const topic of body.examTopics) insertTopic.run(moduleId, topic);
      }
    },
  };
}

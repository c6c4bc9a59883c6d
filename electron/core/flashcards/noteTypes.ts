import type { NoteType } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';

interface NoteTypeRow {
  id: number;
  name: string;
  kind: NoteType['kind'];
  fields: string;
  templates: string;
  css: string;
  updated_at: number;
}

/**
 * Note types with their JSON columns parsed. Parsed types are kept by id and reused while the row's
 * updated_at is unchanged, because study renders every card through its type.
 */
export function makeNoteTypeStore(db: Db) {
  const selectAll = db.prepare<[], NoteTypeRow>('SELECT id, name, kind, fields, templates, css, updated_at FROM note_types ORDER BY id');
  const selectOne = db.prepare<[number], NoteTypeRow>(
    'SELECT id, name, kind, fields, templates, css, updated_at FROM note_types WHERE id = ?',
  );
  const selectStamp = db.prepare<[number], { updated_at: number }>('SELECT updated_at FROM note_types WHERE id = ?');
  const cache = new Map<number, { stamp: number; type: NoteType }>();

  function parse(row: NoteTypeRow): NoteType {
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      fields: JSON.parse(row.fields) as string[],
      templates: JSON.parse(row.templates) as NoteType['templates'],
      css: row.css,
    };
  }

  function list(): NoteType[] {
    return selectAll.all().map(parse);
  }

  /** The note type, or a not_found error naming what to do. */
  function get(id: number): NoteType {
    const cached = cache.get(id);
    if (cached && selectStamp.get(id)?.updated_at === cached.stamp) return cached.type;
    const row = selectOne.get(id);
    if (!row) throw new AppError('not_found', `Note type ${id} does not exist. Choose Basic, Basic (and reversed card) or Cloze.`);
    const type = parse(row);
    cache.set(id, { stamp: row.updated_at, type });
    return type;
  }

  /** The note type read again (its row was rewritten within the same millisecond, e.g. by sync). */
  function reload(id: number): NoteType {
    cache.delete(id);
    return get(id);
  }

  return { list, get, reload };
}
export type NoteTypeStore = ReturnType<typeof makeNoteTypeStore>;

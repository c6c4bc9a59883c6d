// Reads an Anki collection database (opened from the package) into plain objects. Schema 11 keeps
// note types and decks as JSON in the `col` row; schema 15+ keeps them in tables whose settings are
// protobuf. Both end up as the same AnkiCollection.
import { AppError } from '../../../../shared/errors';
import type { Db } from '../../context';
import { ProtoMessage } from '../protobuf';
import type { AnkiCard, AnkiCollection, AnkiDeck, AnkiNote, AnkiNoteType, AnkiReview } from './model';
import { readAnkiFsrsParams } from '../../fsrs/ankiParams';

const WHAT = 'The collection inside the Anki package';

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function requireTables(db: Db, names: string[]): void {
  const missing = names.filter((n) => !hasTable(db, n));
  if (missing.length) {
    throw new AppError('unsupported', `${WHAT} is not an Anki collection (it has no ${missing.join(', ')} table). Export the deck again from Anki.`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('unsupported', `${WHAT} is damaged: its ${what} are not readable. Export the deck again from Anki.`);
  }
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback);

function byOrd<T extends { ord?: unknown }>(list: T[]): T[] {
  return list.map((item, i) => ({ item, ord: num(item.ord, i) })).sort((a, b) => a.ord - b.ord).map((x) => x.item);
}

function legacyNoteTypes(json: unknown): Map<number, AnkiNoteType> {
  const out = new Map<number, AnkiNoteType>();
  if (!json || typeof json !== 'object') return out;
  for (const raw of Object.values(json as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const m = raw as Record<string, unknown>;
    const flds = Array.isArray(m.flds) ? byOrd(m.flds as { ord?: unknown; name?: unknown }[]) : [];
    const tmpls = Array.isArray(m.tmpls) ? byOrd(m.tmpls as { ord?: unknown; name?: unknown; qfmt?: unknown; afmt?: unknown }[]) : [];
    const id = num(m.id);
    out.set(id, {
      id,
      name: str(m.name, 'Imported note type'),
      cloze: num(m.type) === 1,
      fields: flds.map((f) => str(f.name)),
      templates: tmpls.map((t) => ({ name: str(t.name), qfmt: str(t.qfmt), afmt: str(t.afmt) })),
      css: str(m.css),
      sortIndex: num(m.sortf),
      mtime: num(m.mod),
      latexPre: str(m.latexPre),
      latexPost: str(m.latexPost),
    });
  }
  return out;
}

function legacyDecks(json: unknown): Map<number, AnkiDeck> {
  const out = new Map<number, AnkiDeck>();
  if (!json || typeof json !== 'object') return out;
  for (const raw of Object.values(json as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const d = raw as Record<string, unknown>;
    const id = num(d.id);
    out.set(id, { id, name: str(d.name, 'Imported'), filtered: num(d.dyn) === 1 || d.dyn === true, description: str(d.desc) });
  }
  return out;
}

/** Schema 15+: notetypes/fields/templates tables with protobuf configs (Notetype.Config etc.). */
function tableNoteTypes(db: Db): Map<number, AnkiNoteType> {
  const out = new Map<number, AnkiNoteType>();
  const fields = db.prepare<[number], { name: string }>('SELECT name FROM fields WHERE ntid = ? ORDER BY ord');
  const templates = db.prepare<[number], { name: string; config: Uint8Array }>('SELECT name, config FROM templates WHERE ntid = ? ORDER BY ord');
  for (const row of db.prepare<[], { id: number; name: string; mtime_secs: number; config: Uint8Array }>('SELECT id, name, mtime_secs, config FROM notetypes').all()) {
    const config = ProtoMessage.decode(row.config ?? new Uint8Array(), `${WHAT}'s note type "${row.name}"`);
    out.set(row.id, {
      id: row.id,
      name: row.name,
      cloze: config.int(1) === 1,
      fields: fields.all(row.id).map((f) => f.name),
      templates: templates.all(row.id).map((t) => {
        const tc = ProtoMessage.decode(t.config ?? new Uint8Array(), `${WHAT}'s card template "${t.name}"`);
        return { name: t.name, qfmt: tc.string(1), afmt: tc.string(2) };
      }),
      // Notetype.Config: kind 1, sort_field_idx 2, css 3, latex_pre 5, latex_post 6.
      css: config.string(3),
      sortIndex: config.int(2),
      mtime: Number(row.mtime_secs) || 0,
      latexPre: config.string(5),
      latexPost: config.string(6),
    });
  }
  return out;
}

/** Schema 15+: decks table; names use \x1f between levels, `kind` says normal (1) or filtered (2). */
function tableDecks(db: Db): Map<number, AnkiDeck> {
  const out = new Map<number, AnkiDeck>();
  for (const row of db.prepare<[], { id: number; name: string; kind: Uint8Array }>('SELECT id, name, kind FROM decks').all()) {
    const kind = ProtoMessage.decode(row.kind ?? new Uint8Array(), `${WHAT}'s deck "${row.name}"`);
    const normal = kind.message(1);
    out.set(row.id, {
      id: row.id,
      name: row.name.split('\x1f').join('::'),
      filtered: kind.has(2),
      description: normal?.string(4) ?? '',
    });
  }
  return out;
}

export function readCollection(db: Db): AnkiCollection {
  requireTables(db, ['col', 'notes', 'cards', 'revlog']);
  const col = db.prepare<[], { crt: number; ver: number; models: string; decks: string }>('SELECT crt, ver, models, decks FROM col LIMIT 1').get();
  if (!col) throw new AppError('unsupported', `${WHAT} is empty (no collection record). Export the deck again from Anki.`);
  const modern = hasTable(db, 'notetypes');
  if (modern) requireTables(db, ['fields', 'templates', 'decks']);
  const noteTypes = modern ? tableNoteTypes(db) : legacyNoteTypes(parseJson(col.models, 'note types'));
  const decks = modern ? tableDecks(db) : legacyDecks(parseJson(col.decks, 'decks'));

  const notes = db
    .prepare<[], { id: number; guid: string; mid: number; mod: number; tags: string; flds: string }>('SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id')
    .all()
    .map(
      (n): AnkiNote => ({
        id: n.id,
        guid: String(n.guid),
        mid: n.mid,
        mod: n.mod,
        // Anki separates tags with spaces (or the ideographic space).
        tags: String(n.tags ?? '')
          .split(/[ \u3000]+/)
          .filter((t) => t !== ''),
        fields: String(n.flds ?? '').split('\x1f'),
      }),
    );
  const cards = db
    .prepare<[], AnkiCard>(
      'SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, data FROM cards ORDER BY nid, ord',
    )
    .all()
    .map((c) => ({ ...c, data: String(c.data ?? '') }));
  const revlog = db
    .prepare<[], AnkiReview>('SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY cid, id')
    .all();
  return { crt: col.crt, schemaVersion: col.ver, noteTypes, decks, notes, cards, revlog, fsrsParams: readAnkiFsrsParams(db) };
}

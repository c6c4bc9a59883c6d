// Documents refused on the way in (this collection could not apply one that came from elsewhere) or
// on the way out (the server turned one of this machine's down, e.g. its validate function). One such
// document must not stop every later sync, nor vanish: it is set aside here, named in the sync's
// result and status in plain words, and tried again at every later sync until it gets through.
import type { Db } from '../context';
import { kindOf, labelOf, type AnyBody, type SyncBody, type SyncKind } from './docs';

export type Direction = 'in' | 'out';

export interface RefusedDoc {
  docId: string;
  direction: Direction;
  label: string;
  reason: string;
  at: number;
}

/** What a person calls the record a document holds, even one of a kind this version does not know. */
export function describeDoc(docId: string, body: AnyBody | null | undefined): string {
  try {
    if (body && body.type !== 'conflict') {
      const label = labelOf(body as SyncBody);
      if (label) return label;
    }
  } catch {
    // a body this version cannot read: named by its id below
  }
  const kind = kindOf(docId);
  return kind && kind !== 'conflict' ? KIND_WORDS[kind] : 'A record from a newer version of Cadence';
}

/** Each kind of record in the words the app uses for it (never the document id, which means nothing to a person). */
const KIND_WORDS: Record<SyncKind, string> = {
  deck: 'A deck',
  note: 'A note',
  review: 'A review',
  reviews: 'Some reviews',
  cert: 'A certification',
  credit: 'A credit entry',
  reminder: 'A renewal reminder',
  exam: 'A mock-exam attempt',
  media: 'A picture or sound file',
  preset: 'A preset',
  notetype: 'A note type',
  curriculum: 'A curriculum',
  module: 'A curriculum module',
  checkin: 'A mentor check-in',
  checkins: 'The mentor check-in schedule',
};

export function makeRefused(db: Db) {
  const upsert = db.prepare<[string, Direction, string, string, number]>(
    `INSERT INTO sync_refused (doc_id, direction, label, reason, at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT DO UPDATE SET label = excluded.label, reason = excluded.reason, at = excluded.at`,
  );
  const remove = db.prepare<[string, Direction]>('DELETE FROM sync_refused WHERE doc_id = ? AND direction = ?');
  const select = db.prepare<[], { doc_id: string; direction: Direction; label: string; reason: string; at: number }>(
    'SELECT doc_id, direction, label, reason, at FROM sync_refused ORDER BY at, doc_id, direction',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_refused');

  return {
    add: (doc: RefusedDoc) => void upsert.run(doc.docId, doc.direction, doc.label, doc.reason, doc.at),
    /** The document got through: it is no longer listed. */
    clear: (docId: string, direction: Direction) => remove.run(docId, direction).changes > 0,
    list: (): RefusedDoc[] => select.all().map((r) => ({ docId: r.doc_id, direction: r.direction, label: r.label, reason: r.reason, at: r.at })),
    any: () => count.get()!.n > 0,
  };
}
export type Refused = ReturnType<typeof makeRefused>;

/** The sync's outcome in the user's words when some documents were set aside (null when none were). */
export function refusedSummary(list: RefusedDoc[]): string | null {
  if (list.length === 0) return null;
  const named = list.slice(0, 3).map((d) => `${d.label}: ${d.reason}`);
  const more = list.length > 3 ? ` (and ${list.length - 3} more)` : '';
  const n = list.length === 1 ? 'One change was' : `${list.length} changes were`;
  return `Everything else synced, but ${n} set aside and will be tried again at the next sync. ${named.join(' ')}${more}`;
}

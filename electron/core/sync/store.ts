// The SQLite side of sync: records -> documents for what changed here (the outbox, filled by the
// triggers of the sync migration), documents -> records for what came from elsewhere, and the sync
// state. Applying a batch is one transaction together with how far the replica's changes feed was
// applied, so a sync killed part-way leaves whole batches and picks up where it stopped.
import { randomBytes } from 'node:crypto';
import type { Db } from '../context';
import { makeDeckStore } from '../flashcards/decks';
import { makeNoteStore } from '../flashcards/notes';
import { makePresetStore } from '../flashcards/presets';
import { makeSchedulerCache } from '../flashcards/scheduler';
import { splitTags } from '../flashcards/tags';
import {
  BUILTIN_NOTE_TYPES,
  REVIEWS_PER_BATCH,
  SYNC_KINDS,
  docIdFor,
  kindOf,
  labelOf,
  parseReviewId,
  reviewIdFor,
  type BatchedReview,
  type ReviewBatchDoc,
  type CertDoc,
  type ConflictDoc,
  type CreditDoc,
  type DeckDoc,
  type NoteDoc,
  type ReminderDoc,
  type ReviewDoc,
  type RowDoc,
  type RowKind,
  type SyncBody,
  type SyncKind,
} from './docs';
import { makeReplay } from './replay';
import { makeCertRecords, type SyncIds, type Waits } from './certRecords';
import { makeRowDocs, ROW_TABLES } from './rowDocs';
import { makeExamRecords } from './examRecords';

export interface SyncStateRow {
  device_id: string;
  track: number;
  last_seq: string;
  last_sync_at: number | null;
  last_error: string | null;
  /** The few words a status line shows for last_error. */
  last_problem: string | null;
}

export interface OutboxRow {
  kind: SyncKind;
  local_id: number;
  changed_at: number;
}

function isDeletion(body: SyncBody | ConflictDoc): boolean {
  return 'deleted' in body && body.deleted === true;
}

/** A document to write to the replica, from the outbox row it answers. */
export interface Outgoing {
  docId: string;
  body: SyncBody | ConflictDoc;
  from: OutboxRow;
  /** A batch of reviews answers many outbox rows. */
  rows?: OutboxRow[];
  /** A review taken back: its identity, sent once. */
  undone?: string;
  /** A deck document joined into another here: sent once. */
  joined?: string;
}

/** A document's winning version, to apply here. */
export interface Incoming {
  docId: string;
  rev: string;
  body: SyncBody | ConflictDoc;
}

export interface ConflictRow {
  id: string;
  docId: string;
  kind: string;
  label: string;
  editedAt: number;
  winnerEditedAt: number;
  body: SyncBody;
}

/** Records before what refers to them: a deck before its notes, a certification before its credits. */
const APPLY_ORDER = ['media', 'preset', 'notetype', 'deck', 'note', 'review', 'reviews', 'cert', 'credit', 'reminder', 'exam', 'curriculum', 'module', 'checkin', 'checkins', 'conflict'];


function withRow(doc: { docId: string; body: SyncBody } | null, from: OutboxRow): Outgoing | null {
  return doc ? { ...doc, from } : null;
}

export function makeSyncStore(db: Db) {
  const notes = makeNoteStore(db);
  const decks = makeDeckStore(db);
  const presets = makePresetStore(db);
  const replay = makeReplay(db, makeSchedulerCache(), presets);

  const selectState = db.prepare<[], SyncStateRow>('SELECT device_id, track, last_seq, last_sync_at, last_error, last_problem FROM sync_state WHERE id = 1');
  const setTrack = db.prepare<[number]>('UPDATE sync_state SET track = ? WHERE id = 1');
  const setSeq = db.prepare<[string]>('UPDATE sync_state SET last_seq = ? WHERE id = 1');
  const setResult = db.prepare<[number | null, string | null, string | null]>(
    'UPDATE sync_state SET last_sync_at = ifnull(?, last_sync_at), last_error = ?, last_problem = ? WHERE id = 1',
  );
  // Deletions wait in the outbox untimed (a trigger cannot read the app's clock) until stampChanges times them.
  const anyUntimed = db.prepare<[], { n: number }>('SELECT EXISTS (SELECT 1 FROM sync_untimed) AS n');
  const stampUntimed = db.prepare<[number]>(
    'UPDATE sync_outbox SET changed_at = ? WHERE changed_at = 0 AND (kind, local_id) IN (SELECT kind, local_id FROM sync_untimed)',
  );
  const clearUntimed = db.prepare('DELETE FROM sync_untimed');
  const selectTemplates = db.prepare<[number], string>('SELECT templates FROM note_types WHERE id = ?').pluck();
  const seedOutbox = [
    `INSERT OR IGNORE INTO sync_outbox SELECT 'deck', id, updated_at FROM decks`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'note', id, updated_at FROM notes`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'review', id, reviewed_at FROM revlog`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'cert', id, updated_at FROM certifications`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'credit', id, updated_at FROM certification_credits`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'reminder', id, max(fired_at, ifnull(dismissed_at, 0)) FROM reminders`,
    `INSERT OR IGNORE INTO sync_outbox SELECT 'exam', attempt_id, submitted_at FROM exam_results`,
    `INSERT OR IGNORE INTO sync_media_unsent SELECT name FROM media`,
    `INSERT OR IGNORE INTO sync_media_unsent SELECT media_name FROM credit_evidence`,
    // Rows never edited since the collection was made (built-ins, time 0) are the same everywhere: nothing to send.
    ...ROW_TABLES.map(([kind, table]) => `INSERT OR IGNORE INTO sync_outbox SELECT '${kind}', id, updated_at FROM ${table} WHERE updated_at > 0`),
  ].map((sql) => db.prepare(sql));
  // What the first sync will send (the rows seedOutbox queues), counted before it runs: each count(*)
  // walks the table's smallest index once; the service keeps the figure until something changes.
  const countFirstSync = db.prepare<[], { n: number }>(
    `SELECT (SELECT count(*) FROM decks) + (SELECT count(*) FROM notes) + (SELECT count(*) FROM revlog)
       + (SELECT count(*) FROM certifications) + (SELECT count(*) FROM certification_credits) + (SELECT count(*) FROM reminders)
       + (SELECT count(*) FROM exam_results) + (SELECT count(*) FROM media) + (SELECT count(DISTINCT media_name) FROM credit_evidence)
       ${ROW_TABLES.map(([, table]) => `+ (SELECT count(*) FROM ${table} WHERE updated_at > 0)`).join(' ')} AS n`,
  );
  // Kind by kind along the primary key: ordering the whole outbox by an expression sorted all of it for
  // every batch, a million rows on a large collection's first sync. Reviews go last (they refer to
  // notes), in batches (queuedReviews below).
  const selectOutboxOf = db.prepare<[string, number], OutboxRow>('SELECT kind, local_id, changed_at FROM sync_outbox WHERE kind = ? ORDER BY local_id LIMIT ?');
  const selectOutboxRest = db.prepare<[number], OutboxRow>("SELECT kind, local_id, changed_at FROM sync_outbox WHERE kind <> 'review' ORDER BY kind, local_id LIMIT ?");
  const outboxKinds = SYNC_KINDS.filter((k) => k !== 'review' && k !== 'reviews');
  function selectOutbox(limit: number): OutboxRow[] {
    const rows: OutboxRow[] = [];
    for (const kind of outboxKinds) if (rows.length < limit) rows.push(...selectOutboxOf.all(kind, limit - rows.length));
    // A kind this list does not name (none today) is still sent.
    return rows.length ? rows : selectOutboxRest.all(limit);
  }
  // A review queued to send, with what its batch entry says (nothing: it went with its note, whose deletion says so).
  const selectQueuedReviews = db.prepare<
    [number],
    OutboxRow & { reviewed_at: number | null; rating: number; duration_ms: number; guid: string | null; ord: number;
      state_after: number; due_after: number; stability_after: number; difficulty_after: number; scheduled_days_after: number; learning_steps_after: number }
  >(
    `SELECT o.kind, o.local_id, o.changed_at, r.reviewed_at, r.rating, r.duration_ms, n.guid, c.ord, r.state_after, r.due_after,
            r.stability_after, r.difficulty_after, r.scheduled_days_after, r.learning_steps_after
       FROM sync_outbox o LEFT JOIN revlog r ON r.id = o.local_id LEFT JOIN cards c ON c.id = r.card_id LEFT JOIN notes n ON n.id = c.note_id
      WHERE o.kind = 'review' ORDER BY o.local_id LIMIT ?`,
  );
  const selectUnsentUndos = db.prepare<[number], { doc_id: string }>('SELECT doc_id FROM sync_reviews_undone WHERE unsent = 1 ORDER BY doc_id LIMIT ?');
  const markUndoSent = db.prepare<[string]>('UPDATE sync_reviews_undone SET unsent = 0 WHERE doc_id = ?');
  const insertUndone = db.prepare<[string]>('INSERT OR IGNORE INTO sync_reviews_undone (doc_id) VALUES (?)');
  const selectUndone = db.prepare<[string], { doc_id: string }>('SELECT doc_id FROM sync_reviews_undone WHERE doc_id = ?');
  const selectUnsentMerges = db.prepare<[number], { doc_id: string; into_id: string; made_at: number }>(
    'SELECT doc_id, into_id, made_at FROM sync_deck_merges WHERE unsent = 1 ORDER BY doc_id LIMIT ?',
  );
  const markMergeSent = db.prepare<[string, string]>('UPDATE sync_deck_merges SET unsent = 0 WHERE doc_id = ? AND into_id = ?');
  const selectMerge = db.prepare<[string], { into_id: string }>('SELECT into_id FROM sync_deck_merges WHERE doc_id = ?');
  // Joined here: sent (again, if it now joins another id); met in a document from elsewhere: known, not sent.
  const upsertMerge = db.prepare<[string, string, number]>(
    `INSERT INTO sync_deck_merges (doc_id, into_id, made_at, unsent) VALUES (?, ?, ?, 1)
       ON CONFLICT DO UPDATE SET into_id = excluded.into_id, made_at = excluded.made_at, unsent = 1 WHERE into_id <> excluded.into_id`,
  );
  const selectIdsAt = db.prepare<[string, number], { doc_id: string }>('SELECT doc_id FROM sync_ids WHERE kind = ? AND local_id = ? ORDER BY doc_id');
  const forgetSettledIds = db.prepare<[{ kind: string }]>(
    `DELETE FROM sync_ids WHERE kind = @kind AND local_id < 0
        AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.kind = @kind AND o.local_id = sync_ids.local_id)`,
  );
  const upsertDetached = db.prepare<[string, string | null]>('INSERT OR REPLACE INTO sync_deck_detached (doc_id, parent_id) VALUES (?, ?)');
  const selectDetached = db.prepare<[string], { parent_id: string | null }>('SELECT parent_id FROM sync_deck_detached WHERE doc_id = ?');
  const selectAllDetached = db.prepare<[], { doc_id: string; parent_id: string | null }>('SELECT doc_id, parent_id FROM sync_deck_detached ORDER BY doc_id');
  const forgetDetached = db.prepare<[string]>('DELETE FROM sync_deck_detached WHERE doc_id = ?');
  const insertMergeSeen = db.prepare<[string, string, number]>('INSERT OR IGNORE INTO sync_deck_merges (doc_id, into_id, made_at, unsent) VALUES (?, ?, ?, 0)');
  const selectDeckIds = db.prepare<[number], { doc_id: string }>("SELECT doc_id FROM sync_ids WHERE kind = 'deck' AND local_id = ? ORDER BY doc_id");
  const countOutbox = db.prepare<[], { n: number }>(
    `SELECT (SELECT count(*) FROM sync_outbox) + (SELECT count(*) FROM sync_reviews_undone WHERE unsent = 1)
          + (SELECT count(*) FROM sync_deck_merges WHERE unsent = 1) AS n`,
  );
  // Asked after every change (an answer too): one row looked at, however long the outbox has grown
  // offline. A media file waiting to go up counts too, so adding a picture alone brings a sync soon.
  const anyOutbox = db.prepare<[], { n: number }>(
    `SELECT EXISTS (SELECT 1 FROM sync_outbox) OR EXISTS (SELECT 1 FROM sync_media_unsent) OR EXISTS (SELECT 1 FROM sync_reviews_undone WHERE unsent = 1)
         OR EXISTS (SELECT 1 FROM sync_deck_merges WHERE unsent = 1) AS n`,
  );
  // An outbox row sent goes unless changed again meanwhile; a deletion read before it was timed (0) goes
  // even if timed since (stampChanges, while the sync wrote it): the same deletion, never sent twice.
  const deleteSentOutbox = db.prepare<[{ kind: string; local_id: number; changed_at: number }]>(
    'DELETE FROM sync_outbox WHERE kind = @kind AND local_id = @local_id AND (changed_at = @changed_at OR (@changed_at = 0 AND local_id < 0))',
  );
  const deleteOutbox = (row: OutboxRow) => deleteSentOutbox.run({ kind: row.kind, local_id: row.local_id, changed_at: row.changed_at });
  const deleteOutboxEntry = db.prepare<[string, number]>('DELETE FROM sync_outbox WHERE kind = ? AND local_id = ?');
  const selectIdOf = db.prepare<[string, number], { doc_id: string }>('SELECT min(doc_id) AS doc_id FROM sync_ids WHERE kind = ? AND local_id = ?');
  const selectLocal = db.prepare<[string], { kind: string; local_id: number }>('SELECT kind, local_id FROM sync_ids WHERE doc_id = ?');
  const insertId = db.prepare<[string, string, number]>('INSERT OR REPLACE INTO sync_ids (doc_id, kind, local_id) VALUES (?, ?, ?)');
  const selectRev = db.prepare<[string], { rev: string }>('SELECT rev FROM sync_revs WHERE doc_id = ?');
  const upsertRev = db.prepare<[string, string]>('INSERT OR REPLACE INTO sync_revs (doc_id, rev) VALUES (?, ?)');

  const selectDeck = db.prepare<[number], { id: number; name: string; parent_id: number | null; preset_id: number }>(
    'SELECT id, name, parent_id, preset_id FROM decks WHERE id = ?',
  );
  const setDeckPreset = db.prepare<[number, number]>('UPDATE decks SET preset_id = ? WHERE id = ?');
  const selectSibling = db.prepare<[number | null, string], { id: number }>(
    'SELECT id FROM decks WHERE parent_id IS ? AND name = ? COLLATE NOCASE',
  );
  const selectChildren = db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM decks WHERE parent_id = ?');
  const moveCards = db.prepare<[number, number]>('UPDATE cards SET deck_id = ? WHERE deck_id = ?');
  const setParent = db.prepare<[number | null, number]>('UPDATE decks SET parent_id = ? WHERE id = ?');
  const repointIds = db.prepare<[number, number]>("UPDATE sync_ids SET local_id = ? WHERE kind = 'deck' AND local_id = ?");
  const deleteDeck = db.prepare<[number]>('DELETE FROM decks WHERE id = ?');
  const setDeck = db.prepare<[string, number | null, number, number]>('UPDATE decks SET name = ?, parent_id = ?, updated_at = ? WHERE id = ?');
  const selectNote = db.prepare<[number], { id: number; guid: string; note_type_id: number; fields: string; tags: string; format: 'markdown' | 'html' }>(
    'SELECT id, guid, note_type_id, fields, tags, format FROM notes WHERE id = ?',
  );
  const selectNoteByGuid = db.prepare<[string], { id: number }>('SELECT id FROM notes WHERE guid = ?');
  const selectNoteCards = db.prepare<[number], { id: number; ord: number; deck_id: number; suspended: number; flag: number }>(
    'SELECT id, ord, deck_id, suspended, flag FROM cards WHERE note_id = ? ORDER BY ord',
  );
  const setCard = db.prepare<[number, number, number, number, number]>(
    'UPDATE cards SET deck_id = ?, suspended = ?, flag = ?, updated_at = ? WHERE id = ?',
  );
  const selectCardOf = db.prepare<[string, number], { id: number }>(
    'SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ? AND c.ord = ?',
  );
  const deleteRevlog = db.prepare<[number]>('DELETE FROM revlog WHERE id = ?');
  // A review's identity is its row's natural key here: its card, when it was answered, its rating.
  const selectRevlogByKey = db.prepare<[number, number, number], { id: number }>('SELECT id FROM revlog WHERE card_id = ? AND reviewed_at = ? AND rating = ?');
  const selectCardReviews = db.prepare<[number], { reviewed_at: number; rating: number }>('SELECT reviewed_at, rating FROM revlog WHERE card_id = ?');
  const anyUndone = db.prepare<[], { n: number }>('SELECT EXISTS (SELECT 1 FROM sync_reviews_undone) AS n');
  // Scheduling columns are placeholders until the card's history is replayed in the same transaction.
  const insertRevlog = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms,
        state_before, due_before, stability_before, difficulty_before, scheduled_days_before, learning_steps_before,
        reps_before, lapses_before, last_review_before,
        state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (@card_id, @reviewed_at, @rating, @duration_ms, 0, @reviewed_at, 0, 0, 0, 0, 0, 0, NULL,
        @state, @due, @stability, @difficulty, @scheduled_days, @learning_steps)`,
  );
  // Reviews made here and never sent, of a note deleted here (migration 021): back with the note.
  const selectKept = db.prepare<[string], { ord: number; reviewed_at: number; rating: number; duration_ms: number; state: number; due: number;
    stability: number; difficulty: number; scheduled_days: number; learning_steps: number }>('SELECT * FROM sync_kept_reviews WHERE note_guid = ?');
  const deleteKept = db.prepare<[string]>('DELETE FROM sync_kept_reviews WHERE note_guid = ?');
  const queueReview = db.prepare<[number, number]>("INSERT INTO sync_outbox VALUES ('review', ?, ?) ON CONFLICT DO NOTHING");
  const upsertConflict = db.prepare(
    `INSERT INTO sync_conflicts (id, doc_id, kind, label, body, edited_at, winner_edited_at, resolved, resolved_at)
     VALUES (@id, @doc_id, @kind, @label, @body, @edited_at, @winner_edited_at, @resolved, @resolved_at)
     ON CONFLICT DO UPDATE SET resolved = max(resolved, excluded.resolved), resolved_at = ifnull(resolved_at, excluded.resolved_at)`,
  );
  const markResolved = db.prepare<[number, string]>('UPDATE sync_conflicts SET resolved = 1, resolved_at = ?, unsent = 1 WHERE id = ? AND resolved = 0');
  const selectUnsent = db.prepare<[], { id: string; doc_id: string; body: string; winner_edited_at: number; resolved_at: number }>(
    'SELECT id, doc_id, body, winner_edited_at, resolved_at FROM sync_conflicts WHERE unsent = 1',
  );
  const clearUnsent = db.prepare<[string]>('UPDATE sync_conflicts SET unsent = 0 WHERE id = ?');
  const selectConfig = db.prepare<[], { server_url: string | null; database: string | null; username: string | null }>(
    'SELECT server_url, database, username FROM sync_state WHERE id = 1',
  );
  const setConfig = db.prepare<[string, string, string | null]>('UPDATE sync_state SET server_url = ?, database = ?, username = ? WHERE id = 1');
  const selectConflicts = db.prepare<[], { id: string; doc_id: string; kind: string; label: string; body: string; edited_at: number; winner_edited_at: number }>(
    'SELECT id, doc_id, kind, label, body, edited_at, winner_edited_at FROM sync_conflicts WHERE resolved = 0 ORDER BY edited_at DESC, id',
  );
  const selectConflict = db.prepare<[string], { id: string; doc_id: string; body: string; resolved: number }>(
    'SELECT id, doc_id, body, resolved FROM sync_conflicts WHERE id = ?',
  );

  const upsertWaiting = db.prepare<[string, string, string, string]>('INSERT OR REPLACE INTO sync_waiting (doc_id, rev, body, waits_for) VALUES (?, ?, ?, ?)');
  const deleteWaiting = db.prepare<[string]>('DELETE FROM sync_waiting WHERE doc_id = ?');
  const selectWaiting = db.prepare<[], { doc_id: string; rev: string; body: string; waits_for: string }>('SELECT doc_id, rev, body, waits_for FROM sync_waiting ORDER BY doc_id');

  // A card's media file, or a credit entry's evidence file (migration 021): both by content name.
  const selectUnsentMedia = db.prepare<[], { name: string; original_name: string; size: number; evidence: number }>(
    `SELECT u.name, coalesce(m.original_name, e.file_name) AS original_name, coalesce(m.size, e.size_bytes) AS size, m.name IS NULL AS evidence
       FROM sync_media_unsent u LEFT JOIN media m ON m.name = u.name
       LEFT JOIN credit_evidence e ON e.id = (SELECT min(id) FROM credit_evidence WHERE media_name = u.name)
      WHERE m.name IS NOT NULL OR e.id IS NOT NULL ORDER BY u.name`,
  );
  const deleteUnsentMedia = db.prepare<[string]>('DELETE FROM sync_media_unsent WHERE name = ?');
  const deleteOrphanUnsentMedia = db.prepare(
    'DELETE FROM sync_media_unsent WHERE name NOT IN (SELECT name FROM media) AND name NOT IN (SELECT media_name FROM credit_evidence)',
  );
  const insertMedia = db.prepare<[string, string, number, number]>('INSERT OR IGNORE INTO media (name, original_name, size, created_at) VALUES (?, ?, ?, ?)');

  const countRevs = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_revs');
  const renewDevice = db.transaction(() => {
    db.exec(`UPDATE sync_state SET device_id = lower(hex(randomblob(8))), last_seq = '0' WHERE id = 1; DELETE FROM sync_revs;`);
  });

  function state(): SyncStateRow {
    return selectState.get()!;
  }

  /** Starts keeping the outbox; the first time, everything already in the collection is queued to send. */
  const startTracking = db.transaction(() => {
    if (state().track === 1) return;
    for (const s of seedOutbox) s.run();
    setTrack.run(1);
  });

  /** The local row's document id; a row sent for the first time gets one made from this machine's id. */
  function idOf(kind: SyncKind, localId: number): string {
    const known = selectIdOf.get(kind, localId)?.doc_id;
    if (known) return known;
    const key = `${state().device_id}-${localId}`;
    let docId = docIdFor(kind, key);
    // The number of a row deleted before: its document (a tombstone now) is not this row's.
    for (let n = 2; selectLocal.get(docId) || selectRev.get(docId); n++) docId = docIdFor(kind, `${key}-${n}`);
    insertId.run(docId, kind, localId);
    return docId;
  }

  function knownIdOf(kind: SyncKind, localId: number): string | null {
    return selectIdOf.get(kind, localId)?.doc_id ?? null;
  }

  const syncIds: SyncIds = {
    register: (docId, kind, localId) => insertId.run(docId, kind, localId),
    known: (kind, localId) => selectIdOf.get(kind, localId)?.doc_id ?? null,
    idOf: (kind, localId) => idOf(kind as SyncKind, localId),
    local: (docId, kind) => localOf(docId, kind as SyncKind),
    seen: (docId) => selectRev.get(docId) !== undefined,
  };
  const records = makeCertRecords(db, syncIds);
  const rows = makeRowDocs(db, syncIds);
  const exams = makeExamRecords(db, syncIds);

  function deckDoc(row: OutboxRow, device: string, now: number): Outgoing | null {
    const deck = selectDeck.get(row.local_id);
    if (!deck) {
      const docId = knownIdOf('deck', row.local_id);
      return docId ? { docId, from: row, body: { type: 'deck', name: '', parent: null, deleted: true, editedAt: row.changed_at || now, device } } : null;
    }
    const body: DeckDoc = {
      type: 'deck',
      name: deck.name,
      parent: deck.parent_id === null ? null : idOf('deck', deck.parent_id),
      preset: rows.docIdOf('preset', deck.preset_id),
      editedAt: row.changed_at,
      device,
    };
    return { docId: idOf('deck', deck.id), from: row, body };
  }

  function noteDoc(row: OutboxRow, device: string, now: number): Outgoing | null {
    const note = selectNote.get(row.local_id);
    if (!note) {
      const docId = knownIdOf('note', row.local_id);
      const body: NoteDoc = { type: 'note', noteType: 1, fields: [], tags: [], format: 'markdown', cards: [], deleted: true, editedAt: row.changed_at || now, device };
      return docId ? { docId, from: row, body } : null;
    }
    const docId = docIdFor('note', note.guid);
    insertId.run(docId, 'note', note.id);
    const body: NoteDoc = {
      type: 'note',
      noteType: BUILTIN_NOTE_TYPES.includes(note.note_type_id) ? note.note_type_id : rows.docIdOf('notetype', note.note_type_id),
      fields: JSON.parse(note.fields) as string[],
      tags: splitTags(note.tags),
      format: note.format,
      cards: selectNoteCards.all(note.id).map((c) => ({ ord: c.ord, deck: idOf('deck', c.deck_id), suspended: c.suspended === 1, flag: c.flag })),
      editedAt: row.changed_at,
      device,
    };
    return { docId, from: row, body };
  }

  /** A deck document joined here into another: the version that says so, with the joined deck's name and place. */
  function joinedDoc(merge: { doc_id: string; into_id: string; made_at: number }, device: string): Outgoing {
    const into = localOf(merge.into_id, 'deck');
    const deck = into === null ? undefined : selectDeck.get(into);
    const body: DeckDoc = {
      type: 'deck',
      name: deck?.name ?? '',
      parent: deck?.parent_id == null ? null : idOf('deck', deck.parent_id),
      mergedInto: merge.into_id,
      editedAt: merge.made_at,
      device,
    };
    return { docId: merge.doc_id, body, from: { kind: 'deck', local_id: 0, changed_at: 0 }, joined: merge.into_id };
  }

  /** A review taken back here: a tombstone under its identity (a child of the document that carried it alone, if one did). */
  function undoDoc(docId: string, device: string, now: number): Outgoing {
    const body: ReviewDoc = { type: 'review', note: '', ord: 0, reviewedAt: 0, rating: 0, durationMs: 0, deleted: true, editedAt: now, device };
    return { docId, body, from: { kind: 'review', local_id: 0, changed_at: 0 }, undone: docId };
  }

  /**
   * The reviews queued to send, in batches of REVIEWS_PER_BATCH (at most `docs` of them), grouped by card.
   * A batch's id is new and random: a batch is written once, and a copy of this collection never makes
   * the same one (the reviews in both are told apart by their identities, not by the batch).
   */
  function reviewBatches(docs: number, device: string, now: number): { docs: Outgoing[]; skipped: OutboxRow[] } {
    const out: Outgoing[] = [];
    const skipped: OutboxRow[] = [];
    const queued = selectQueuedReviews.all(docs * REVIEWS_PER_BATCH);
    for (let start = 0; start < queued.length; start += REVIEWS_PER_BATCH) {
      const rows: OutboxRow[] = [];
      const cards = new Map<string, ReviewBatchDoc['cards'][number]>();
      for (const q of queued.slice(start, start + REVIEWS_PER_BATCH)) {
        const row = { kind: q.kind, local_id: q.local_id, changed_at: q.changed_at };
        if (q.reviewed_at === null || q.guid === null) {
          skipped.push(row);
          continue;
        }
        rows.push(row);
        const review: BatchedReview = [q.reviewed_at, q.rating, q.duration_ms];
        if (q.rating === 0) {
          review.push({
            state: q.state_after,
            due: q.due_after,
            stability: q.stability_after,
            difficulty: q.difficulty_after,
            scheduledDays: q.scheduled_days_after,
            learningSteps: q.learning_steps_after,
          });
        }
        const key = `${q.guid}\n${q.ord}`;
        const card = cards.get(key);
        if (card) card.reviews.push(review);
        else cards.set(key, { note: docIdFor('note', q.guid), ord: q.ord, reviews: [review] });
      }
      if (!rows.length) continue;
      const body: ReviewBatchDoc = { type: 'reviews', cards: [...cards.values()], editedAt: now, device };
      out.push({ docId: docIdFor('reviews', `${device}-${randomBytes(8).toString('hex')}`), body, from: rows[0]!, rows });
    }
    return { docs: out, skipped };
  }

  function docOf(row: OutboxRow, device: string, now: number): Outgoing | null {
    switch (row.kind) {
      case 'deck':
        return deckDoc(row, device, now);
      case 'note':
        return noteDoc(row, device, now);
      case 'review':
      case 'reviews':
        return null; // sent in batches (reviewBatches)
      case 'cert':
        return withRow(records.certDoc(row, device, now), row);
      case 'credit':
        return withRow(records.creditDoc(row, device, now), row);
      case 'reminder':
        return withRow(records.reminderDoc(row, device, now), row);
      case 'exam':
        return withRow(exams.examDoc(row, device), row);
      case 'media':
        return null; // not in the outbox: files go by name (media.ts)
      case 'notetype':
        // Its notes have the cards its templates ask for before it goes (a template added by a re-import
        // gives only the file's notes theirs): the cards made here queue their notes, which carry them.
        if (row.local_id > 0 && selectTemplates.get(row.local_id) !== undefined) notes.addMissingCards(row.local_id, now);
        return withRow(rows.rowDoc(row.kind, row, device, now), row);
      default:
        return withRow(rows.rowDoc(row.kind, row, device, now), row);
    }
  }

  /**
   * The next changes to send, as at most `limit` documents (decks and notes before reviews), and how many
   * queued changes they answer (a batch of reviews answers many).
   */
  const outgoing = db.transaction((limit: number, now: number): { docs: Outgoing[]; skipped: OutboxRow[]; changes: number } => {
    const device = state().device_id;
    const docs: Outgoing[] = [];
    const skipped: OutboxRow[] = [];
    const rows = selectOutbox(limit);
    for (const row of rows) {
      const doc = docOf(row, device, now);
      if (!doc) {
        skipped.push(row);
        continue;
      }
      docs.push(doc);
      // Rows deleted under one number before a sync (SQLite gives a deleted row's number to the next):
      // every one of their deletions goes, not only the first's (the ids there all wait to be sent: forgetSettled).
      if (row.local_id < 0 && isDeletion(doc.body)) {
        for (const { doc_id } of selectIdsAt.all(row.kind, row.local_id)) if (doc_id !== doc.docId) docs.push({ ...doc, docId: doc_id });
      }
    }
    let changes = rows.length;
    // Never a negative LIMIT (SQLite reads it as none): deletions above may have filled the batch.
    for (const { doc_id } of selectUnsentUndos.all(Math.max(0, limit - docs.length))) docs.push(undoDoc(doc_id, device, now));
    for (const merge of selectUnsentMerges.all(Math.max(0, limit - docs.length))) docs.push(joinedDoc(merge, device));
    if (docs.length < limit) {
      // A few batches per write, so a million reviews queued are never all in memory at once.
      const batches = reviewBatches(Math.min(limit - docs.length, 25), device, now);
      docs.push(...batches.docs);
      skipped.push(...batches.skipped);
      changes += batches.skipped.length;
    }
    changes += docs.reduce((n, d) => n + (d.rows?.length ?? (d.undone ? 1 : 0)), 0);
    return { docs, skipped, changes };
  });

  /** Documents written to the replica: their outbox rows go (unless edited again meanwhile), their revisions are kept. */
  const sent = db.transaction((written: { doc: Outgoing; rev: string }[], skipped: OutboxRow[]) => {
    for (const { doc, rev } of written) {
      for (const row of doc.rows ?? [doc.from]) deleteOutbox(row);
      if (doc.undone) markUndoSent.run(doc.undone);
      if (doc.joined) markMergeSent.run(doc.docId, doc.joined);
      upsertRev.run(doc.docId, rev);
    }
    for (const row of skipped) deleteOutbox(row);
    forgetSettled();
  });

  /**
   * A deleted row's ids wait under its number negated while its deletion is to send; sent, or deleted by
   * a document from elsewhere, they are forgotten. So a later row of the same number, deleted in turn,
   * never has its deletion sent under an earlier row's id, and an earlier deletion still to send is never lost.
   */
  function forgetSettled(): void {
    for (const kind of SYNC_KINDS) forgetSettledIds.run({ kind });
  }

  function localOf(docId: string, kind: SyncKind): number | null {
    const hit = selectLocal.get(docId);
    return hit && hit.kind === kind ? hit.local_id : null;
  }

  /** Document ids a body refers to that this collection does not have yet (to fetch and apply first). */
  function missingRefs(body: SyncBody | ConflictDoc): string[] {
    if (body.type === 'conflict' || body.deleted) return [];
    if (body.type === 'cert' || body.type === 'credit' || body.type === 'reminder') return records.missingRefs(body);
    if (body.type === 'exam' || body.type === 'media') return [];
    if (body.type === 'reviews') return [...new Set(body.cards.map((c) => c.note))].filter((id) => !isHere(id));
    if (body.type !== 'deck' && body.type !== 'note' && body.type !== 'review') return rows.missingRefs(body);
    const refs =
      body.type === 'deck'
        ? body.mergedInto !== undefined
          ? [body.mergedInto]
          : [...(body.parent ? [body.parent] : []), ...(body.preset ? [body.preset] : [])]
        : body.type === 'note'
          ? [...new Set(body.cards.map((c) => c.deck)), ...(typeof body.noteType === 'string' ? [body.noteType] : [])]
          : [body.note];
    return refs.filter((id) => !isHere(id));
  }

  function isHere(docId: string): boolean {
    const kind = kindOf(docId);
    if (kind === 'note') return selectNoteByGuid.get(docId.slice('note:'.length)) !== undefined;
    if (kind === 'preset' || kind === 'notetype') return typeof rows.resolve(kind, docId) === 'number';
    const deck = localOf(docId, 'deck');
    return deck !== null && selectDeck.get(deck) !== undefined;
  }

  /** What a document needs that is not here: deleted (it goes too), or not arrived yet (it waits). */
  function absent(docId: string): 'gone' | Waits {
    return selectRev.get(docId) !== undefined ? 'gone' : { waitsFor: docId };
  }

  /** One deck joins another of the same name: its cards and subdecks (merged in turn by name), its ids. */
  function mergeDeck(from: number, into: number, now: number): void {
    moveCards.run(into, from);
    for (const child of selectChildren.all(from)) {
      const same = selectSibling.get(into, child.name);
      if (same) mergeDeck(child.id, same.id, now);
      else setParent.run(into, child.id);
    }
    repointIds.run(into, from);
    deleteDeck.run(from);
    recordJoins(into, now);
  }

  /** A deck answering to several documents: each but the smallest (the one it is sent under) is to say it joined it. */
  function recordJoins(deckId: number, now: number): void {
    const [first, ...joined] = selectDeckIds.all(deckId);
    for (const { doc_id } of joined) upsertMerge.run(doc_id, first!.doc_id, now);
  }

  /** A deck document that joined another, as the machine that joined them says: its cards and subdecks go there too. */
  function joinDeck(docId: string, intoId: string, now: number): Waits | void {
    const into = localOf(intoId, 'deck');
    const local = localOf(docId, 'deck');
    if (into === null || !selectDeck.get(into)) {
      const missing = absent(intoId);
      if (missing !== 'gone') return missing;
      // It joined a deck deleted since: the deletion takes it too.
      if (local !== null && selectDeck.get(local)) decks.remove(local);
      return;
    }
    insertMergeSeen.run(docId, intoId, now);
    if (local !== null && local !== into && selectDeck.get(local)) mergeDeck(local, into, now);
    insertId.run(docId, 'deck', into);
    recordJoins(into, now);
  }

  function applyDeck(docId: string, body: DeckDoc, now: number): Waits | void {
    if (body.mergedInto !== undefined) return joinDeck(docId, body.mergedInto, now);
    // Joined into another deck here: that stands (the version saying so wins everywhere).
    if (selectMerge.get(docId)) return;
    const local = localOf(docId, 'deck');
    const exists = local !== null && selectDeck.get(local);
    if (body.deleted) {
      if (exists) decks.remove(local);
      return;
    }
    const parent = body.parent === null ? null : localOf(body.parent, 'deck');
    if (body.parent !== null && (parent === null || !selectDeck.get(parent))) return; // its parent was deleted
    if (exists && loopThrough(local, parent)) {
      const out = [local, ...loopThrough(local, parent)!].reduce((a, b) => ((knownIdOf('deck', a) ?? '') <= (knownIdOf('deck', b) ?? '') ? a : b));
      detach(out, out === local ? body.parent : undefined, now);
      // The loop is open now: the deck taken out was this one (at the top, as the loop broke) or another.
      if (selectDeck.get(local)?.parent_id === null && selectDetached.get(docId)) return setPreset(local, body.preset);
      return applyDeck(docId, body, now);
    }
    forgetDetached.run(docId);
    const sibling = selectSibling.get(parent, body.name);
    if (exists) {
      if (sibling && sibling.id !== local) {
        // Renamed or moved onto a deck of the same name: they are one deck from now on, as on the
        // machine that made the change (where the other deck arrived as one made twice, below).
        mergeDeck(local, sibling.id, now);
        return;
      }
      setDeck.run(body.name, parent, now, local);
      setPreset(local, body.preset);
      return;
    }
    // Made on two machines before they synced (same name, same parent): one deck.
    const id = sibling ? sibling.id : decks.create(body.name, parent, now).id;
    insertId.run(docId, 'deck', id);
    if (sibling) recordJoins(id, now);
    setPreset(id, body.preset);
  }

  /** The decks from `parent` up to `deck`, if `deck` is among `parent`'s ancestors (or is it): putting it there would close a loop. */
  function loopThrough(deck: number, parent: number | null): number[] | null {
    const chain: number[] = [];
    for (let at = parent; at !== null; at = selectDeck.get(at)?.parent_id ?? null) {
      if (at === deck) return chain;
      chain.push(at);
    }
    return null;
  }

  /**
   * Decks moved on two machines, each under the other (or under one the other moved under it), would be a
   * loop. Every machine takes the same deck out (the one sent under the smallest id) to the top level,
   * and remembers where its document puts it, to go back there once a later move opens the loop
   * (attachDetached). A deck of the same name at the top is the same deck (as decks made twice are).
   */
  function detach(deck: number, wanted: string | null | undefined, now: number): void {
    const current = selectDeck.get(deck)!;
    // Where its document puts it: the one arriving, or (another deck of the loop) where it is now.
    upsertDetached.run(idOf('deck', deck), wanted !== undefined ? wanted : current.parent_id === null ? null : idOf('deck', current.parent_id));
    const same = selectSibling.get(null, current.name);
    if (same && same.id !== deck) mergeDeck(deck, same.id, now);
    else setParent.run(null, deck);
  }

  /** Decks taken out of a loop go back under the deck their document names once that no longer closes one. */
  function attachDetached(): void {
    for (const d of selectAllDetached.all()) {
      const deck = localOf(d.doc_id, 'deck');
      const parent = d.parent_id === null ? null : localOf(d.parent_id, 'deck');
      const here = deck === null ? undefined : selectDeck.get(deck);
      if (!here || here.parent_id !== null) {
        forgetDetached.run(d.doc_id);
        continue;
      }
      if (parent === null || !selectDeck.get(parent) || loopThrough(deck!, parent) || selectSibling.get(parent, here.name)) continue;
      setParent.run(parent, deck!);
      forgetDetached.run(d.doc_id);
    }
  }

  function setPreset(deckId: number, preset: string | undefined): void {
    const presetId = preset === undefined ? 'gone' : rows.resolve('preset', preset);
    // A preset deleted (or not arrived) leaves the deck on the one it has.
    if (typeof presetId === 'number' && selectDeck.get(deckId)?.preset_id !== presetId) setDeckPreset.run(presetId, deckId);
  }

  /** A note deleted here and brought back by a newer edit made elsewhere: the reviews made here and never sent come back too, to be sent. */
  function restoreKeptReviews(guid: string, replayCards: Set<number>): void {
    for (const k of selectKept.all(guid)) {
      const card = selectCardOf.get(guid, k.ord);
      if (!card) continue;
      const { ord: _ord, ...review } = k;
      void _ord;
      const id = Number(insertRevlog.run({ card_id: card.id, ...review }).lastInsertRowid);
      queueReview.run(id, k.reviewed_at);
      replayCards.add(card.id);
    }
    deleteKept.run(guid);
  }

  function applyNote(docId: string, body: NoteDoc, now: number, replayCards = new Set<number>()): Waits | void {
    const guid = docId.slice('note:'.length);
    const local = selectNoteByGuid.get(guid)?.id ?? null;
    if (body.deleted) {
      if (local !== null) notes.deleteNotes([local]);
      return;
    }
    const deckOf = (deckDocId: string) => {
      const id = localOf(deckDocId, 'deck');
      return id !== null && selectDeck.get(id) ? id : null;
    };
    if (!body.cards.length) return;
    const mainDeck = deckOf(body.cards[0]!.deck);
    if (mainDeck === null) {
      const missing = absent(body.cards[0]!.deck);
      return missing === 'gone' ? undefined : missing; // a deleted deck: the deletion reaches the note too
    }
    const noteTypeId = typeof body.noteType === 'number' ? body.noteType : rows.resolve('notetype', body.noteType);
    if (noteTypeId === 'gone') return;
    if (typeof noteTypeId === 'object') return noteTypeId;
    const fields = { fields: body.fields, tags: body.tags, format: body.format };
    const id =
      local === null
        ? notes.createNote({ noteTypeId, deckId: mainDeck, guid, ...fields }, now).note.id
        : notes.updateNote(local, fields, now).note.id;
    insertId.run(docId, 'note', id);
    if (local === null) restoreKeptReviews(guid, replayCards);
    const wanted = new Map(body.cards.map((c) => [c.ord, c]));
    for (const card of selectNoteCards.all(id)) {
      const want = wanted.get(card.ord);
      if (!want) continue;
      const deck = deckOf(want.deck) ?? card.deck_id;
      const suspended = want.suspended ? 1 : 0;
      if (deck !== card.deck_id || suspended !== card.suspended || want.flag !== card.flag) setCard.run(deck, suspended, want.flag, now, card.id);
    }
  }

  /**
   * A review document under its identity: a review taken back (a tombstone), or one review as Cadence sent
   * them before batches. Either way the review is matched by its identity, so one that arrived in a batch
   * too is the same review, kept once.
   */
  function applyReview(docId: string, body: ReviewDoc, replayCards: Set<number>): Waits | void {
    if (!body.deleted) return addReviews(body.note, body.ord, [[body.reviewedAt, body.rating, body.durationMs, body.manual]], replayCards);
    insertUndone.run(docId);
    const key = parseReviewId(docId);
    const card = key && selectCardOf.get(key.guid, key.ord);
    const row = card && selectRevlogByKey.get(card.id, key.reviewedAt, key.rating);
    if (card && row) {
      deleteRevlog.run(row.id);
      replayCards.add(card.id);
    }
  }

  /** A batch: every review not here yet and not taken back is added; applying one twice changes nothing. */
  function applyReviewBatch(body: ReviewBatchDoc, replayCards: Set<number>): Waits | void {
    let waits: Waits | void = undefined;
    for (const card of body.cards) waits = addReviews(card.note, card.ord, card.reviews, replayCards) ?? waits;
    // Waiting for a note that has not arrived: the whole batch is applied again when it does.
    return waits;
  }

  function addReviews(note: string, ord: number, reviews: BatchedReview[], replayCards: Set<number>): Waits | void {
    const guid = note.slice('note:'.length);
    const card = selectCardOf.get(guid, ord);
    if (!card) {
      // Its note was deleted (or has no such card here); or has not arrived yet, and the reviews wait for it.
      const missing = isHere(note) ? 'gone' : absent(note);
      return missing === 'gone' ? undefined : missing;
    }
    // Read once per card, not once per review: a first sync brings a million.
    const here = new Set(selectCardReviews.all(card.id).map((r) => `${r.reviewed_at}:${r.rating}`));
    const undoneHere = anyUndone.get()!.n === 1;
    for (const [reviewedAt, rating, durationMs, m] of reviews) {
      if (here.has(`${reviewedAt}:${rating}`) || (undoneHere && selectUndone.get(reviewIdFor(guid, ord, reviewedAt, rating)))) continue;
      here.add(`${reviewedAt}:${rating}`);
      insertRevlog.run({
        card_id: card.id,
        reviewed_at: reviewedAt,
        rating,
        duration_ms: durationMs,
        state: m?.state ?? 0,
        due: m?.due ?? reviewedAt,
        stability: m?.stability ?? 0,
        difficulty: m?.difficulty ?? 0,
        scheduled_days: m?.scheduledDays ?? 0,
        learning_steps: m?.learningSteps ?? 0,
      });
      replayCards.add(card.id);
    }
  }

  function applyConflict(docId: string, body: ConflictDoc): void {
    const loser = body.loser;
    upsertConflict.run({
      id: docId,
      doc_id: body.of,
      kind: loser.type,
      label: labelOf(loser),
      body: JSON.stringify(loser),
      edited_at: loser.editedAt,
      winner_edited_at: body.winnerEditedAt,
      resolved: body.resolved ? 1 : 0,
      resolved_at: body.resolvedAt ?? null,
    });
  }

  /**
   * Brings back a version that lost a conflict, as a new edit made now (so it is the newest everywhere
   * after the next sync), and takes it off the list.
   */
  const restoreVersion = db.transaction((id: string, now: number): boolean => {
    const row = selectConflict.get(id);
    if (!row || row.resolved) return false;
    const body = JSON.parse(row.body) as SyncBody;
    // Applied with tracking on: the triggers queue it to send like any edit made here.
    if (body.type === 'deck' && selectMerge.get(row.doc_id)) {
      // A version of a deck joined into another (the join won everywhere): it comes back as a new deck,
      // sent under a new id, since every machine keeps the old id joined.
      const parent = body.parent === null ? null : localOf(body.parent, 'deck');
      const placed = parent === null || selectDeck.get(parent) ? parent : null;
      if (!selectSibling.get(placed, body.name)) decks.create(body.name, placed, now);
    } else if (body.type === 'deck') applyDeck(row.doc_id, { ...body, editedAt: now }, now);
    else if (body.type === 'note') {
      const replayCards = new Set<number>();
      applyNote(row.doc_id, { ...body, editedAt: now }, now, replayCards);
      for (const cardId of replayCards) replay.replayCard(cardId);
    }
    else if (body.type === 'cert') records.applyCert(row.doc_id, { ...body, editedAt: now }, now);
    else if (body.type === 'credit') records.applyCredit(row.doc_id, { ...body, editedAt: now }, now);
    else if (body.type !== 'review' && body.type !== 'reviews' && body.type !== 'reminder' && body.type !== 'exam' && body.type !== 'media') rows.applyRow(row.doc_id, { ...body, editedAt: now }, now);
    markResolved.run(now, id);
    return true;
  });

  /**
   * Applies documents from the replica (dependencies first: decks, notes, then reviews and conflicts),
   * replays the cards whose review log changed, and records how far the feed got: all or nothing.
   * What is applied here is not queued to be sent back.
   */
  const apply = db.transaction((docs: Incoming[], lastSeq: string, now: number) => {
    setTrack.run(0);
    const replayCards = new Set<number>();
    for (const doc of [...docs].sort((a, b) => APPLY_ORDER.indexOf(a.body.type) - APPLY_ORDER.indexOf(b.body.type))) {
      applyOne(doc, replayCards, now);
    }
    // Documents that waited for a record this batch brought (or an earlier one: a record once seen never un-arrives).
    for (let progress = true; progress; ) {
      progress = false;
      for (const w of selectWaiting.all()) {
        if (selectRev.get(w.waits_for) === undefined) continue;
        if (applyOne({ docId: w.doc_id, rev: w.rev, body: JSON.parse(w.body) as SyncBody }, replayCards, now)) progress = true;
      }
    }
    attachDetached();
    for (const cardId of replayCards) replay.replayCard(cardId);
    forgetSettled();
    setSeq.run(lastSeq);
    setTrack.run(1);
  });

  /** Applies one document; one whose record has not arrived waits (false). */
  function applyOne(doc: Incoming, replayCards: Set<number>, now: number): boolean {
    const body = doc.body;
    let waits: Waits | void = undefined;
    if (body.type === 'deck') waits = applyDeck(doc.docId, body, now);
    else if (body.type === 'note') waits = applyNote(doc.docId, body, now, replayCards);
    else if (body.type === 'review') waits = applyReview(doc.docId, body, replayCards);
    else if (body.type === 'reviews') waits = applyReviewBatch(body, replayCards);
    else if (body.type === 'cert') records.applyCert(doc.docId, body, now);
    else if (body.type === 'credit') waits = records.applyCredit(doc.docId, body, now);
    else if (body.type === 'reminder') waits = records.applyReminder(doc.docId, body, now);
    else if (body.type === 'exam') exams.applyExam(doc.docId, body);
    // The file is in the media folder already (the engine wrote it, media.ts).
    else if (body.type === 'media') {
      if (!body.evidence) insertMedia.run(doc.docId.slice('media:'.length), body.originalName, body.size, now);
    }
    else if (body.type === 'conflict') applyConflict(doc.docId, body);
    else if (body.type === 'notetype') waits = applyNoteType(doc.docId, body, now);
    else waits = rows.applyRow(doc.docId, body, now);
    if (waits) {
      upsertWaiting.run(doc.docId, doc.rev, JSON.stringify(body), waits.waitsFor);
      return false;
    }
    deleteWaiting.run(doc.docId);
    upsertRev.run(doc.docId, doc.rev);
    return true;
  }

  /**
   * A note type from elsewhere. When its card templates changed (a template added there), the notes of
   * it already here get the new cards as they did there; their note documents, arriving too, then put
   * each card in the deck it has there.
   */
  function applyNoteType(docId: string, body: RowDoc, now: number): Waits | void {
    const before = rows.resolve('notetype', docId);
    const templatesBefore = typeof before === 'number' ? selectTemplates.get(before) : undefined;
    const waits = rows.applyRow(docId, body, now);
    if (waits || body.deleted) return waits;
    const after = rows.resolve('notetype', docId);
    if (typeof after === 'number' && selectTemplates.get(after) !== templatesBefore) notes.addMissingCards(after, now);
  }

  function knownRev(docId: string): string | null {
    return selectRev.get(docId)?.rev ?? null;
  }

  function conflicts(): ConflictRow[] {
    return selectConflicts.all().map((r) => ({
      id: r.id,
      docId: r.doc_id,
      kind: r.kind,
      label: r.label,
      editedAt: r.edited_at,
      winnerEditedAt: r.winner_edited_at,
      body: JSON.parse(r.body) as SyncBody,
    }));
  }

  function conflict(id: string) {
    const row = selectConflict.get(id);
    return row ? { id: row.id, docId: row.doc_id, body: JSON.parse(row.body) as SyncBody, resolved: row.resolved === 1 } : null;
  }

  return {
    state,
    startTracking,
    /**
     * This collection has synced before, but not with this replica: it is a copy (a backup restored or the
     * file moved to another computer). It takes a new device id, so what it makes from now on cannot take
     * the ids of what the original makes, and reads the replica from the start.
     */
    adoptAsCopy(): void {
      if (countRevs.get()!.n > 0) renewDevice();
    },
    /**
     * The replica was made for another encryption key and is rebuilt: every record is queued again, as
     * new documents, and the rebuilt replica is read from the start.
     */
    resendAll: db.transaction(() => {
      db.exec(`UPDATE sync_state SET last_seq = '0', track = 0 WHERE id = 1; DELETE FROM sync_revs; DELETE FROM sync_waiting;
               UPDATE sync_reviews_undone SET unsent = 1; UPDATE sync_deck_merges SET unsent = 1;`);
      startTracking();
    }),
    pending: () => countOutbox.get()!.n,
    /** Before the first sync (nothing tracked yet): how many records it will send. */
    firstSyncPending: () => countFirstSync.get()!.n,
    hasPending: () => anyOutbox.get()!.n === 1,
    /** Media files to offer the server (media.ts). */
    unsentMedia: () => {
      deleteOrphanUnsentMedia.run();
      return selectUnsentMedia.all();
    },
    /** A media file the replica has now (written here, or already there): recorded with its revision. */
    mediaSent: db.transaction((name: string, rev: string | null) => {
      deleteUnsentMedia.run(name);
      if (rev) upsertRev.run(docIdFor('media', name), rev);
    }),
    outgoing,
    sent,
    missingRefs,
    /** Whether the note a document id names is in this collection. */
    noteIsHere: (docId: string) => selectNoteByGuid.get(docId.slice('note:'.length)) !== undefined,
    apply,
    knownRev,
    conflicts,
    conflict,
    restoreVersion,
    /** Takes a conflict off the list without changing anything; other machines hear of it at the next sync. */
    dismiss: (id: string, now: number): boolean => markResolved.run(now, id).changes > 0,
    /** Conflicts dismissed or restored here, as the documents that tell the other machines. */
    unsentConflicts: (): Outgoing[] =>
      selectUnsent.all().map((r) => {
        const loser = JSON.parse(r.body) as SyncBody;
        const body: ConflictDoc = { type: 'conflict', of: r.doc_id, loser, winnerEditedAt: r.winner_edited_at, resolved: true, resolvedAt: r.resolved_at };
        return { docId: r.id, body, from: { kind: 'note', local_id: 0, changed_at: 0 } };
      }),
    conflictsSent: db.transaction((written: { docId: string; rev: string }[]) => {
      for (const w of written) {
        clearUnsent.run(w.docId);
        upsertRev.run(w.docId, w.rev);
      }
    }),
    config: () => selectConfig.get()!,
    configure: (url: string, database: string, username: string | null) => setConfig.run(url, database, username),
    /** The last sync's outcome: when it ended well (null: it failed), the sentence to show, and its few words. */
    recordResult: (at: number | null, error: string | null, problem: string | null = null) => setResult.run(at, error, error === null ? null : problem),
    /**
     * Times the deletions (and snoozes) made since the last call at `now`: called as soon as a change is
     * heard of, so a deletion carries when it was made, not when it was sent. Looks at one row when none wait.
     */
    stampChanges: db.transaction((now: number) => {
      if (anyUntimed.get()!.n === 0) return;
      stampUntimed.run(now);
      clearUntimed.run();
    }),
    localOf,
  };
}
export type SyncStore = ReturnType<typeof makeSyncStore>;

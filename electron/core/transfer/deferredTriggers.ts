// Per-row triggers keep search (notes_fts, 002_flashcards.sql; notes_text, 018_search_index.sql) and the stats cache's change marks
// (stats_dirty_hours, 004_curriculum.sql) in step with every write. An import writes tens of thousands
// of rows in one transaction, and row by row the search index alone costs several times the inserts
// themselves. So, inside the import's transaction, those triggers are set aside, their work is done
// once over all the rows the import wrote (or, for the substring index, handed on to a background fill
// in the same transaction), and they are put back with the very SQL they had, before the commit.
// Schema changes belong to the transaction: a rollback (cancel, error) restores them too.
//
// Each group below does in bulk what its triggers do row by row (the substring group hands it to the
// background fill instead). A group steps aside (its triggers stay and fire as usual) when the schema's
// triggers are not the ones it knows, so a later migration that changes them can never leave search or
// the stats cache behind.
import type { Db } from '../context';

interface TriggerGroup {
  /** The triggers set aside, each with the statement the schema must hold (compared ignoring spacing). */
  triggers: Record<string, string>;
  /** Runs once the triggers are dropped; returns the bulk step, run before they are put back. */
  begin(db: Db): () => void;
}

/** The text a note's fields are searched by: the same expression the search triggers use. */
const SEARCH_TEXT = "(SELECT group_concat(value, ' ') FROM json_each(notes.fields))";

/**
 * FTS5 writes its pending terms out as a new segment whenever they pass 'hashsize' bytes (1 MB by
 * default) and merges segments as they pile up: filling the index for 100,000 notes at the default
 * writes and merges dozens of segments. With room for the whole import it writes one. The setting is
 * kept in the index's config table, so it is put back (to the value it had, or the default) at once.
 */
const BULK_HASH_BYTES = 64 * 1024 * 1024;
const DEFAULT_HASH_BYTES = 1024 * 1024;

/** Runs `fill` with room for all its terms in the FTS5 index `table`'s memory, then puts its setting back. */
function withRoomForAll(db: Db, table: 'notes_fts', fill: () => void): void {
  const hashSize = db.prepare(`SELECT v FROM ${table}_config WHERE k = 'hashsize'`).pluck().get() ?? DEFAULT_HASH_BYTES;
  // FTS5 takes the size only as an SQL integer; JavaScript numbers are bound as reals.
  const setHashSize = (bytes: unknown) => db.prepare(`INSERT INTO ${table} (${table}, rank) VALUES ('hashsize', ?)`).run(BigInt(Number(bytes)));
  setHashSize(BULK_HASH_BYTES);
  fill();
  setHashSize(hashSize);
}

/**
 * Search: notes added by the import (ids above every id before it: without AUTOINCREMENT a new rowid
 * is the largest plus one) and existing notes it changed are indexed at the end, changed ones after
 * their old entries are deleted, as the update trigger does. A temporary trigger records which
 * existing notes change, whichever code changes them.
 */
const search: TriggerGroup = {
  triggers: {
    notes_fts_insert: `CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
      INSERT INTO notes_fts (rowid, fields, tags)
      VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
    END`,
    notes_fts_update: `CREATE TRIGGER notes_fts_update AFTER UPDATE OF fields, tags ON notes BEGIN
      DELETE FROM notes_fts WHERE rowid = old.id;
      INSERT INTO notes_fts (rowid, fields, tags)
      VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
    END`,
  },
  begin(db) {
    const firstNew = db.prepare<[], number>('SELECT ifnull(max(id), 0) + 1 FROM notes').pluck().get()!;
    db.exec(`CREATE TEMP TABLE import_changed_notes (id INTEGER PRIMARY KEY);
      CREATE TEMP TRIGGER import_note_changed AFTER UPDATE OF fields, tags ON main.notes WHEN old.id < ${firstNew} BEGIN
        INSERT OR IGNORE INTO import_changed_notes (id) VALUES (old.id);
      END;`);
    return () => {
      db.exec('DROP TRIGGER temp.import_note_changed');
      db.prepare('DELETE FROM notes_fts WHERE rowid IN (SELECT id FROM temp.import_changed_notes)').run();
      // Changed notes first, then the new ones: FTS5 takes rows fastest in ascending rowid order.
      const index = `INSERT INTO notes_fts (rowid, fields, tags) SELECT id, ${SEARCH_TEXT}, tags FROM notes WHERE`;
      withRoomForAll(db, 'notes_fts', () => {
        db.prepare(`${index} id IN (SELECT id FROM temp.import_changed_notes)`).run();
        db.prepare(`${index} id >= ?`).run(firstNew);
      });
      db.exec('DROP TABLE temp.import_changed_notes');
    };
  },
};

/**
 * The substring index (notes_text, 018_search_index.sql) is filled after the import, in the background:
 * filling it costs about five times the word index. New notes and existing ones the import changed are
 * listed as waiting for it (notes_text_pending, 022_search_fill.sql), in the import's transaction, and
 * flashcards/substringIndex.ts indexes them once it has committed (a changed note's old entry first).
 * Search takes the waiting notes as candidates meanwhile, so it finds them from the start.
 */
const substrings: TriggerGroup = {
  triggers: {
    notes_text_insert: `CREATE TRIGGER notes_text_insert AFTER INSERT ON notes BEGIN
      INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
    END`,
    notes_text_update: `CREATE TRIGGER notes_text_update AFTER UPDATE OF fields ON notes BEGIN
      DELETE FROM notes_text WHERE rowid = old.id;
      INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
    END`,
  },
  begin(db) {
    const firstNew = db.prepare<[], number>('SELECT ifnull(max(id), 0) + 1 FROM notes').pluck().get()!;
    db.exec(`CREATE TEMP TABLE import_changed_text (id INTEGER PRIMARY KEY);
      CREATE TEMP TRIGGER import_text_changed AFTER UPDATE OF fields ON main.notes WHEN old.id < ${firstNew} BEGIN
        INSERT OR IGNORE INTO import_changed_text (id) VALUES (old.id);
      END;`);
    return () => {
      db.exec('DROP TRIGGER temp.import_text_changed');
      db.prepare('INSERT OR IGNORE INTO notes_text_pending (note_id) SELECT id FROM temp.import_changed_text').run();
      db.prepare('INSERT OR IGNORE INTO notes_text_pending (note_id) SELECT id FROM notes WHERE id >= ?').run(firstNew);
      db.exec('DROP TABLE temp.import_changed_text');
    };
  },
};

/**
 * Stats cache: every review-log row the import added marks its UTC hour, as the insert trigger does.
 * (Imports add review history; what they delete, with a card, still goes through the delete trigger.)
 */
const statsMarks: TriggerGroup = {
  triggers: {
    stats_revlog_insert: `CREATE TRIGGER stats_revlog_insert AFTER INSERT ON revlog BEGIN
      INSERT OR IGNORE INTO stats_dirty_hours (hour) VALUES (new.reviewed_at / 3600000);
    END`,
  },
  begin(db) {
    const firstNew = db.prepare<[], number>('SELECT ifnull(max(id), 0) + 1 FROM revlog').pluck().get()!;
    return () => {
      db.prepare('INSERT OR IGNORE INTO stats_dirty_hours (hour) SELECT DISTINCT reviewed_at / 3600000 FROM revlog WHERE id >= ?').run(firstNew);
    };
  },
};

const GROUPS: readonly TriggerGroup[] = [search, substrings, statsMarks];

/**
 * Sync's change tracking (sync/store.ts): its insert triggers queue each new row to send, but only once
 * sync is set up; until then they do nothing. Doing nothing still cost: the card trigger alone made
 * 100,000 imported notes take three times as long (7.2 s against 2.0 s on the bench collection). So
 * while sync is not set up they are set aside too, with nothing to do in bulk (they would have queued
 * nothing). With sync set up they stay and queue what the import adds, as for any change. Only a
 * trigger whose every action waits on that switch is set aside.
 */
const IDLE_TRACKING = ['sync_note_insert', 'sync_card_insert', 'sync_review_insert', 'sync_deck_insert'];
const TRACKING_SWITCH = spacing('WHEN (SELECT track FROM sync_state) = 1 BEGIN');

/** A statement with its spacing made uniform, so only a change in what it says counts as a change. */
function spacing(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/ ?([(),;]) ?/g, '$1').trim();
}

export interface DeferredTriggers {
  /** The triggers set aside (those of every group whose triggers the schema holds as expected). */
  readonly deferred: readonly string[];
  /** Does the triggers' work for everything written since they were set aside, then puts them back. */
  finish(): void;
}

/**
 * Sets the per-row triggers aside. Call right after BEGIN, and `finish()` right before COMMIT; after
 * a rollback nothing is left to do.
 */
export function deferTriggers(db: Db): DeferredTriggers {
  if (!db.inTransaction) throw new Error('Triggers are set aside only inside a transaction.');
  const triggerSql = db.prepare<[string], string>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck();
  const steps: (() => void)[] = [];
  const restore: string[] = [];
  const deferred: string[] = [];
  for (const group of GROUPS) {
    const expected = Object.entries(group.triggers);
    const actual = expected.map(([name]) => triggerSql.get(name));
    if (!expected.every(([, sql], i) => actual[i] !== undefined && spacing(actual[i]!) === spacing(sql))) continue;
    expected.forEach(([name], i) => {
      restore.push(actual[i]!);
      db.exec(`DROP TRIGGER main.${name}`);
      deferred.push(name);
    });
    steps.push(group.begin(db));
  }
  if (db.prepare('SELECT track FROM sync_state').pluck().get() === 0) {
    for (const name of IDLE_TRACKING) {
      const sql = triggerSql.get(name);
      if (sql === undefined || !spacing(sql).includes(TRACKING_SWITCH)) continue;
      restore.push(sql);
      db.exec(`DROP TRIGGER main.${name}`);
      deferred.push(name);
    }
  }
  return {
    deferred,
    finish() {
      for (const step of steps) step();
      for (const sql of restore) db.exec(sql);
    },
  };
}

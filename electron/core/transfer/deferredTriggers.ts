// Per-row triggers keep search (notes_fts, 002_flashcards.sql; notes_text, 018_search_index.sql) and the
// stats cache's change marks (stats_dirty_hours, 004_curriculum.sql) in step with every write. An import
// writes tens of thousands of rows in one transaction, and row by row the search indexes alone cost
// several times the inserts themselves. So, inside the import's transaction, those triggers are set
// aside; the notes the import wrote are handed on to the search indexes' background fill in the same
// transaction, the stats marks are made once over all the rows, and the triggers are put back with the
// very SQL they had, before the commit. Schema changes belong to the transaction: a rollback (cancel,
// error) restores them too.
//
// A group steps aside (its triggers stay and fire as usual) when the schema's triggers are not the ones
// it knows, so a later migration that changes them can never leave search or the stats cache behind.
import type { Db } from '../context';

interface TriggerGroup {
  /** The triggers set aside, each with the statement the schema must hold (compared ignoring spacing). */
  triggers: Record<string, string>;
  /** Runs once the triggers are dropped; returns the bulk step, run before they are put back. */
  begin(db: Db): () => void;
}

/**
 * A search index filled after the import, in the background (flashcards/searchIndexFill.ts): new notes
 * and existing ones the import changed are listed as waiting for it (`pending`), in the import's
 * transaction, and the fill indexes them once it has committed (a changed note's old entry first).
 * Search tests the waiting notes another way meanwhile, so it finds them from the start. A temporary
 * trigger records which existing notes change, whichever code changes them.
 */
function filledAfter(
  pending: 'notes_fts_pending' | 'notes_text_pending',
  changedBy: string,
  triggers: Record<string, string>,
): TriggerGroup {
  const changed = `import_changed_${pending}`;
  return {
    triggers,
    begin(db) {
      // Notes the import adds have ids above every id before it: without AUTOINCREMENT a new rowid is the largest plus one.
      const firstNew = db.prepare<[], number>('SELECT ifnull(max(id), 0) + 1 FROM notes').pluck().get()!;
      db.exec(`CREATE TEMP TABLE ${changed} (id INTEGER PRIMARY KEY);
        CREATE TEMP TRIGGER ${changed}_trigger AFTER UPDATE OF ${changedBy} ON main.notes WHEN old.id < ${firstNew} BEGIN
          INSERT OR IGNORE INTO ${changed} (id) VALUES (old.id);
        END;`);
      return () => {
        db.exec(`DROP TRIGGER temp.${changed}_trigger`);
        db.prepare(`INSERT OR IGNORE INTO ${pending} (note_id) SELECT id FROM temp.${changed}`).run();
        db.prepare(`INSERT OR IGNORE INTO ${pending} (note_id) SELECT id FROM notes WHERE id >= ?`).run(firstNew);
        db.exec(`DROP TABLE temp.${changed}`);
      };
    },
  };
}

/** The word index (notes_fts, 002_flashcards.sql): filling it in the transaction took a third of a large import. */
const words = filledAfter('notes_fts_pending', 'fields, tags', {
  notes_fts_insert: `CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts (rowid, fields, tags)
    VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
  END`,
  notes_fts_update: `CREATE TRIGGER notes_fts_update AFTER UPDATE OF fields, tags ON notes BEGIN
    DELETE FROM notes_fts WHERE rowid = old.id;
    INSERT INTO notes_fts (rowid, fields, tags)
    VALUES (new.id, (SELECT group_concat(value, ' ') FROM json_each(new.fields)), new.tags);
  END`,
});

/** The substring index (notes_text, 018_search_index.sql): filling it costs about five times the word index. */
const substrings = filledAfter('notes_text_pending', 'fields', {
  notes_text_insert: `CREATE TRIGGER notes_text_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
  END`,
  notes_text_update: `CREATE TRIGGER notes_text_update AFTER UPDATE OF fields ON notes BEGIN
    DELETE FROM notes_text WHERE rowid = old.id;
    INSERT INTO notes_text (rowid, fields) VALUES (new.id, new.fields);
  END`,
});

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

const GROUPS: readonly TriggerGroup[] = [words, substrings, statsMarks];

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

// The two search indexes an import leaves to be filled after it: the word index (notes_fts,
// 002_flashcards.sql) that plain words and tags read, and the substring index (notes_text,
// 018_search_index.sql) that field searches and in-word wildcards read; with the notes still waiting for
// each (notes_fts_pending, 025_word_fill.sql; notes_text_pending, 022_search_fill.sql).
//
// Single edits keep the indexes current through their triggers. An import instead lists the notes it
// added or changed as waiting (transfer/deferredTriggers.ts), in its own transaction, and they are
// indexed here afterwards, the word index first (it is cheaper and more searches read it): a step
// indexes the first waiting notes up to a bounded amount of text in one short transaction, and the next
// step waits as long as that one took, so requests keep getting through while a big import is indexed
// (100,000 notes: 7–8 s for the substring index on a busy 2-core machine, half of it pauses). Meanwhile
// a search takes every note waiting for the substring index as a candidate and its exact test decides,
// and tests a note waiting for the word index the way that index reads text (wordMatch.ts), so it finds
// the same cards before, during and after. The lists are on disk: a fill cut short by a crash or a quit
// carries on when the collection opens next.
import type { EventName } from '../../../shared/contract';
import type { Db } from '../context';
import type { Gate } from '../gate';
import type { Health } from '../health';

/**
 * The notes whose text may contain what the FTS5 query `match` (an SQL parameter) asks for: those the
 * index names, and those not in it yet. A superset: the caller's exact test decides.
 */
export function substringCandidates(match: string): string {
  return `SELECT rowid FROM notes_text WHERE notes_text MATCH ${match} UNION ALL SELECT note_id FROM notes_text_pending`;
}

/**
 * The notes with the words the FTS5 query `match` asks for (SQL parameters: `phrase` is its text, and
 * `prefix` 1 when its last word is a prefix): those the word index names, unless they wait for it (their
 * entry may be an old text's), and the waiting notes that have them, tested as the index reads text
 * (100,000 waiting notes: about 0.2 s).
 */
export function wordMatches(match: string, phrase: string, prefix: 0 | 1): string {
  return `SELECT rowid FROM notes_fts WHERE notes_fts MATCH ${match} AND rowid NOT IN (SELECT note_id FROM notes_fts_pending)
    UNION ALL SELECT w.id FROM notes_fts_pending p JOIN notes w ON w.id = p.note_id WHERE notes_fts_phrase(w.fields, w.tags, ${phrase}, ${prefix})`;
}

/** What one index needs for its fill. */
interface FilledIndex {
  table: 'notes_fts' | 'notes_text';
  pending: 'notes_fts_pending' | 'notes_text_pending';
  /** The index's columns, and what each is filled from (a note `n`), as its insert trigger fills them. */
  columns: string;
  values: string;
  /**
   * Text indexed per step (characters of the notes' stored fields): about 10 ms of CPU for typical
   * notes, so a request arriving meanwhile hardly waits. FTS5 merges each step's new segment into the
   * earlier ones as it goes, which makes one step in ten three to four times longer (up to ~100 ms).
   */
  stepChars: number;
}

const SUBSTRINGS: FilledIndex = { table: 'notes_text', pending: 'notes_text_pending', columns: 'fields', values: 'n.fields', stepChars: 128 * 1024 };
/** The word index costs about a fifth as much per character. */
const WORDS: FilledIndex = {
  table: 'notes_fts',
  pending: 'notes_fts_pending',
  columns: 'fields, tags',
  values: "(SELECT group_concat(value, ' ') FROM json_each(n.fields)), n.tags",
  stepChars: 512 * 1024,
};
/** At most this many notes per step, however short they are. */
const STEP_NOTES = 1_000;

export interface IndexFill {
  /** Indexes the first waiting notes (at least one, up to a step's text) in one transaction; returns how many. */
  step(): number;
  /** How many notes are waiting. */
  waiting(): number;
}

/** The fill of the substring index. */
export const makeSubstringFill = (db: Db): IndexFill => makeIndexFill(db, SUBSTRINGS);
/** The fill of the word index. */
export const makeWordFill = (db: Db): IndexFill => makeIndexFill(db, WORDS);

function makeIndexFill(db: Db, { table, pending, columns, values, stepChars }: FilledIndex): IndexFill {
  const next = db.prepare<[number], { id: number; chars: number }>(
    `SELECT p.note_id AS id, ifnull(length(n.fields), 0) AS chars
     FROM ${pending} p LEFT JOIN notes n ON n.id = p.note_id ORDER BY p.note_id LIMIT ?`,
  );
  // A step takes a prefix of the waiting notes in id order: those with ids up to its last one.
  // An old entry goes first (a note changed by an import, or edited since it was listed, is already in
  // the index; deleting a row the index does not hold changes nothing); a note deleted since is skipped.
  const unindex = db.prepare<[number]>(`DELETE FROM ${table} WHERE rowid IN (SELECT note_id FROM ${pending} WHERE note_id <= ?)`);
  const index = db.prepare<[number]>(
    `INSERT INTO ${table} (rowid, ${columns})
     SELECT n.id, ${values} FROM ${pending} p JOIN notes n ON n.id = p.note_id WHERE p.note_id <= ? ORDER BY p.note_id`,
  );
  const done = db.prepare<[number]>(`DELETE FROM ${pending} WHERE note_id <= ?`);
  const count = db.prepare<[], number>(`SELECT count(*) FROM ${pending}`).pluck();
  const run = db.transaction((last: number) => {
    unindex.run(last);
    index.run(last);
    done.run(last);
  });

  return {
    step() {
      const rows = next.all(STEP_NOTES);
      let take = 0;
      let chars = 0;
      while (take < rows.length && (take === 0 || chars + rows[take]!.chars <= stepChars)) chars += rows[take++]!.chars;
      if (take > 0) run(rows[take - 1]!.id);
      return take;
    },
    waiting: () => count.get()!,
  };
}

/** While writes fail (a full disk) or another transaction is open, the fill looks again this much later. */
const RETRY_MS = 2_000;
const IN_TRANSACTION_RETRY_MS = 100;

export interface SearchIndexKeeper {
  /** Hears what the core announces: notes changed (an import) start the fill. */
  heard(name: EventName, payload: unknown): void;
  /** Resolves once no note is waiting (or the keeper stopped). */
  whenFilled(): Promise<void>;
  stop(): void;
}

/**
 * Fills the search indexes in the background, between requests: at once when the collection opens
 * (what a fill cut short left) and after every change to notes; with `background` off, only when asked
 * (whenFilled). Never throws: a failure goes to the health, and the fill tries again later.
 */
export function keepSearchIndexes(deps: { db: Db; gate: Gate; health: Health }, options: { background: boolean }): SearchIndexKeeper {
  const { db, gate, health } = deps;
  const fills = [makeWordFill(db), makeSubstringFill(db)];
  /** One step of the first index with notes waiting; 0 when none is. */
  const step = () => {
    for (const fill of fills) {
      const indexed = fill.step();
      if (indexed > 0) return indexed;
    }
    return 0;
  };
  let timer: NodeJS.Timeout | null = null;
  /** A step is scheduled, waiting for the gate or running: a second call to schedule() adds nothing. */
  let queued = false;
  let stopped = false;
  let waiters: (() => void)[] = [];

  const settle = () => {
    queued = false;
    const resolve = waiters;
    waiters = [];
    for (const r of resolve) r();
  };

  function schedule(ms: number): void {
    if (stopped || queued) return;
    queued = true;
    timer = setTimeout(run, ms);
    timer.unref();
  }
  const again = (ms: number) => {
    queued = false;
    schedule(ms);
  };

  function run(): void {
    timer = null;
    if (stopped || !db.open || health.isDamaged()) return settle();
    // Never inside another piece of work's transaction (an import pausing for its progress holds one).
    if (gate.busy()) return void gate.wait().then(() => again(0));
    if (db.inTransaction) return again(IN_TRANSACTION_RETRY_MS);
    if (health.isFaulty()) return again(RETRY_MS);
    const started = performance.now();
    void health.background('indexing notes for search', step).then((indexed) => {
      if (indexed === undefined) return again(RETRY_MS);
      if (indexed === 0) return settle();
      // As long a pause as the step took: the fill never takes more than half of the main thread.
      again(Math.ceil(performance.now() - started));
    });
  }

  if (options.background) schedule(0);
  return {
    heard(name, payload) {
      if (options.background && name === 'data.changed' && (payload as { topics?: string[] }).topics?.includes('notes')) schedule(0);
    },
    whenFilled() {
      if (stopped) return Promise.resolve();
      return new Promise((resolve) => {
        waiters.push(resolve);
        schedule(0);
      });
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      settle();
    },
  };
}

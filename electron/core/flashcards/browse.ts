// The card browser's search: Anki's search syntax (search.ts: words through the full-text index, tag:,
// deck:, is:, prop:, ...), plus the page's tag, deck tree, state and due filters, three sort orders,
// paging. Statements are built from fixed SQL fragments (never from user text, which is only ever bound
// as a parameter) and kept once built, a few hundred at most.
import type { Statement } from 'better-sqlite3';
import type { BrowseQuery, BrowseRow } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import { stateName } from './cardState';
import type { StudyQueue } from './queue';
import { retrievability } from './retrievability';
import { LEECH_TAG } from './study';
import { makeNoteTypeStore } from './noteTypes';
import { compileSearch } from './search';
import { likeEscape, splitTags } from './tags';
import { registerWordTest } from './wordMatch';

const DAY_MS = 86_400_000;

interface Row {
  card_id: number;
  note_id: number;
  deck_id: number;
  note_type_id: number;
  ord: number;
  sort_field: string;
  source: string;
  tags: string;
  state: number;
  suspended: number;
  buried_day: number | null;
  due: number;
  scheduled_days: number;
  reps: number;
  lapses: number;
  stability: number;
  last_review: number | null;
  created_at: number;
}

/** Statements kept at most: each distinct shape of search makes one pair. */
const STATEMENTS_KEPT = 200;

export function makeBrowse(db: Db, queue: StudyQueue) {
  const statements = new Map<string, { rows: Statement; total: Statement; counted: boolean }>();
  const noteTypes = makeNoteTypeStore(db);
  registerWordTest(db);
  const wordsWaiting = db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM notes_fts_pending)').pluck();

  /**
   * The statements for one combination of clauses. The total counts cards alone unless a clause reads
   * the note (tags); with search text the full-text matches drive the join (each matching note's cards
   * found by index), rather than being collected into a list first. The page is picked from the cards
   * (for the default order from the (note_id, created_at) index alone) and only its rows read their
   * note, so no note text goes through the sort.
   */
  function prepared(where: string[], order: string, text: boolean, readsNote: boolean, notesFirst: boolean) {
    const key = `${text}|${readsNote}|${notesFirst}|${where.join(' AND ')}|${order}`;
    let s = statements.get(key);
    if (!s) {
      const clauses = text ? ['notes_fts MATCH @match', ...where] : where;
      // CROSS JOIN fixes the loop order. The search index goes first: one index lookup of cards per
      // matching note. Conditions on the note (tags, fields) are tested once per note, before its
      // cards, so the note comes before the cards when they are read, unless the cards are narrowed
      // (a deck, card ids, or a condition few cards pass, such as is:due): then only the cards that
      // pass read their note.
      const join = text
        ? readsNote && notesFirst
          ? 'FROM notes_fts CROSS JOIN notes n ON n.id = notes_fts.rowid CROSS JOIN cards c ON c.note_id = n.id'
          : `FROM notes_fts CROSS JOIN cards c ON c.note_id = notes_fts.rowid${readsNote ? ' CROSS JOIN notes n ON n.id = c.note_id' : ''}`
        : readsNote && notesFirst
          ? 'FROM notes n CROSS JOIN cards c ON c.note_id = n.id'
          : `FROM cards c${readsNote ? ' CROSS JOIN notes n ON n.id = c.note_id' : ''}`;
      const from = join + (clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '');
      // With conditions on notes (tags, fields: a read of each note's text), the page counts the matches
      // in the same pass (a window over them) instead of a second pass for the total. Otherwise the total
      // comes from a second pass over cards and the search index alone, which costs less than the window
      // (it keeps every match until the end, where the page sorts only its first rows as it goes): a
      // common word's search takes a third less.
      const counted = clauses.length > 0 && readsNote;
      s = {
        rows: db.prepare(
          `SELECT c.id AS card_id, c.note_id, c.deck_id, n.note_type_id, c.ord, n.sort_field, n.source, n.tags, c.state, c.suspended,
                  c.buried_day, c.due, c.scheduled_days, c.reps, c.lapses, c.stability, c.last_review, c.created_at${counted ? ', page.total' : ''}
             FROM (SELECT c.id${counted ? ', count(*) OVER () AS total' : ''} ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset) page
             JOIN cards c ON c.id = page.id JOIN notes n ON n.id = c.note_id
            ORDER BY ${order}`,
        ),
        total: db.prepare(`SELECT count(*) AS n ${from}`),
        counted,
      };
      statements.set(key, s);
      if (statements.size > STATEMENTS_KEPT) statements.delete(statements.keys().next().value!);
    }
    return s;
  }

  function search(query: BrowseQuery, now: number): { total: number; rows: BrowseRow[] } {
    const { config } = queue.snapshot();
    const day = queue.dayOf(now, config.rolloverHour);
    const where: string[] = [];
    let readsNote = false;
    /** A deck or card ids narrow the cards through their own index: then cards are read first. */
    let narrowed = query.deckId !== undefined;
    const params: Record<string, unknown> = { limit: query.limit, offset: query.offset };

    if (query.text) {
      const compiled = compileSearch(query.text, {
        config,
        noteTypes: noteTypes.list(),
        today: { start: day.start, end: day.end, number: day.today, learnCutoff: day.learnCutoff },
        now,
        wordsWaiting: wordsWaiting.get() === 1,
      });
      Object.assign(params, compiled.params);
      if (compiled.match !== null) params.match = compiled.match;
      if (compiled.where !== null) where.push(compiled.where);
      readsNote ||= compiled.readsNote;
      narrowed ||= compiled.narrowsCards;
    }
    if (query.tag) {
      where.push(`(n.tags LIKE @tagExact ESCAPE '\\' OR n.tags LIKE @tagBelow ESCAPE '\\')`);
      readsNote = true;
      params.tagExact = `% ${likeEscape(query.tag)} %`;
      params.tagBelow = `% ${likeEscape(query.tag)}::%`;
    }
    if (query.deckId !== undefined) {
      where.push('c.deck_id IN (SELECT value FROM json_each(@decks))');
      params.decks = config.subtree(query.deckId)?.json ?? JSON.stringify([query.deckId]);
    }
    switch (query.state) {
      case 'new':
        where.push('c.state = 0');
        break;
      case 'learning':
        where.push('c.state IN (1, 3)');
        break;
      case 'review':
        where.push('c.state = 2');
        break;
      case 'suspended':
        where.push('c.suspended = 1');
        break;
      case 'buried':
        where.push('c.buried_day = @today');
        params.today = day.today;
        break;
      case 'leech':
        where.push(`n.tags LIKE '% ${LEECH_TAG} %'`);
        readsNote = true;
        break;
      case undefined:
        break;
    }
    if (query.dueWithinDays !== undefined) {
      where.push('c.state <> 0 AND c.due < @dueBefore');
      params.dueBefore = day.end + query.dueWithinDays * DAY_MS;
    }

    const dir = query.descending ? 'DESC' : 'ASC';
    const order =
      query.sort === 'due'
        ? // New cards have no due date: they come after the scheduled ones, in the order they will be introduced.
          `c.state = 0 ${dir}, CASE WHEN c.state = 0 THEN c.new_position ELSE c.due END ${dir}, c.id ${dir}`
        : query.sort === 'lapses'
          ? `c.lapses ${dir}, c.id ${dir}`
          : `c.created_at ${dir}, c.id ${dir}`;

    const s = prepared(where, order, params.match !== undefined, readsNote, !narrowed);
    const rows = s.rows.all(params) as (Row & { total?: number })[];
    // A page past the end has no row to carry the total: then it is counted on its own.
    const total = s.counted && rows.length > 0 ? rows[0]!.total! : (s.total.get(params) as { n: number }).n;
    return {
      total,
      rows: rows.map((r) => {
        const tags = splitTags(r.tags);
        return {
          cardId: r.card_id,
          noteId: r.note_id,
          deckId: r.deck_id,
          deckPath: config.byId.get(r.deck_id)?.path ?? '',
          noteTypeId: r.note_type_id,
          ord: r.ord,
          sortField: r.sort_field,
          source: r.source,
          tags,
          state: stateName(r.state),
          suspended: r.suspended === 1,
          buried: r.buried_day === day.today,
          due: r.due,
          intervalDays: r.state === 2 ? r.scheduled_days : 0,
          reps: r.reps,
          lapses: r.lapses,
          retrievability: retrievability(r.stability, r.last_review, now),
          createdAt: r.created_at,
        };
      }),
    };
  }

  return { search };
}

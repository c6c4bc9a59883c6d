// The card browser's search: full-text over note fields and tags (FTS5), tag, deck tree, state and due
// filters, three sort orders, paging. Statements are built from a fixed set of clauses (never from user
// text, which is only ever bound as a parameter) and kept once built.
import type { Statement } from 'better-sqlite3';
import type { BrowseQuery, BrowseRow } from '../../../shared/contract/flashcards';
import type { Db } from '../context';
import { stateName } from './cardState';
import type { StudyQueue } from './queue';
import { retrievability } from './retrievability';
import { LEECH_TAG } from './study';
import { likeEscape, splitTags } from './tags';

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

/**
 * User text as an FTS5 query: each whitespace-separated word becomes a quoted string (quotes doubled,
 * so no operator or column filter can be injected) matched as a prefix; all words must match.
 * Returns null when nothing searchable is left.
 */
export function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    // Only letters and digits are indexed; a word of punctuation alone would match nothing.
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

export function makeBrowse(db: Db, queue: StudyQueue) {
  const statements = new Map<string, { rows: Statement; total: Statement }>();

  /**
   * The statements for one combination of clauses. The total counts cards alone unless a clause reads
   * the note (tags); with search text the full-text matches drive the join (each matching note's cards
   * found by index), rather than being collected into a list first. The page is picked from the cards
   * (for the default order from the (note_id, created_at) index alone) and only its rows read their
   * note, so no note text goes through the sort.
   */
  function prepared(where: string[], order: string, text: boolean, readsNote: boolean) {
    const key = `${text}|${readsNote}|${where.join(' AND ')}|${order}`;
    let s = statements.get(key);
    if (!s) {
      const clauses = text ? ['notes_fts MATCH @match', ...where] : where;
      // CROSS JOIN keeps the search index as the outer loop: one index lookup of cards per matching note.
      const from =
        (text ? 'FROM notes_fts CROSS JOIN cards c ON c.note_id = notes_fts.rowid' : 'FROM cards c') +
        (readsNote ? ' JOIN notes n ON n.id = c.note_id' : '') +
        (clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '');
      s = {
        rows: db.prepare(
          `SELECT c.id AS card_id, c.note_id, c.deck_id, n.note_type_id, c.ord, n.sort_field, n.source, n.tags, c.state, c.suspended,
                  c.buried_day, c.due, c.scheduled_days, c.reps, c.lapses, c.stability, c.last_review, c.created_at
             FROM (SELECT c.id ${from} ORDER BY ${order} LIMIT @limit OFFSET @offset) page
             JOIN cards c ON c.id = page.id JOIN notes n ON n.id = c.note_id
            ORDER BY ${order}`,
        ),
        total: db.prepare(`SELECT count(*) AS n ${from}`),
      };
      statements.set(key, s);
    }
    return s;
  }

  function search(query: BrowseQuery, now: number): { total: number; rows: BrowseRow[] } {
    const { config } = queue.snapshot();
    const day = queue.dayOf(now, config.rolloverHour);
    const where: string[] = [];
    let readsNote = false;
    const params: Record<string, unknown> = { limit: query.limit, offset: query.offset };

    if (query.text) {
      const match = ftsQuery(query.text);
      if (match === null) return { total: 0, rows: [] };
      params.match = match;
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

    const s = prepared(where, order, params.match !== undefined, readsNote);
    const total = (s.total.get(params) as { n: number }).n;
    const rows = s.rows.all(params) as Row[];
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

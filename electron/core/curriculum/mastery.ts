import type Database from 'better-sqlite3';
import type { Mastery, ModuleLink } from '../../../shared/contract/curriculum';
import type { Db } from '../context';
import { makeDeckStore } from '../flashcards/decks';
import { likeEscape } from '../flashcards/tags';
import { recallSql } from '../flashcards/retrievability';
import { makeExamTopicLinks, MIN_EXAM_ANSWERS, type ExamResult } from './examTopics';

interface LinkRow {
  id: number;
  module_id: number;
  deck_id: number | null;
  deck_path: string | null;
  tag_prefix: string | null;
}

/** A module's links: deck/tag rows, as shown, and the exam topics it links. */
export interface ModuleLinks {
  rows: LinkRow[];
  links: ModuleLink[];
  examTopics: string[];
}

export interface Thresholds {
  recall: number;
  reviewed: number;
}

/** Tag text to search words: the full-text index splits tags on everything but letters and digits. */
function tagWords(tag: string): string[] {
  return tag.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Links between modules and cards, and module mastery. A link names a deck tree, a tag prefix or
 * both (cards must then match both); a module's cards are the union over its links. Deck links
 * keep the path as written so a link made before its deck exists (a starter deck not loaded yet)
 * starts matching when the deck appears; after that the deck id follows renames.
 */
export function makeMastery(db: Db) {
  const decks = makeDeckStore(db);
  const examTopics = makeExamTopicLinks(db);
  const linksOf = db.prepare<[string], LinkRow>(
    'SELECT id, module_id, deck_id, deck_path, tag_prefix FROM curriculum_links WHERE module_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  );
  const unresolvedCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM curriculum_links WHERE deck_id IS NULL AND deck_path IS NOT NULL');
  const setResolved = db.prepare('UPDATE curriculum_links SET deck_id = ?, deck_path = ? WHERE id = ?');
  const unresolved = db.prepare<[], LinkRow>(
    'SELECT id, module_id, deck_id, deck_path, tag_prefix FROM curriculum_links WHERE deck_id IS NULL AND deck_path IS NOT NULL',
  );
  const insertLink = db.prepare('INSERT INTO curriculum_links (module_id, deck_id, deck_path, tag_prefix) VALUES (?, ?, ?, ?)');

  // The SQL depends on the kinds of a module's links (deck, tag with or without the word index, both);
  // each shape is prepared once.
  const shapes = new Map<string, Database.Statement>();

  /** Deck paths, case-insensitively, to deck ids. */
  function pathIndex(): Map<string, { id: number; path: string }> {
    return new Map(decks.list().map((d) => [d.path.toLowerCase(), { id: d.id, path: d.path }]));
  }

  /** Resolves links whose deck did not exist when they were made; cheap when there are none. */
  const resolvePending = db.transaction(() => {
    if (unresolvedCount.get()!.n === 0) return;
    const index = pathIndex();
    for (const link of unresolved.all()) {
      const hit = index.get(normalizePath(link.deck_path!).toLowerCase());
      if (hit) setResolved.run(hit.id, hit.path, link.id);
    }
  });

  function add(moduleId: number, link: { deckId?: number | undefined; deckPath?: string | undefined; tagPrefix?: string | undefined }): void {
    let deckId: number | null = null;
    let deckPath: string | null = null;
    if (link.deckId !== undefined) {
      const deck = decks.get(link.deckId);
      deckId = deck.id;
      deckPath = deck.path;
    } else if (link.deckPath !== undefined) {
      deckPath = normalizePath(link.deckPath);
      const hit = pathIndex().get(deckPath.toLowerCase());
      if (hit) {
        deckId = hit.id;
        deckPath = hit.path;
      }
    }
    insertLink.run(moduleId, deckId, deckPath, link.tagPrefix?.trim() ?? null);
  }

  /** The links of several modules with current deck paths (and their linked exam topics), by module id. */
  function linksFor(moduleIds: readonly number[]): Map<number, ModuleLinks> {
    resolvePending();
    const rows = linksOf.all(JSON.stringify(moduleIds));
    const needPaths = rows.some((r) => r.deck_id !== null);
    const paths = needPaths ? new Map(decks.list().map((d) => [d.id, d.path])) : new Map<number, string>();
    const topics = examTopics.topicsFor(moduleIds);
    const out = new Map<number, ModuleLinks>();
    for (const id of moduleIds) out.set(id, { rows: [], links: [], examTopics: topics.get(id) ?? [] });
    for (const r of rows) {
      const entry = out.get(r.module_id)!;
      entry.rows.push(r);
      const current = r.deck_id !== null ? (paths.get(r.deck_id) ?? r.deck_path) : r.deck_path;
      entry.links.push({
        id: r.id,
        deckId: r.deck_id,
        deckPath: current,
        tagPrefix: r.tag_prefix,
        resolved: r.deck_path === null || r.deck_id !== null,
      });
    }
    return out;
  }

  /**
   * Counts, reviewed share and mean recall of the cards a module's links match (suspended cards left
   * out), and its recent mock exam result on the exam topics it links.
   */
  function measure(entry: ModuleLinks, now: number, thresholds: Thresholds): Mastery {
    const exam = examTopics.result(entry.examTopics);
    const rows = entry.rows;
    const parts: string[] = [];
    const params: unknown[] = [];
    const shape: string[] = [];
    for (const link of rows) {
      if (link.deck_path !== null && link.deck_id === null) continue; // names a deck that does not exist: no cards
      const tagConds = link.tag_prefix === null ? null : tagCondition(link.tag_prefix);
      if (link.deck_id !== null) {
        const deckIds = JSON.stringify(decks.subtreeIds(link.deck_id));
        if (tagConds === null) {
          shape.push('d');
          parts.push('SELECT id FROM cards WHERE suspended = 0 AND deck_id IN (SELECT value FROM json_each(?))');
          params.push(deckIds);
        } else {
          shape.push('dt');
          parts.push(
            `SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id
              WHERE c.suspended = 0 AND c.deck_id IN (SELECT value FROM json_each(?)) AND (n.tags LIKE ? ESCAPE '\\' OR n.tags LIKE ? ESCAPE '\\')`,
          );
          params.push(deckIds, tagConds.exact, tagConds.below);
        }
      } else if (tagConds !== null) {
        const words = tagWords(link.tag_prefix!);
        if (words.length > 0) {
          // The word index narrows the notes down (with the notes not in it yet); LIKE then checks the tag itself.
          shape.push('tw');
          parts.push(
            `SELECT c.id FROM notes n JOIN cards c ON c.note_id = n.id
              WHERE c.suspended = 0 AND n.id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? UNION ALL SELECT note_id FROM notes_fts_pending)
                AND (n.tags LIKE ? ESCAPE '\\' OR n.tags LIKE ? ESCAPE '\\')`,
          );
          params.push(`tags : "${words.join(' ')}"`, tagConds.exact, tagConds.below);
        } else {
          shape.push('t');
          parts.push(
            `SELECT c.id FROM notes n JOIN cards c ON c.note_id = n.id
              WHERE c.suspended = 0 AND (n.tags LIKE ? ESCAPE '\\' OR n.tags LIKE ? ESCAPE '\\')`,
          );
          params.push(tagConds.exact, tagConds.below);
        }
      }
    }
    if (parts.length === 0) return masteryOf(0, 0, null, thresholds, exam);
    const key = shape.join(',');
    let stmt = shapes.get(key);
    if (!stmt) {
      stmt = db.prepare(
        `SELECT count(*) AS cards, count(last_review) AS reviewed, avg(${recallSql('stability', 'last_review', 'p.now')}) AS mean_recall
           FROM cards, (SELECT ? AS now) AS p WHERE id IN (${parts.join(' UNION ')})`,
      );
      shapes.set(key, stmt);
    }
    const r = stmt.get(now, ...params) as { cards: number; reviewed: number; mean_recall: number | null };
    return masteryOf(r.cards, r.reviewed, r.mean_recall, thresholds, exam);
  }

  return { add, linksFor, measure, resolvePending, linkExamTopic: examTopics.link, unlinkExamTopic: examTopics.unlink };
}
export type MasteryStore = ReturnType<typeof makeMastery>;

function normalizePath(path: string): string {
  return path
    .split('::')
    .map((level) => level.trim())
    .join('::');
}

/** LIKE patterns for a tag and the tags below it, against the padded ' a b ' tag string. */
function tagCondition(prefix: string): { exact: string; below: string } {
  const t = likeEscape(prefix.trim());
  return { exact: `% ${t} %`, below: `% ${t}::%` };
}

/**
 * Mastery from the cards and, when the module links exam topics, the recent exam result: with enough
 * scored answers, its share of right answers must reach the recall threshold too.
 */
export function masteryOf(cards: number, reviewed: number, meanRecall: number | null, t: Thresholds, exam: ExamResult | null = null): Mastery {
  const reviewedShare = cards > 0 ? reviewed / cards : null;
  const cardsReady =
    cards === 0 ? null : meanRecall !== null && reviewedShare !== null && meanRecall >= t.recall && reviewedShare >= t.reviewed;
  const examReady = exam === null || exam.share === null || exam.total < MIN_EXAM_ANSWERS ? null : exam.share >= t.recall;
  const ready = cardsReady === null ? examReady : examReady === null ? cardsReady : cardsReady && examReady;
  return { cards, reviewed, reviewedShare, meanRecall, ready, exam };
}

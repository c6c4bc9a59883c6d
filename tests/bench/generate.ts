// Generates a heavy user's collection straight into a Cadence database made by the real startCore
// (so every migration ran), in one transaction with prepared statements, and caches the result under
// the OS temp dir keyed by the parameters, this generator's version and the migrations' text.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Card } from 'ts-fsrs';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { migrations } from '../../electron/core/db/migrate';
import { sortFieldHash } from '../../electron/core/flashcards/sortFieldHash';
import { makeContent, type NoteKind } from './content';
import { planDecks } from './deckTree';
import { DAY_MS, makeStudent, type SimulatedCard } from './history';
import { writeMedia } from './media';
import { cumulative, makeRng } from './rng';

export interface CollectionSpec {
  cards: number;
  reviews: number;
  decks: number;
  media: number;
  seed: number;
}

export const FULL_SPEC: CollectionSpec = { cards: 100_000, reviews: 1_000_000, decks: 200, media: 500, seed: 7 };
export const QUICK_SPEC: CollectionSpec = { cards: 10_000, reviews: 50_000, decks: 200, media: 500, seed: 7 };

/** The collection's "today": fixed, so a generated collection and its due counts are the same everywhere. */
export const NOW = Date.UTC(2026, 8, 1, 9, 0, 0);
const START = NOW - 3 * 365 * DAY_MS;
/**
 * The user's last session was six days before `now` (back from a week away): the cards that came
 * due since are waiting, a backlog like the ones heavy users report.
 */
const LAST_SESSION = NOW - 6 * DAY_MS;

// Bump when the generated data changes shape, so cached collections are rebuilt.
const GENERATOR_VERSION = 6;

export interface CollectionInfo {
  spec: CollectionSpec;
  now: number;
  notes: number;
  notesByKind: Record<NoteKind, number>;
  cards: number;
  cardsByState: [number, number, number, number];
  suspended: number;
  reviews: number;
  decks: number;
  media: string[];
  /** Learning + review cards due at `now` (not suspended). */
  dueNow: number;
  /** The top-level deck with the most cards due now: where the study cases study. */
  studyDeckId: number;
  studyDeckDue: number;
  fileBytes: number;
  generatedInMs: number;
}

export interface Collection {
  /** Cache folder holding `data/` (a Cadence data dir) and info.json. */
  dir: string;
  dataDir: string;
  info: CollectionInfo;
  cached: boolean;
}

export function cacheKey(spec: CollectionSpec): string {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ spec, GENERATOR_VERSION, NOW }));
  for (const m of migrations) h.update(`${m.name}\n${m.sql}`);
  return h.digest('hex').slice(0, 16);
}

export function cacheRoot(): string {
  return path.join(os.tmpdir(), 'cadence-bench-cache');
}

/** Returns the cached collection for `spec`, generating it first when there is none. */
export async function ensureCollection(spec: CollectionSpec, assetsDir: string, say: (m: string) => void): Promise<Collection> {
  const dir = path.join(cacheRoot(), `collection-${spec.cards}-${cacheKey(spec)}`);
  const infoFile = path.join(dir, 'info.json');
  if (fs.existsSync(infoFile)) {
    const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as CollectionInfo;
    return { dir, dataDir: path.join(dir, 'data'), info, cached: true };
  }
  say(`Generating a collection of ${spec.cards.toLocaleString('en')} cards and ${spec.reviews.toLocaleString('en')} reviews (cached afterwards)...`);
  const building = `${dir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const info = await generate(spec, path.join(building, 'data'), assetsDir);
  fs.writeFileSync(path.join(building, 'info.json'), JSON.stringify(info, null, 2));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(building, dir);
  // Collections of this size made by an older generator or schema are of no further use.
  for (const old of fs.readdirSync(cacheRoot())) {
    if (old.startsWith(`collection-${spec.cards}-`) && path.join(cacheRoot(), old) !== dir && !old.includes('.building-')) {
      fs.rmSync(path.join(cacheRoot(), old), { recursive: true, force: true });
    }
  }
  say(`Generated in ${(info.generatedInMs / 1000).toFixed(1)} s: ${(info.fileBytes / 1e6).toFixed(0)} MB, ${info.dueNow} cards due.`);
  return { dir, dataDir: path.join(dir, 'data'), info, cached: false };
}

/** Copies a cached collection's data dir to `target`, so cases can change it freely. */
export function copyCollection(collection: Collection, target: string): string {
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(collection.dataDir, target, { recursive: true });
  return target;
}

interface PlannedNote {
  kind: NoteKind;
  cards: number;
}

/** Note kinds in Anki-like proportions, trimmed so the cards add up to exactly `cards`. */
function planNotes(rng: ReturnType<typeof makeRng>, cards: number): PlannedNote[] {
  const clozeSizes = cumulative([40, 25, 18, 10, 7]);
  const out: PlannedNote[] = [];
  let total = 0;
  while (total < cards) {
    const x = rng.next();
    const left = cards - total;
    let note: PlannedNote =
      x < 0.55 ? { kind: 'basic', cards: 1 } : x < 0.75 ? { kind: 'reversed', cards: 2 } : { kind: 'cloze', cards: rng.weighted(clozeSizes) + 1 };
    if (note.cards > left) note = note.kind === 'cloze' ? { kind: 'cloze', cards: left } : { kind: 'basic', cards: 1 };
    out.push(note);
    total += note.cards;
  }
  return out;
}

const NOTE_TYPE: Record<NoteKind, number> = { basic: 1, reversed: 2, cloze: 3 };

async function generate(spec: CollectionSpec, dataDir: string, assetsDir: string): Promise<CollectionInfo> {
  const started = performance.now();
  const rng = makeRng(spec.seed);
  const core = await startCore({ dataDir, assetsDir, appVersion: 'bench', mode: 'browser', clock: { now: () => NOW }, log: silentLogger, dailyMaintenance: false });
  const db = core.ctx.db;
  db.pragma('cache_size = -262144');

  const media = writeMedia(rng.fork('media'), spec.media, core.ctx.paths.mediaDir);
  const content = makeContent(rng.fork('content'), media);
  const student = makeStudent(rng.fork('student'));
  const deckPlan = planDecks(rng.fork('decks'), spec.decks);
  const notePlan = planNotes(rng.fork('notes'), spec.cards);
  const placement = rng.fork('placement');

  // Notes are added over the three years, more of them early on (shared decks imported at the start).
  const created = Array.from({ length: notePlan.length }, () => START + Math.floor((NOW - START - 2 * DAY_MS) * Math.pow(placement.next(), 1.25)));
  created.sort((a, b) => a - b);
  const firstStudyDelay = () => Math.round(Math.min(400, placement.logNormal(2, 1.6)) * DAY_MS);

  // How many reviews a studied card collects on average, so the share of studied cards hits the target.
  const trial = makeStudent(rng.fork('calibration'));
  let trialReviews = 0;
  const TRIALS = 1500;
  for (let i = 0; i < TRIALS; i++) {
    const c = created[Math.floor(placement.next() * created.length)]!;
    trialReviews += trial.simulate(c, c + firstStudyDelay(), LAST_SESSION, Infinity).reviews.length;
  }
  // A little over 1, so the budget runs out near the end: the newest cards stay new, as for a real user.
  const studyShare = Math.min(1, (spec.reviews * 1.03) / (spec.cards * (trialReviews / TRIALS)));

  const insertDeck = db.prepare('INSERT INTO decks (parent_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const insertNote = db.prepare(
    'INSERT INTO notes (guid, note_type_id, fields, sort_field, sort_field_hash, tags, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertCard = db.prepare(
    `INSERT INTO cards (note_id, deck_id, ord, state, due, stability, difficulty, scheduled_days, learning_steps, reps, lapses,
                        last_review, new_position, suspended, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertReview = db.prepare(
    `INSERT INTO revlog (card_id, reviewed_at, rating, duration_ms,
       state_before, due_before, stability_before, difficulty_before, scheduled_days_before, learning_steps_before,
       reps_before, lapses_before, last_review_before,
       state_after, due_after, stability_after, difficulty_after, scheduled_days_after, learning_steps_after)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const ms = (d: Date | undefined) => (d ? d.getTime() : null);
  const guids = new Set<string>();
  const GUID_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~';
  const guid = () => {
    for (;;) {
      let g = '';
      for (let i = 0; i < 10; i++) g += GUID_CHARS[Math.floor(placement.next() * GUID_CHARS.length)];
      if (!guids.has(g)) {
        guids.add(g);
        return g;
      }
    }
  };

  const notesByKind: Record<NoteKind, number> = { basic: 0, reversed: 0, cloze: 0 };
  const cardsByState: [number, number, number, number] = [0, 0, 0, 0];
  let suspendedCount = 0;
  let reviewCount = 0;
  const deckIds: number[] = [];
  const deckTop: number[] = [];

  // The media table (005_transfer.sql) lists the stored files, as an import leaves them.
  const hasMediaTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media'").get() !== undefined;
  const insertMedia = hasMediaTable ? db.prepare('INSERT OR IGNORE INTO media (name, original_name, size, created_at) VALUES (?, ?, ?, ?)') : null;

  db.transaction(() => {
    if (insertMedia) {
      media.forEach((name, i) => {
        insertMedia.run(name, `image-${i + 1}${path.extname(name)}`, fs.statSync(path.join(core.ctx.paths.mediaDir, name)).size, START);
      });
    }
    // A heavy user with a backlog raises the review limit; it also lets the study cases answer >1,000 cards.
    db.prepare('UPDATE presets SET reviews_per_day = 9999 WHERE id = 1').run();
    deckPlan.forEach((d, i) => {
      const parentId = d.parent === null ? null : deckIds[d.parent]!;
      deckIds.push(Number(insertDeck.run(parentId, d.name, START, START).lastInsertRowid));
      deckTop.push(d.parent === null ? i : deckTop[d.parent]!);
    });
    const deckCum = cumulative(deckPlan.map((d) => d.weight));

    let budget = spec.reviews;
    let position = 0;
    notePlan.forEach((planned, n) => {
      const createdAt = created[n]!;
      const note = content.note(planned.kind, planned.cards);
      const deckId = deckIds[placement.weighted(deckCum)]!;
      const sims: (SimulatedCard | null)[] = note.ords.map(() => {
        if (budget <= 0 || !placement.chance(studyShare)) return null;
        const first = createdAt + firstStudyDelay();
        if (first >= LAST_SESSION) return null;
        const sim = student.simulate(createdAt, first, LAST_SESSION, budget);
        budget -= sim.reviews.length;
        return sim;
      });
      const leech = sims.some((s) => s !== null && s.card.lapses >= 8);
      const tags = leech ? [...note.tags, 'leech'] : note.tags;
      const noteId = Number(
        insertNote.run(
          guid(),
          NOTE_TYPE[planned.kind],
          JSON.stringify(note.fields),
          note.sortField,
          sortFieldHash(note.sortField),
          tags.length ? ` ${tags.join(' ')} ` : '',
          createdAt,
          createdAt,
        ).lastInsertRowid,
      );
      notesByKind[planned.kind]++;
      note.ords.forEach((ord, k) => {
        const sim = sims[k] ?? null;
        position++;
        const c: Card | null = sim?.card ?? null;
        const suspended = c !== null && ((c.lapses >= 8 && placement.chance(0.5)) || placement.chance(0.004)) ? 1 : 0;
        const cardId = Number(
          insertCard.run(
            noteId, deckId, ord,
            c?.state ?? 0, c ? c.due.getTime() : createdAt, c?.stability ?? 0, c?.difficulty ?? 0, c?.scheduled_days ?? 0,
            c?.learning_steps ?? 0, c?.reps ?? 0, c?.lapses ?? 0, ms(c?.last_review), position, suspended,
            createdAt, c?.last_review ? c.last_review.getTime() : createdAt,
          ).lastInsertRowid,
        );
        cardsByState[(c?.state ?? 0) as 0 | 1 | 2 | 3]++;
        suspendedCount += suspended;
        for (const r of sim?.reviews ?? []) {
          const b = r.before;
          const a = r.after;
          insertReview.run(
            cardId, r.reviewedAt, r.rating, r.durationMs,
            b.state, b.due.getTime(), b.stability, b.difficulty, b.scheduled_days, b.learning_steps, b.reps, b.lapses, ms(b.last_review),
            a.state, a.due.getTime(), a.stability, a.difficulty, a.scheduled_days, a.learning_steps,
          );
          reviewCount++;
        }
      });
    });
  })();

  const dueRows = db
    .prepare('SELECT deck_id AS deckId, count(*) AS due FROM cards WHERE suspended = 0 AND state > 0 AND due <= ? GROUP BY deck_id')
    .all(NOW) as { deckId: number; due: number }[];
  const dueByTop = new Map<number, number>();
  let dueNow = 0;
  for (const r of dueRows) {
    const idx = deckIds.indexOf(r.deckId);
    dueNow += r.due;
    if (idx < 0) continue;
    const top = deckIds[deckTop[idx]!]!;
    dueByTop.set(top, (dueByTop.get(top) ?? 0) + r.due);
  }
  const [studyDeckId, studyDeckDue] = [...dueByTop.entries()].sort((a, b) => b[1] - a[1])[0] ?? [deckIds[0]!, 0];

  db.pragma('wal_checkpoint(TRUNCATE)');
  core.close();
  return {
    spec,
    now: NOW,
    notes: notePlan.length,
    notesByKind,
    cards: spec.cards,
    cardsByState,
    suspended: suspendedCount,
    reviews: reviewCount,
    decks: deckIds.length,
    media,
    dueNow,
    studyDeckId,
    studyDeckDue,
    fileBytes: fs.statSync(core.ctx.paths.dbFile).size,
    generatedInMs: Math.round(performance.now() - started),
  };
}

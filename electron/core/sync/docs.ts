// The documents Cadence syncs, and how two versions of one are merged. Pure: no database, no PouchDB.
//
// SQLite stays the source of truth on each machine; sync maps records to CouchDB documents and back
// (store.ts), and CouchDB's replication protocol (PouchDB, engine.ts) carries the documents between a
// machine's local replica and the user's server. The rules:
//
// - Ids are global, never a local row id: a note is `note:<guid>` (the GUID Anki and Cadence already
//   give every note), a deck `deck:<device>-<local id>` as first sent by the machine that made it.
//   Built-in note types and the Default preset are known by the same id everywhere.
// - A review is known by what it is, `review:<note guid>:<template>:<answered at>:<rating>` (its
//   identity: the same review has the same identity wherever the collection was copied), whatever
//   document carries it. Reviews travel in batches: one immutable document (`reviews:<device>-<random>`)
//   carries the reviews a machine sends at once, grouped by card, up to REVIEWS_PER_BATCH of them (a first
//   sync of a million reviews is a few hundred documents, not a million: CouchDB's and PouchDB's cost is
//   per document). A batch is never edited, so it never conflicts. The merged review log is the union of
//   every batch's reviews, each kept once by its identity (a copy of the collection sends the same reviews
//   in other batches), and each affected card's scheduling state is recomputed by replaying its merged
//   history, in time order, through the app's FSRS scheduler (replay.ts). FSRS fuzz is seeded from the
//   review itself, so every machine arrives at the same due dates.
// - A review taken back (undo) is a tombstone document under its identity (`review:…`, deleted): every
//   machine removes the review, and no batch, earlier or later, brings it back there. Reviews sent by
//   Cadence versions before batches are one document each under their identity; they are still read, and
//   kept once beside the same review in a batch.
// - Notes (with their cards' deck, suspension and flag) and decks are one document each. An edit made
//   on two machines before either synced is a CouchDB conflict; every machine resolves it the same
//   way: the newest edit wins (ties: the larger device id, then the larger revision). The losing
//   version is kept as a `conflict:` document, so every machine lists it in Sync conflicts and any of
//   them can bring it back (as a new, newest edit).
// - Deletions are tombstones: the document stays, marked deleted and timed when the deletion was made
//   (the app stamps it as soon as it hears of the change; one it never heard of is timed when sent), so
//   a deletion made offline long ago and an edit made elsewhere later meet under the same newest-wins
//   rule. Reviews made here and never sent of a note deleted here are kept, and come back with the note
//   if a newer edit made elsewhere brings it back.
// - Two decks of the same name under the same parent, made on two machines before they synced, are one
//   deck afterwards (deck names are unique among siblings), and so are a deck renamed or moved onto
//   another's name and that other; it is sent under the smaller id. The machine that joins them sends
//   the larger id once more, naming the smaller (`mergedInto`): every machine then joins the same two,
//   whatever order the edits reached it in, and that version wins over an edit of the larger made
//   meanwhile elsewhere.
// - Certifications are one document each (`cert:<guid>`, with the decks linked for study time), under
//   the newest-edit-wins rule; the same catalog certification with the same label added on two machines
//   before they synced is one certification afterwards (the app tracks each once).
// - Credit entries are append-only: each is its own document (`credit:<guid>`), so entries logged on
//   two machines are all kept; an entry edited on both is resolved newest-wins like a note; a deletion
//   is a tombstone. An entry's evidence files are listed in its document by content name, their bytes
//   travel as media documents (below), marked as evidence so they are never taken for card media.
// - A mock-exam attempt is append-only: once scored, it is one document with its questions as asked,
//   every answer, its result and outcomes (`exam:<format>:<started at>`); attempts made on several
//   machines are all kept, and none is ever changed or deleted.
// - Media files are one document each named by their content hash (`media:<sha256>.<ext>`), the bytes
//   an attachment, uploaded only when the server lacks them: stored once however many machines have the
//   file. Every machine gets every file, so a note's pictures show wherever the note does. The same name
//   is the same bytes, so two versions are never a conflict to show.
// - A fired reminder is one document named by what it reminds of, not by machine or row:
//   `reminder:<source>:<key>`, its key made global (a certification's local id replaced by its GUID).
//   Fired on one machine, it arrives on the others as fired (in the inbox, not announced again, and it
//   never fires there). Fired on two machines while both were offline, the two versions are the same
//   reminder: they are merged (never listed as a conflict) into one inbox entry, dismissed if either
//   machine dismissed it.
// - Presets (with their FSRS parameters), note types, curricula, curriculum modules (their progress:
//   status, started and done dates, notes, with the decks, tags and exam topics it links), the check-in log and the check-in schedule are one document
//   per row (rowDocs.ts), under the newest-edit-wins rule. Built-in rows (the Default preset, the three
//   built-in note types, the one check-in schedule) have the same id everywhere; a note type imported on
//   two machines from the same file is one note type. A deck's document names its preset; a note's, its
//   note type. A note type whose card templates changed (a template added) gives the notes of it on
//   every machine the cards it now asks for, with the same ordinals (so reviews map); a card added to
//   a note travels in the note's document, with its deck.
// - A local row's number is never part of a document id: a deleted row's number taken by the next row
//   (SQLite reuses the largest rowid) leaves the deleted row's document a tombstone and the new row its
//   own document, for every kind (migrations 019 and 021).
// - A document that arrives before the record it belongs to (a credit entry before its certification)
//   waits, kept in SQLite, until that record arrives; one whose record was deleted is dropped, as the
//   deletion took it too.
import type { ResultFigures } from '../exams/attempts';

export const ROW_KINDS = ['preset', 'notetype', 'curriculum', 'module', 'checkin', 'checkins'] as const;
export type RowKind = (typeof ROW_KINDS)[number];
export const SYNC_KINDS = ['deck', 'note', 'review', 'reviews', 'cert', 'credit', 'reminder', 'exam', 'media', ...ROW_KINDS] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

interface Base {
  /** When the user made this version (epoch ms; a deletion: when it was made, or sent if that is unknown). */
  editedAt: number;
  /** The machine that made this version. */
  device: string;
  deleted?: boolean;
}

export interface DeckDoc extends Base {
  type: 'deck';
  name: string;
  /** The parent deck's document id; null at the top. */
  parent: string | null;
  /** The preset's document id (absent from documents of Cadence versions before presets synced). */
  preset?: string;
  /**
   * This deck joined another (that document's id): the same name under the same parent met on some
   * machine. Name and parent are the joined deck's then, so a Cadence that does not know this field
   * joins the two by name as before.
   */
  mergedInto?: string;
}

export interface NoteCardDoc {
  ord: number;
  deck: string;
  suspended: boolean;
  flag: number;
}

export interface NoteDoc extends Base {
  type: 'note';
  /** A built-in note type by its number (1 Basic, 2 Basic (and reversed card), 3 Cloze), any other by its document id. */
  noteType: number | string;
  fields: string[];
  tags: string[];
  format: 'markdown' | 'html';
  cards: NoteCardDoc[];
}

export interface ReviewDoc extends Base {
  type: 'review';
  note: string;
  ord: number;
  reviewedAt: number;
  /** 0 manual (reset), 1 Again ... 4 Easy. */
  rating: number;
  durationMs: number;
  /** A manual entry's result (a reset makes the card new), which no rating can replay. */
  manual?: { state: number; due: number; stability: number; difficulty: number; scheduledDays: number; learningSteps: number };
}

/** A manual entry's result (a reset makes the card new), which no rating can replay. */
export type ManualResult = NonNullable<ReviewDoc['manual']>;

/** One review in a batch: when it was answered, its rating (0 manual), how long it took, and a manual entry's result. */
export type BatchedReview = [reviewedAt: number, rating: number, durationMs: number, manual?: ManualResult];

/** Reviews sent together, grouped by card; immutable once sent. */
export interface ReviewBatchDoc extends Base {
  type: 'reviews';
  cards: { note: string; ord: number; reviews: BatchedReview[] }[];
}

/**
 * Reviews per batch document: large enough that a first sync of a million reviews is a few hundred
 * documents, small enough (about 30 KB of JSON) that a batch is far below any server's request limit.
 */
export const REVIEWS_PER_BATCH = 1000;

/** A review's identity, the same on every machine: also the id of its tombstone. */
export function reviewIdFor(noteGuid: string, ord: number, reviewedAt: number, rating: number): string {
  return `review:${noteGuid}:${ord}:${reviewedAt}:${rating}`;
}

/** What a review's identity says (a note GUID may hold colons: the numbers are read from the end); null if it is not one. */
export function parseReviewId(docId: string): { guid: string; ord: number; reviewedAt: number; rating: number } | null {
  const parts = docId.split(':');
  if (parts[0] !== 'review' || parts.length < 5) return null;
  const [ord, reviewedAt, rating] = parts.slice(-3).map(Number) as [number, number, number];
  const guid = parts.slice(1, -3).join(':');
  return [ord, reviewedAt, rating].every(Number.isInteger) && guid ? { guid, ord, reviewedAt, rating } : null;
}

export interface CertDoc extends Base {
  type: 'cert';
  /** The catalog entry's id, or 'custom' with the user's own rules in `custom`. */
  catalogId: string;
  label: string;
  custom: unknown;
  earnedOn: string;
  cycleStart: string;
  expiresOverride: string | null;
  credentialId: string;
  url: string | null;
  reminderRules: unknown;
  studyCut: number | null;
  renewals: number;
  /** Document ids of the decks whose study time is offered as credit. */
  decks: string[];
}

export interface CreditDoc extends Base {
  type: 'credit';
  /** The certification's document id. */
  cert: string;
  earnedOn: string;
  startedOn: string | null;
  units: number;
  category: string;
  provider: string;
  activity: string;
  note: string;
  origin: 'manual' | 'study';
  usedAt: number | null;
  /** Its evidence files, each by its content name in the media folder (the bytes travel as media documents). */
  evidence?: { fileName: string; media: string; kind: 'pdf' | 'image'; size: number; addedAt: number }[];
}

export interface ReminderDoc extends Base {
  type: 'reminder';
  source: string;
  /** The occurrence's key with local ids made global (see globalReminderKey in store.ts). */
  key: string;
  group: string | null;
  targetKind: string;
  /** A document id where the target is synced (a certification), else the local id as text. */
  target: string;
  title: string;
  text: string;
  dueAt: number;
  firedAt: number;
  dismissedAt: number | null;
  snoozedUntil: number | null;
  superseded: boolean;
}

/** A media file: its bytes are the document's attachment; its id is its content name (media.ts). */
export interface MediaDoc extends Base {
  type: 'media';
  originalName: string;
  size: number;
  /** A credit entry's evidence file, not a card's media: stored in the media folder, never listed as card media. */
  evidence?: boolean;
}

/** A finished mock-exam attempt, whole: append-only (examRecords.ts). */
export interface ExamDoc extends Base {
  type: 'exam';
  formatKey: string;
  formatName: string;
  minutes: number;
  passMark: number;
  draw: 'all' | 'unmastered';
  certificationKey: string | null;
  startedAt: number;
  deadlineAt: number;
  /** As asked: `question` is the question's GUID (null: it was deleted before the attempt was sent). */
  questions: { position: number; question: string | null; topic: string; snapshot: string }[];
  answers: { position: number; chosen: string | null; flagged: boolean; at: number }[];
  result: ResultFigures;
  outcomes: { position: number; topic: string; correct: boolean; at: number }[];
}

/** A record synced as its row: every column but its own id and times, references as document ids (rowDocs.ts). */
export interface RowDoc extends Base {
  type: RowKind;
  row: Record<string, unknown>;
  /** A curriculum module's links: decks (by document id where known, and by path) and tags; and its exam topics. */
  links?: { deck: string | null; deckPath: string | null; tagPrefix: string | null }[];
  examTopics?: string[];
}

/** The version that lost a conflict, kept for the user. */
export interface ConflictDoc {
  type: 'conflict';
  of: string;
  loser: SyncBody;
  winnerEditedAt: number;
  /** Set when the user dismissed it or brought it back (on any machine): then it is no longer listed. */
  resolved?: boolean;
  resolvedAt?: number;
}

export type SyncBody = DeckDoc | NoteDoc | ReviewDoc | ReviewBatchDoc | CertDoc | CreditDoc | ReminderDoc | ExamDoc | MediaDoc | RowDoc;
export type AnyBody = SyncBody | ConflictDoc;

/** A version of a document as it sits in a replica: the body and its revision. */
export interface Version<B = AnyBody> {
  rev: string;
  body: B;
}

/** Built-in note types: the same number in every collection. */
export const BUILTIN_NOTE_TYPES = [1, 2, 3];

export function docIdFor(kind: SyncKind, key: string): string {
  return `${kind}:${key}`;
}

export function kindOf(docId: string): SyncKind | 'conflict' | null {
  const kind = docId.slice(0, docId.indexOf(':'));
  return kind === 'conflict' || (SYNC_KINDS as readonly string[]).includes(kind) ? (kind as SyncKind | 'conflict') : null;
}

/** The conflict document keeping one losing version: the same id on every machine that resolves it. */
export function conflictIdFor(docId: string, loserRev: string): string {
  return `conflict:${docId}:${loserRev}`;
}

function editedAtOf(body: AnyBody): number {
  // A conflict document changes once, when it is dismissed or restored: that version wins.
  return body.type === 'conflict' ? (body.resolvedAt ?? 0) : body.editedAt;
}

/**
 * Newest edit first; ties go to the larger device id, then the larger revision: the same on every machine.
 * A deck's joining another wins over any edit made meanwhile elsewhere: the machines that joined them
 * already moved its cards, and an edit of the one they no longer have could not be applied the same way
 * everywhere (it is kept as a conflict, like any losing version).
 */
export function compareVersions(a: Version, b: Version): number {
  const byJoin = Number(joinsAnother(b.body)) - Number(joinsAnother(a.body));
  if (byJoin !== 0) return byJoin;
  const byTime = editedAtOf(b.body) - editedAtOf(a.body);
  if (byTime !== 0) return byTime;
  const deviceA = a.body.type === 'conflict' ? '' : a.body.device;
  const deviceB = b.body.type === 'conflict' ? '' : b.body.device;
  if (deviceA !== deviceB) return deviceA < deviceB ? 1 : -1;
  return revOrder(b.rev) - revOrder(a.rev) || (a.rev < b.rev ? 1 : a.rev > b.rev ? -1 : 0);
}

function joinsAnother(body: AnyBody): boolean {
  return body.type === 'deck' && body.mergedInto !== undefined;
}

function revOrder(rev: string): number {
  return Number.parseInt(rev, 10) || 0;
}

/** Picks the winning version among a document's live leaves; the others lost. */
export function resolve<B extends AnyBody>(versions: Version<B>[]): { winner: Version<B>; losers: Version<B>[] } {
  const sorted = [...versions].sort(compareVersions);
  return { winner: sorted[0]!, losers: sorted.slice(1) };
}

/** Kinds whose versions are merged (or the same thing said twice), never a conflict for the user. */
export function mergesVersions(body: AnyBody): boolean {
  return body.type === 'reminder' || body.type === 'media';
}

/**
 * One reminder fired on several machines: the newest version, dismissed (or stood for by a later stage)
 * if any version was. Every machine merges the same versions to the same body, so the merge converges.
 */
export function mergeReminder(winner: ReminderDoc, others: readonly ReminderDoc[]): ReminderDoc {
  const dismissals = [winner, ...others].map((v) => v.dismissedAt).filter((t): t is number => t !== null);
  const dismissedAt = winner.dismissedAt ?? (dismissals.length ? Math.min(...dismissals) : null);
  return {
    ...winner,
    dismissedAt,
    snoozedUntil: dismissedAt === null ? winner.snoozedUntil : null,
    superseded: winner.superseded || others.some((v) => v.superseded),
  };
}

/** Whether two versions say the same thing (a loser identical to the winner is no conflict to show). */
export function sameContent(a: AnyBody, b: AnyBody): boolean {
  const strip = (x: AnyBody) => {
    if (x.type === 'conflict') return x;
    const { editedAt: _e, device: _d, ...rest } = x;
    void _e;
    void _d;
    return rest;
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

const KIND_WORDS: Record<SyncBody['type'], string> = {
  deck: 'deck',
  note: 'note',
  review: 'review',
  reviews: 'batch of reviews',
  cert: 'certification',
  credit: 'credit entry',
  reminder: 'reminder',
  exam: 'mock exam',
  media: 'media file',
  preset: 'preset',
  notetype: 'note type',
  curriculum: 'curriculum',
  module: 'curriculum module',
  checkin: 'check-in',
  checkins: 'check-in schedule',
};

/** What a person calls the record a document holds, for the conflicts list. */
export function labelOf(body: SyncBody): string {
  // A deletion keeps nothing of what it deleted: it is listed as what it was.
  if (body.deleted) return `The deletion of a ${KIND_WORDS[body.type]}`;
  switch (body.type) {
    case 'deck':
      return `Deck “${body.name}”`;
    case 'note': {
      const first = (body.fields[0] ?? '').replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
      return `Note “${first.length > 60 ? `${first.slice(0, 57)}…` : first}”`;
    }
    case 'review':
      return `Review of ${new Date(body.reviewedAt).toISOString().slice(0, 10)}`;
    case 'reviews': {
      const times = body.cards.flatMap((c) => c.reviews.map((r) => r[0]));
      const day = (t: number) => new Date(t).toISOString().slice(0, 10);
      const first = day(Math.min(...times));
      const last = day(Math.max(...times));
      return `${times.length === 1 ? '1 review' : `${times.length} reviews`} of ${first === last ? first : `${first} to ${last}`}`;
    }
    case 'cert': {
      // The catalog's name for it is not at hand here (docs.ts is pure); the user's own words are.
      const custom = body.custom as { abbreviation?: string } | null;
      const words = [custom?.abbreviation, body.label, body.credentialId].filter((w) => w).join(', ');
      return `Certification earned on ${body.earnedOn}${words ? ` (${words})` : ''}`;
    }
    case 'credit':
      return `Credit entry of ${body.earnedOn}: ${body.units} for “${body.activity || body.provider || body.category}”`;
    case 'reminder':
      return `Reminder “${body.title}”`;
    case 'media':
      return `Media file “${body.originalName}”`;
    case 'exam':
      return `Mock exam “${body.formatName}” of ${new Date(body.startedAt).toISOString().slice(0, 10)}`;
    case 'preset':
      return `Preset “${String(body.row.name)}”`;
    case 'notetype':
      return `Note type “${String(body.row.name)}”`;
    case 'curriculum':
      return `Curriculum “${String(body.row.name)}”`;
    case 'module':
      return `Module “${String(body.row.title)}”`;
    case 'checkin':
      return `Check-in of ${new Date(Number(body.row.at)).toISOString().slice(0, 10)}`;
    case 'checkins':
      return 'Check-in schedule';
  }
}

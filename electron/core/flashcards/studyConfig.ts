// What the study queue, the deck list and the card browser need on every call but what changes rarely:
// the deck tree, the presets and the day rollover hour. One snapshot is kept per open database and
// rebuilt only after one of those tables was written, so a study session does not rebuild a 200-deck
// tree for every card.
//
// Nobody has to remember to invalidate it: every write to decks, presets or settings made on this
// connection, by whatever code (deck and preset handlers, settings, importers, starter decks), fires a
// temporary trigger that moves a counter, and a write by another connection (restoring a backup copies
// the file in through one) moves PRAGMA data_version. A snapshot built inside a transaction is used but
// not kept, since the transaction may still roll back.
import type { Deck } from '../../../shared/contract/decks';
import type { Preset } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';
import { makeSettingsStore } from '../settings';
import { makeDeckStore } from './decks';
import { DEFAULT_PRESET_ID, makePresetStore } from './presets';

/** The tables a snapshot is made from. */
const WATCHED_TABLES = ['decks', 'presets', 'settings', 'deck_limit_extensions'] as const;
const WRITTEN_FUNCTION = 'cadence_study_config_written';

/** Some decks, with what the queue's SQL needs to read their cards. */
export interface DeckSet {
  /** In tree order: every parent before its children. */
  decks: Deck[];
  /** The deck ids as a JSON array, for json_each(). */
  json: string;
  /** [id, one card per note among new cards, ... among reviews] per deck, for the counts (dueCounts.ts). */
  countJson: string;
  /** The highest new / review daily limit among these decks' presets: no deck can show more. */
  newCap: number;
  reviewCap: number;
}

export interface Subtree extends DeckSet {
  ids: ReadonlySet<number>;
}

export interface StudyConfig {
  /** Every deck in tree order. */
  decks: Deck[];
  byId: ReadonlyMap<number, Deck>;
  presets: ReadonlyMap<number, Preset>;
  rolloverHour: number;
  /** All decks as one set (the deck list counts them all at once). */
  all: DeckSet;
  /** The preset of a deck; the Default preset when the deck is gone. */
  presetOf(deckId: number): Preset;
  /** A deck's daily new / review limits on a study day: its preset's, plus that day's custom-study increases made on it, above it or below it. */
  limitsOf(deckId: number, day: number): { new: number; review: number };
  /** A deck and its subdecks, in tree order; null when the deck does not exist. */
  subtree(rootId: number): Subtree | null;
  /** countJson (see DeckSet) of some decks. */
  countJson(decks: readonly Deck[]): string;
}

/** A snapshot with the connection's change counters read at the same moment. */
export interface ConfigRead {
  config: StudyConfig;
  /** total_changes() and data_version: any write at all moves one of them. */
  changes: number;
  dataVersion: number;
}

interface Watch {
  read(): ConfigRead;
}

const watches = new WeakMap<Db, Watch>();

/** The shared snapshot source of a database (one per connection, however many makers ask). */
export function studyConfig(db: Db): Watch {
  let watch = watches.get(db);
  if (!watch) {
    watch = makeWatch(db);
    watches.set(db, watch);
  }
  return watch;
}

function makeWatch(db: Db): Watch {
  let written = 0;
  db.function(WRITTEN_FUNCTION, { deterministic: false }, () => {
    written++;
    return null;
  });
  for (const table of WATCHED_TABLES) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS study_config_${table}_${op.toLowerCase()} AFTER ${op} ON main.${table}
         BEGIN SELECT ${WRITTEN_FUNCTION}(); END`,
      );
    }
  }
  const counters = db.prepare<[], { changes: number; data_version: number }>(
    'SELECT total_changes() AS changes, data_version FROM pragma_data_version()',
  );
  const deckStore = makeDeckStore(db);
  const presetStore = makePresetStore(db);
  const settings = makeSettingsStore(db);
  const extensionRows = db.prepare<[], { deck_id: number; day: number; extra_new: number; extra_review: number }>(
    'SELECT deck_id, day, extra_new, extra_review FROM deck_limit_extensions',
  );
  let kept: { key: string; config: StudyConfig } | null = null;

  function build(): StudyConfig {
    const decks = deckStore.list();
    const byId = new Map(decks.map((d) => [d.id, d]));
    const presets = new Map(presetStore.list().map((p) => [p.id, p]));
    const fallback = presets.get(DEFAULT_PRESET_ID);
    const presetOf = (deckId: number): Preset => {
      const preset = presets.get(byId.get(deckId)?.presetId ?? DEFAULT_PRESET_ID) ?? fallback;
      if (!preset) throw new AppError('internal', 'The Default preset is missing from the collection.');
      return preset;
    };
    // A custom-study increase counts, as in Anki, for the deck it was made on, the decks above it (so
    // their limits do not hold it back, "limits start from the top" or not) and the decks below it.
    const extensions = new Map<number, { day: number; new: number; review: number }[]>();
    const addExtra = (deckId: number, day: number, extraNew: number, extraReview: number) => {
      const list = extensions.get(deckId) ?? [];
      const same = list.find((e) => e.day === day);
      if (same) {
        same.new += extraNew;
        same.review += extraReview;
      } else list.push({ day, new: extraNew, review: extraReview });
      extensions.set(deckId, list);
    };
    for (const r of extensionRows.all()) {
      const at = decks.findIndex((d) => d.id === r.deck_id);
      if (at < 0) continue;
      for (let up = byId.get(decks[at]!.parentId ?? -1); up; up = up.parentId === null ? undefined : byId.get(up.parentId)) {
        addExtra(up.id, r.day, r.extra_new, r.extra_review);
      }
      // The deck and its subdecks: one run in tree order.
      for (let i = at; i < decks.length && (i === at || decks[i]!.depth > decks[at]!.depth); i++) {
        addExtra(decks[i]!.id, r.day, r.extra_new, r.extra_review);
      }
    }
    const limitsOf = (deckId: number, day: number) => {
      const p = presetOf(deckId);
      const extra = extensions.get(deckId)?.find((e) => e.day === day);
      return { new: p.newPerDay + (extra?.new ?? 0), review: p.reviewsPerDay + (extra?.review ?? 0) };
    };
    // With a sibling option on, only one card of a note is shown a day: the counts count notes.
    const countJson = (list: readonly Deck[]) =>
      JSON.stringify(list.map((d) => [d.id, presetOf(d.id).buryNew ? 1 : 0, presetOf(d.id).buryReview ? 1 : 0]));
    const deckSet = (list: Deck[]): DeckSet => {
      let newCap = 0;
      let reviewCap = 0;
      for (const d of list) {
        const p = presetOf(d.id);
        // Any day's increase raises the cap: a cap only has to be at least every limit.
        let extraNew = 0;
        let extraReview = 0;
        for (const e of extensions.get(d.id) ?? []) {
          extraNew = Math.max(extraNew, e.new);
          extraReview = Math.max(extraReview, e.review);
        }
        newCap = Math.max(newCap, p.newPerDay + extraNew);
        reviewCap = Math.max(reviewCap, p.reviewsPerDay + extraReview);
      }
      return { decks: list, json: JSON.stringify(list.map((d) => d.id)), countJson: countJson(list), newCap, reviewCap };
    };
    const subtrees = new Map<number, Subtree | null>();
    const subtree = (rootId: number): Subtree | null => {
      let tree = subtrees.get(rootId);
      if (tree !== undefined) return tree;
      // The tree-ordered list holds each subtree as one contiguous run starting at its root.
      const start = decks.findIndex((d) => d.id === rootId);
      if (start < 0) {
        tree = null;
      } else {
        const depth = decks[start]!.depth;
        let end = start + 1;
        while (end < decks.length && decks[end]!.depth > depth) end++;
        const list = decks.slice(start, end);
        tree = { ...deckSet(list), ids: new Set(list.map((d) => d.id)) };
      }
      subtrees.set(rootId, tree);
      return tree;
    };
    return { decks, byId, presets, rolloverHour: settings.get().dayRolloverHour, all: deckSet(decks), presetOf, limitsOf, subtree, countJson };
  }

  return {
    read() {
      const { changes, data_version: dataVersion } = counters.get()!;
      const key = `${written}/${dataVersion}`;
      if (kept?.key === key) return { config: kept.config, changes, dataVersion };
      const config = build();
      if (!db.inTransaction) kept = { key, config };
      return { config, changes, dataVersion };
    },
  };
}

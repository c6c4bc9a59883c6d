// What an Anki collection holds, read into plain objects: the same shape whichever package format
// (legacy schema 11 with JSON in `col`, or current schema 18 with protobuf tables) it came from.

export interface AnkiTemplate {
  name: string;
  qfmt: string;
  afmt: string;
}

export interface AnkiNoteType {
  id: number;
  name: string;
  /** Anki kind 1: one card per cloze number. */
  cloze: boolean;
  fields: string[];
  templates: AnkiTemplate[];
  css: string;
  sortIndex: number;
  /** When the design last changed, epoch seconds: a re-import updates the design only when newer. */
  mtime: number;
  /** LaTeX header and footer for the note type's [latex] blocks ('' when the file has none). */
  latexPre: string;
  latexPost: string;
}

export interface AnkiDeck {
  id: number;
  /** Levels joined by '::'. */
  name: string;
  filtered: boolean;
  description: string;
}

export interface AnkiNote {
  id: number;
  guid: string;
  mid: number;
  /** Last change, epoch seconds. */
  mod: number;
  tags: string[];
  fields: string[];
}

export interface AnkiCard {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  left: number;
  odue: number;
  odid: number;
  data: string;
}

export interface AnkiReview {
  /** Review time, epoch ms. */
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}

export interface AnkiCollection {
  /** Collection creation, epoch seconds: day 0 of review due dates. */
  crt: number;
  schemaVersion: number;
  noteTypes: Map<number, AnkiNoteType>;
  decks: Map<number, AnkiDeck>;
  notes: AnkiNote[];
  cards: AnkiCard[];
  revlog: AnkiReview[];
  /** FSRS parameters of each deck's options preset, by Anki deck id (fsrs/ankiParams.ts). */
  fsrsParams: Map<number, number[]>;
}

export type AnkiPackageFormat = 'legacy-1' | 'legacy-2' | 'latest';

/** A media file in the package: its name in the notes and where its bytes are in the zip. */
export interface AnkiMediaEntry {
  name: string;
  zipName: string;
}

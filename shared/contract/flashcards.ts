// Channels and push events of the flashcards feature: notes, study, presets, browsing, starter decks.
// Merged into the contract by shared/contract.ts. Deck channels live in ./decks.ts.
import { z } from 'zod';
import { channel, id, instant, noInput, ok } from './define';

/** A field holds at most 100 KB of text (UTF-8), like a long page; images live in media files. */
export const FIELD_MAX_BYTES = 100 * 1024;
export const utf8Length = (s: string) => new TextEncoder().encode(s).length;

const fieldValue = z
  .string({ error: 'must be text' })
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: short text needs no encoding to be known small.
  .refine((s) => s.length * 3 <= FIELD_MAX_BYTES || utf8Length(s) <= FIELD_MAX_BYTES, 'must be at most 100 KB of text');

/**
 * One tag: no spaces (tags are stored space-separated), levels joined by "::" ("scrum::events").
 * Case does not matter when matching ("Scrum" and "scrum" are one tag).
 */
export const tagName = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((s) => !/\s/.test(s), 'must not contain spaces (use "::" or "-" to join words)')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters')
  .refine((s) => s.split('::').every((level) => level !== ''), 'must not have an empty level (check the "::")');

const tagList = z.array(tagName).max(100, 'must have at most 100 tags');

const ids = (what: string) =>
  z.array(id).min(1, `must name at least one ${what}`).max(100_000, `must name at most 100,000 ${what}s`);

// ---------------------------------------------------------------------------------------------------
// Note types and notes

export const noteKindSchema = z.enum(['basic', 'reversed', 'cloze', 'custom']);

export const noteTypeSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: noteKindSchema,
  fields: z.array(z.string()),
  templates: z.array(z.object({ name: z.string(), front: z.string(), back: z.string() })),
  css: z.string(),
});
export type NoteType = z.output<typeof noteTypeSchema>;

export const cardStateSchema = z.enum(['new', 'learning', 'review', 'relearning']);
export type CardStateName = z.output<typeof cardStateSchema>;

export const noteCardSchema = z.object({
  id: z.number(),
  ord: z.number(),
  deckId: z.number(),
  state: cardStateSchema,
  due: z.number(),
  suspended: z.boolean(),
});

/** How a note's fields are written: Markdown (in Cadence) or HTML (imported); see shared/noteFormat.ts. */
export const noteFormatSchema = z.enum(['markdown', 'html']);

export const noteSchema = z.object({
  id: z.number(),
  guid: z.string(),
  noteTypeId: z.number(),
  fields: z.array(z.string()),
  format: noteFormatSchema,
  tags: z.array(z.string()),
  /** The deck of the note's first card (where the editor files it). */
  deckId: z.number(),
  cards: z.array(noteCardSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Note = z.output<typeof noteSchema>;

export const noteSavedSchema = z.object({
  note: noteSchema,
  /** Other notes in the same deck with the same first field: a warning, the note was saved. */
  duplicateOf: z.array(z.number()),
  /** Cards this save created and removed (a cloze number added or taken away). */
  addedCards: z.number(),
  removedCards: z.number(),
});

const noteInput = {
  noteTypeId: id,
  deckId: id,
  fields: z.array(fieldValue).min(1, 'must have at least one field').max(100, 'must have at most 100 fields'),
  tags: tagList.default([]),
};

// ---------------------------------------------------------------------------------------------------
// Presets (deck options)

const step = z
  .string({ error: 'must be text' })
  .trim()
  .regex(/^\d+(\.\d+)?[mhd]$/, 'must be a number followed by m, h or d, like "10m", "1h" or "1d"')
  .refine((s) => Number.parseFloat(s) > 0, 'must be longer than zero');

/** How new cards are gathered from a deck tree (Anki's "new card gather order"). */
export const newGatherOrderSchema = z.enum(['deck', 'deck_random_notes', 'ascending', 'descending', 'random_notes', 'random_cards'], {
  error: 'must be one of the listed gather orders',
});
/** How the gathered new cards are sorted (Anki's "new card sort order"). */
export const newSortOrderSchema = z.enum(['type_then_gathered', 'gathered', 'type_then_random', 'random_note_then_type', 'random'], {
  error: 'must be one of the listed sort orders',
});
/** How due reviews are sorted (Anki's "review sort order"). */
export const reviewSortOrderSchema = z.enum(['due_random', 'due_deck', 'deck_due', 'interval_asc', 'interval_desc', 'retrievability_asc', 'random'], {
  error: 'must be one of the listed review orders',
});
export type NewGatherOrder = z.output<typeof newGatherOrderSchema>;
export type NewSortOrder = z.output<typeof newSortOrderSchema>;
export type ReviewSortOrder = z.output<typeof reviewSortOrderSchema>;

export const presetFieldsSchema = z.object({
  name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  /** Chance of recall FSRS aims for when it schedules a review. */
  desiredRetention: z.number({ error: 'must be a number' }).min(0.7, 'must be at least 0.70').max(0.99, 'must be at most 0.99'),
  learningSteps: z.array(step).max(10, 'must have at most 10 steps'),
  relearningSteps: z.array(step).max(10, 'must have at most 10 steps'),
  newPerDay: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(9999),
  reviewsPerDay: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative').max(99_999),
  maximumInterval: z.number({ error: 'must be a number' }).int('must be a whole number of days').min(1, 'must be at least 1 day').max(36_500),
  leechThreshold: z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(99),
  leechAction: z.enum(['tag', 'suspend'], { error: 'must be "tag" or "suspend"' }),
  /** Answering a card hides its note's other new cards until the next study day. */
  buryNew: z.boolean({ error: 'must be on or off' }),
  /** ... its other review cards due today. */
  buryReview: z.boolean({ error: 'must be on or off' }),
  /** ... its other learning cards that were scheduled for today on an earlier day. */
  buryInterday: z.boolean({ error: 'must be on or off' }),
  /** Studying a subdeck also counts against the daily limits of the decks above it. */
  limitsFromTop: z.boolean({ error: 'must be on or off' }),
  newGatherOrder: newGatherOrderSchema,
  newSortOrder: newSortOrderSchema,
  reviewSortOrder: reviewSortOrderSchema,
});

export const presetSchema = presetFieldsSchema.extend({
  id: z.number(),
  /** Decks using this preset. */
  decks: z.number(),
  /** FSRS-6 parameters fitted to the learner's reviews (Settings -> FSRS parameters); null: the defaults. */
  fsrsParams: z.array(z.number()).nullable(),
});
export type Preset = z.output<typeof presetSchema>;

// ---------------------------------------------------------------------------------------------------
// Study

export const studyCountsSchema = z.object({ new: z.number(), learning: z.number(), review: z.number() });
export type StudyCounts = z.output<typeof studyCountsSchema>;

export const ratingSchema = z
  .number({ error: 'must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)' })
  .int('must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)')
  .min(1, 'must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)')
  .max(4, 'must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)');

export const studyCardSchema = z.object({
  id: z.number(),
  noteId: z.number(),
  deckId: z.number(),
  deckPath: z.string(),
  ord: z.number(),
  kind: noteKindSchema,
  state: cardStateSchema,
  /** Markdown/HTML source of each side; the renderer sanitises before showing it. */
  question: z.string(),
  answer: z.string(),
  /** Whether the sides are Markdown or HTML (HTML never goes through Markdown). */
  format: noteFormatSchema,
  /** Styles of an imported note type (empty for the built-in ones). */
  css: z.string(),
  tags: z.array(z.string()),
  /** Where the note's facts come from (document and section, or an address); '' when not given. Shown with the answer. */
  source: z.string(),
  /** Next interval for Again, Hard, Good, Easy, as shown on the buttons ("10m", "3d", "2.1mo"). */
  intervals: z.tuple([z.string(), z.string(), z.string(), z.string()]),
  reps: z.number(),
  lapses: z.number(),
  /** Current probability of recall; null for a card never reviewed. */
  retrievability: z.number().nullable(),
  /** For a type-in-the-answer card ({{type:Field}}): the answer to type, as plain text; otherwise null. */
  typeAnswer: z.string().nullable(),
});
export type StudyCard = z.output<typeof studyCardSchema>;

export const studyNextSchema = z.object({
  /** Path of the deck being studied ("Starter::Scrum Guide 2020"). */
  deckPath: z.string(),
  card: studyCardSchema.nullable(),
  /** Cards left today in this deck tree, limits applied (the card shown included). */
  counts: studyCountsSchema,
  /** When no card is left now but learning cards come back later today: the earliest of them. */
  nextLearningDue: z.number().nullable(),
  /**
   * The card that comes after `card` once it is answered, so the review screen can show it the moment
   * a rating key goes down. It holds while the clock is before `until` (epoch ms: the next learning card
   * coming due, or the end of the study day); the answer's own `next` has the last word. Null when it
   * cannot be known ahead (only learning ahead would be left, or nothing).
   */
  upcoming: z
    .object({
      card: studyCardSchema,
      until: z.number(),
      /**
       * When `until` is a learning card coming due (which then goes first): that card, shown instead
       * from then on, while the clock is before its own `until`.
       */
      then: z.object({ card: studyCardSchema, until: z.number() }).nullable(),
    })
    .nullable(),
  /** Set when this is a custom study session rather than the deck's own queue. */
  session: z.object({ id: z.number(), title: z.string(), reschedule: z.boolean() }).optional(),
});
export type StudyNext = z.output<typeof studyNextSchema>;

// ---------------------------------------------------------------------------------------------------
// Custom study (Anki's Custom Study dialog)

const days = z
  .number({ error: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1 day')
  .max(365, 'must be at most 365 days');
const cardCount = (max: number) =>
  z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max.toLocaleString('en')}`);

export const customStudyStateSchema = z.enum(['new', 'due', 'review', 'all'], { error: 'must be new, due, review or all' });

/** What a custom study session is made of; the limit increases only raise today's limits. */
export const customStudyInputSchema = z.discriminatedUnion(
  'mode',
  [
    /** Today's new-card limit of the deck, raised by `count`. */
    z.object({ deckId: id, mode: z.literal('new_limit'), count: cardCount(9999) }).strict(),
    /** Today's review limit of the deck, raised by `count`. */
    z.object({ deckId: id, mode: z.literal('review_limit'), count: cardCount(9999) }).strict(),
    /** Cards answered Again in the last `days` days, rescheduled as usual. */
    z.object({ deckId: id, mode: z.literal('forgotten'), days }).strict(),
    /** Reviews due in the next `days` days, studied early and rescheduled. */
    z.object({ deckId: id, mode: z.literal('ahead'), days }).strict(),
    /** New cards added in the last `days` days, seen without changing their schedule. */
    z.object({ deckId: id, mode: z.literal('preview'), days }).strict(),
    /** Up to `count` cards by state and tags; "all" is studied without rescheduling. */
    z
      .object({
        deckId: id,
        mode: z.literal('tag_state'),
        state: customStudyStateSchema,
        includeTags: tagList.default([]),
        excludeTags: tagList.default([]),
        count: cardCount(9999),
      })
      .strict(),
  ],
  { error: 'must choose one of the custom study options' },
);
export type CustomStudyInput = z.output<typeof customStudyInputSchema>;

export const customSessionSchema = z.object({
  id: z.number(),
  deckId: z.number(),
  deckPath: z.string(),
  title: z.string(),
  /** Answers schedule the cards as usual; otherwise they change nothing (a preview). */
  reschedule: z.boolean(),
  /** Cards not finished yet, of `total`. */
  remaining: z.number(),
  total: z.number(),
});
export type CustomSession = z.output<typeof customSessionSchema>;

// ---------------------------------------------------------------------------------------------------
// Browse

export const browseStateSchema = z.enum(['new', 'learning', 'review', 'suspended', 'buried', 'leech']);

export const browseRowSchema = z.object({
  cardId: z.number(),
  noteId: z.number(),
  deckId: z.number(),
  deckPath: z.string(),
  noteTypeId: z.number(),
  ord: z.number(),
  /** First field as plain text. */
  sortField: z.string(),
  tags: z.array(z.string()),
  /** Where the note's facts come from; '' when not given. */
  source: z.string(),
  state: cardStateSchema,
  suspended: z.boolean(),
  buried: z.boolean(),
  due: z.number(),
  /** Days until the next review as last scheduled (0 for new and learning cards). */
  intervalDays: z.number(),
  reps: z.number(),
  lapses: z.number(),
  retrievability: z.number().nullable(),
  createdAt: z.number(),
});
export type BrowseRow = z.output<typeof browseRowSchema>;

export const browseQuerySchema = z
  .object({
    /** Words to find in fields and tags (all must match; each also matches as a word prefix). */
    text: z.string({ error: 'must be text' }).trim().max(500, 'must be at most 500 characters').default(''),
    /** Notes with this tag or a tag below it ("scrum" also finds "scrum::events"). */
    tag: tagName.optional(),
    /** Cards in this deck or its subdecks. */
    deckId: id.optional(),
    state: browseStateSchema.optional(),
    /** Cards due (learning or review) before the end of the study day this many days from today; 0 = due today. */
    dueWithinDays: z.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(36_500).optional(),
    sort: z.enum(['due', 'created', 'lapses']).default('created'),
    descending: z.boolean().default(false),
    offset: z.number({ error: 'must be a number' }).int().min(0).default(0),
    limit: z.number({ error: 'must be a number' }).int().min(1).max(1000, 'must be at most 1000').default(100),
  })
  .strict();
export type BrowseQuery = z.output<typeof browseQuerySchema>;

const changed = z.object({ changed: z.number() });

// ---------------------------------------------------------------------------------------------------
// Starter decks

export const starterDeckInfoSchema = z.object({
  id: z.string(),
  deck: z.string(),
  description: z.string(),
  notes: z.number(),
  /** Of `notes`, how many are in the collection now. */
  present: z.number(),
});

export const flashcardsChannels = {
  'noteTypes.list': channel(noInput, z.object({ noteTypes: z.array(noteTypeSchema) })),

  'notes.get': channel(z.object({ id }).strict(), noteSchema),
  /** Creates a note and its cards in one step; a first field already used in that deck is a warning. */
  'notes.create': channel(z.object(noteInput).strict(), noteSavedSchema),
  /** Changes fields, tags and/or the deck of all the note's cards; cards follow cloze numbers. */
  'notes.update': channel(
    z
      .object({
        id,
        fields: noteInput.fields.optional(),
        tags: tagList.optional(),
        deckId: id.optional(),
      })
      .strict(),
    noteSavedSchema,
  ),
  'notes.delete': channel(z.object({ ids: ids('note') }).strict(), z.object({ notes: z.number(), cards: z.number() })),
  /** Notes in a deck whose first field equals this one, for the editor's warning while typing. */
  'notes.duplicates': channel(
    z.object({ deckId: id, firstField: fieldValue, excludeNoteId: id.optional() }).strict(),
    z.object({ noteIds: z.array(z.number()) }),
  ),
  /** Adds and removes tags on many notes. */
  'notes.tag': channel(
    z.object({ ids: ids('note'), add: tagList.default([]), remove: tagList.default([]) }).strict(),
    changed,
  ),
  'tags.list': channel(noInput, z.object({ tags: z.array(z.object({ name: z.string(), notes: z.number() })) })),

  'presets.list': channel(noInput, z.object({ presets: z.array(presetSchema) })),
  'presets.get': channel(z.object({ id }).strict(), presetSchema),
  /** A new preset with the defaults, or a copy of another. */
  'presets.create': channel(z.object({ name: presetFieldsSchema.shape.name, copyFromId: id.optional() }).strict(), presetSchema),
  'presets.update': channel(presetFieldsSchema.partial().extend({ id }).strict(), presetSchema),
  /** Deletes a preset; its decks go back to the Default preset (which cannot be deleted). */
  'presets.delete': channel(z.object({ id }).strict(), ok),

  /** The next card to study in a deck and its subdecks, with the counts left today. */
  'study.next': channel(
    z
      .object({
        deckId: id,
        /** Show this card first if it can be studied now (after an undo). */
        cardId: id.optional(),
        /** Study this custom study session instead of the deck's queue. */
        sessionId: id.optional(),
      })
      .strict(),
    studyNextSchema,
  ),
  /**
   * Records an answer: the card's new schedule and a review log row, in one step. Given the deck being
   * studied, also returns that deck's next card (as 'study.next' would), so the review screen moves on
   * in one round trip.
   */
  'study.answer': channel(
    z
      .object({
        cardId: id,
        rating: ratingSchema,
        durationMs: z.number({ error: 'must be a number' }).int('must be whole milliseconds').min(0, 'must not be negative').max(86_400_000),
        /** The deck being studied (with its subdecks): the answer then includes its next card. */
        deckId: id.optional(),
        /** The custom study session the card is answered in (its rules apply; its next card comes back). */
        sessionId: id.optional(),
      })
      .strict(),
    z.object({
      cardId: z.number(),
      state: cardStateSchema,
      due: z.number(),
      /** The card just became a leech (tagged "leech"; suspended too if its preset says so). Reported once. */
      leech: z.boolean(),
      suspended: z.boolean(),
      /** The studied deck's next card and counts after this answer; present when deckId was given. */
      next: studyNextSchema.optional(),
    }),
  ),
  /** Takes back the last answer, bury or suspend: card and review log exactly as before. */
  'study.undo': channel(
    noInput,
    z.object({ kind: z.enum(['answer', 'bury', 'suspend', 'unsuspend']), cardId: z.number(), deckId: z.number() }),
  ),
  /** What was studied in a deck tree since a moment (the session's start), for the end-of-session summary. */
  'study.summary': channel(
    z.object({ deckId: id, since: instant }).strict(),
    z.object({ cards: z.number(), reviews: z.number(), durationMs: z.number(), again: z.number(), againRate: z.number() }),
  ),

  /**
   * Custom study from a deck: raises today's new or review limit, or starts a session of chosen cards
   * (forgotten, ahead, preview, by tag or state). One session at a time: starting one ends the last.
   */
  'customStudy.create': channel(
    customStudyInputSchema,
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('limit'), newToday: z.number(), reviewToday: z.number() }),
      z.object({ kind: z.literal('session'), session: customSessionSchema }),
    ]),
  ),
  /** The custom study session in progress, if any. */
  'customStudy.current': channel(noInput, z.object({ session: customSessionSchema.nullable() })),
  /** Ends a custom study session: its cards stay where and as they are. */
  'customStudy.end': channel(z.object({ sessionId: id }).strict(), ok),

  /**
   * Takes a picture, sound or video the editor was given (staged with files.stage) into the media
   * folder, and returns the markup a field refers to it by.
   */
  'media.add': channel(
    z
      .object({
        stagedId: z.string({ error: 'must be the id of a staged file' }).regex(/^[a-f0-9]{32}$/, 'must be the id of a staged file'),
        name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
      })
      .strict(),
    z.object({ name: z.string(), kind: z.enum(['image', 'audio', 'video']), markup: z.string() }),
  ),

  /** Hides cards until the next study day. */
  'cards.bury': channel(z.object({ cardIds: ids('card') }).strict(), changed),
  'cards.suspend': channel(z.object({ cardIds: ids('card') }).strict(), changed),
  'cards.unsuspend': channel(z.object({ cardIds: ids('card') }).strict(), changed),
  'cards.move': channel(z.object({ cardIds: ids('card'), deckId: id }).strict(), changed),
  /** Sets cards' flag: 0 none, 1 red, 2 orange, 3 green, 4 blue, 5 pink, 6 turquoise, 7 purple (Anki's). */
  'cards.flag': channel(
    z
      .object({
        cardIds: ids('card'),
        flag: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 to 7').max(7, 'must be 0 to 7'),
      })
      .strict(),
    changed,
  ),
  /** Makes cards new again (schedule forgotten, placed after the other new cards); the history is kept. */
  'cards.reset': channel(z.object({ cardIds: ids('card') }).strict(), changed),

  'browse.search': channel(browseQuerySchema, z.object({ total: z.number(), rows: z.array(browseRowSchema) })),

  'starter.list': channel(noInput, z.object({ decks: z.array(starterDeckInfoSchema) })),
  /** Adds back starter notes that are missing (deleted ones), leaving the others as they are. */
  'starter.restore': channel(noInput, z.object({ added: z.number() })),
};

export const flashcardsEvents = {};

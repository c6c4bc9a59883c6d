import { z } from 'zod';
import { deckName } from '../../../shared/contract/decks';
import { calendarDate } from '../../../shared/contract/define';

// Shape of the bundled starter decks in assets/decks/*.json. The loader and the seed-content test
// share this schema, so a deck file that passes the test is one the app will accept.

/** Field text is Markdown rendered through a sanitiser; starter content still carries no raw HTML at all. */
const RAW_HTML = /<[a-z!/]/i;
const FIELD_MAX = 1000;

const fieldText = z
  .string({ error: 'must be text' })
  .refine((s) => s.trim().length > 0, 'must not be empty')
  .refine((s) => s.length <= FIELD_MAX, `must be at most ${FIELD_MAX} characters (one fact per card)`)
  .refine((s) => !RAW_HTML.test(s), 'must be Markdown without raw HTML tags');

// {{cN::answer}} or {{cN::answer::hint}}; the body may not itself contain braces.
const CLOZE = /\{\{c(\d+)::([^{}]*)\}\}/g;

/** Problems with the cloze deletions in a Text field, empty when every deletion is well formed. */
function clozeProblems(text: string): string[] {
  const problems: string[] = [];
  let count = 0;
  for (const match of text.matchAll(CLOZE)) {
    count++;
    const n = Number(match[1]);
    const [answer = '', ...hint] = (match[2] ?? '').split('::');
    if (!Number.isSafeInteger(n) || n < 1) problems.push(`cloze number in "${match[0]}" must be 1 or more`);
    if (answer.trim() === '') problems.push(`cloze "${match[0]}" has an empty answer`);
    if (hint.length > 1) problems.push(`cloze "${match[0]}" has more than one "::" hint separator`);
    if (hint.length === 1 && hint[0]?.trim() === '') problems.push(`cloze "${match[0]}" has an empty hint`);
  }
  if (count === 0) problems.push('must contain at least one cloze deletion like {{c1::answer}}');
  // Anything brace-like left after removing the valid deletions is a typo that would show up on the card.
  const rest = text.replace(CLOZE, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('has a malformed cloze deletion (check the {{cN::...}} braces)');
  return problems;
}

const clozeText = fieldText.superRefine((text, ctx) => {
  for (const message of clozeProblems(text)) ctx.addIssue({ code: 'custom', message });
});

/** Deck path: levels joined by '::', each level a valid deck name with no surrounding spaces. */
const deckPath = z
  .string({ error: 'must be text' })
  .superRefine((path, ctx) => {
    for (const level of path.split('::')) {
      if (level !== level.trim()) {
        ctx.addIssue({ code: 'custom', message: `level "${level}" must not start or end with spaces` });
        continue;
      }
      const parsed = deckName.safeParse(level);
      if (!parsed.success) {
        ctx.addIssue({ code: 'custom', message: `level "${level}" ${parsed.error.issues[0]?.message ?? 'is not a valid deck name'}` });
      }
    }
  });

/** Lowercase, hierarchical with '::', no spaces: "scrum::events", "pmi::pdu". */
const tag = z
  .string({ error: 'must be text' })
  .regex(/^[a-z0-9][a-z0-9_-]*(?:::[a-z0-9][a-z0-9_-]*)*$/, 'must be lowercase letters, digits, "-" or "_", levels joined by "::", no spaces');

const tags = z
  .array(tag)
  .min(1, 'every note needs at least one tag')
  .refine((list) => new Set(list).size === list.length, 'must not repeat a tag');

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Stable across releases: a re-seed updates the note with the same guid instead of duplicating it. */
const guid = z.string({ error: 'must be text' }).max(64).regex(kebab, 'must be lowercase kebab-case, e.g. "sg2020-001"');

const frontBack = z.strictObject({ Front: fieldText, Back: fieldText });

/** Hash of a note's stored fields (see starterDecks.ts storedFieldsHash): 16 lowercase hex digits. */
const fieldsHash = z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 lowercase hex digits (a stored-fields hash)');

const noteCommon = {
  guid,
  /** Subdeck for this note; defaults to the file's deck. */
  deck: deckPath.optional(),
  tags,
  /** Where the note's facts come from: document and section, or an address. Shown with the answer. */
  source: z
    .string({ error: 'must be text' })
    .trim()
    .min(8, 'every note needs its source: document and section, or an address')
    .max(300, 'must be at most 300 characters'),
  /** The file revision that first shipped this note (1 when absent); collections at an older revision get it added. */
  added: z.number().int().min(1).optional(),
  /**
   * Hashes of earlier shipped versions of this note's fields: a collection still holding one of them
   * (the user never edited it) is updated in place, keeping its review history.
   */
  replaces: z.array(fieldsHash).optional(),
};

const basicNote = z.strictObject({ ...noteCommon, type: z.literal('basic'), fields: frontBack });
const reversedNote = z.strictObject({ ...noteCommon, type: z.literal('reversed'), fields: frontBack });
const clozeNote = z.strictObject({
  ...noteCommon,
  type: z.literal('cloze'),
  fields: z.strictObject({ Text: clozeText, Extra: fieldText.optional() }),
});

export const starterNoteSchema = z.discriminatedUnion('type', [basicNote, reversedNote, clozeNote]);

const source = z.strictObject({
  title: z.string().trim().min(1, 'must not be empty'),
  url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
});

/** A note taken out of the file: collections that have it get its cards suspended and tagged, never deleted. */
const retiredNote = z.strictObject({
  guid,
  /** Why, in the learner's words (shown in the upgrade notice's details). */
  reason: z.string().trim().min(1, 'must say why the note was retired'),
});

/** The licence a deck's content is offered under, with the attribution it requires. */
const licence = z.strictObject({
  name: z.string().trim().min(1),
  url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
  attribution: z.string().trim().min(1),
});

export const starterDeckSchema = z
  .strictObject({
    id: z.string({ error: 'must be text' }).regex(kebab, 'must be lowercase kebab-case, e.g. "scrum-guide-2020"'),
    deck: deckPath,
    description: fieldText,
    /** Content revision: a collection holding an older one is upgraded once, note by note (guid). */
    revision: z.number().int().min(1).default(1),
    /** When a person last checked the content against its sources (YYYY-MM-DD). */
    lastVerified: calendarDate,
    sources: z.array(source).min(1, 'every deck file must cite at least one source'),
    /** Present when the content is an adaptation under a licence that asks for attribution (CC BY-SA). */
    licence: licence.optional(),
    notes: z.array(starterNoteSchema).min(1, 'must contain at least one note'),
    retired: z.array(retiredNote).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.notes.forEach((note, i) => {
      const first = seen.get(note.guid);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['notes', i, 'guid'], message: `duplicates the guid of note ${first}` });
      } else {
        seen.set(note.guid, i);
      }
      if (note.deck !== undefined && note.deck !== file.deck && !note.deck.startsWith(`${file.deck}::`)) {
        ctx.addIssue({ code: 'custom', path: ['notes', i, 'deck'], message: `must be "${file.deck}" or one of its subdecks` });
      }
      if ((note.added ?? 1) > file.revision) {
        ctx.addIssue({ code: 'custom', path: ['notes', i, 'added'], message: `must not be above the file's revision (${file.revision})` });
      }
    });
    file.retired.forEach((r, i) => {
      if (seen.has(r.guid)) ctx.addIssue({ code: 'custom', path: ['retired', i, 'guid'], message: 'is retired but still listed among the notes' });
    });
  });

export type StarterDeck = z.output<typeof starterDeckSchema>;
export type StarterNote = z.output<typeof starterNoteSchema>;

/** The deck a note's cards go to. */
export function starterNoteDeck(file: StarterDeck, note: StarterNote): string {
  return note.deck ?? file.deck;
}

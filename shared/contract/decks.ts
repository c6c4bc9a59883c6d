import { z } from 'zod';
import { channel, id, noInput } from './define';

/** A deck's own name: one level of the tree (nesting is by parent, not by '::' in the name). */
export const deckName = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters')
  .refine((s) => !s.includes('::'), 'must not contain "::" (choose a parent deck to nest it)')
  // eslint-disable-next-line no-control-regex
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

export const deckCountsSchema = z.object({
  /** Cards in the deck and all its subdecks. */
  total: z.number(),
  /**
   * What studying this deck (with its subdecks) shows today: new cards left under the new-card limits,
   * learning cards due now, reviews due today under the review limits. Suspended and buried cards excluded.
   */
  newDue: z.number(),
  learningDue: z.number(),
  reviewDue: z.number(),
});

export const deckSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  name: z.string(),
  /** Full path from the root, levels joined with '::'. */
  path: z.string(),
  depth: z.number(),
  presetId: z.number(),
  createdAt: z.number(),
});
export type Deck = z.output<typeof deckSchema>;

export const deckSummarySchema = deckSchema.extend({
  counts: deckCountsSchema,
  /** Mean probability of recall of the reviewed cards in this tree, null when none was reviewed. */
  retrievability: z.number().nullable(),
});
export type DeckSummary = z.output<typeof deckSummarySchema>;

export const deckChannels = {
  /** Every deck in tree order (parents before children, siblings by name), with counts. */
  'decks.list': channel(noInput, z.object({ decks: z.array(deckSummarySchema) })),
  'decks.create': channel(z.object({ name: deckName, parentId: id.nullable().default(null) }).strict(), deckSchema),
  'decks.rename': channel(z.object({ id, name: deckName }).strict(), deckSchema),
  'decks.move': channel(z.object({ id, parentId: id.nullable() }).strict(), deckSchema),
  /** What deleting a deck takes with it, for the confirm dialog. */
  'decks.deletePreview': channel(
    z.object({ id }).strict(),
    z.object({ decks: z.number(), cards: z.number(), notes: z.number() }),
  ),
  'decks.delete': channel(z.object({ id }).strict(), z.object({ decks: z.number(), cards: z.number(), notes: z.number() })),
  /** Chooses the options preset of a deck (and, if asked, of all its subdecks). */
  'decks.setPreset': channel(
    z.object({ id, presetId: id, includeSubdecks: z.boolean().default(false) }).strict(),
    z.object({ decks: z.number() }),
  ),
};

export const deckEvents = {};

// Daily limits over a deck tree, as Anki's v3 scheduler applies them: studying a deck shows its own
// cards and its subdecks' cards; each deck's limit caps what comes from its whole subtree, and a card is
// shown only while every deck from its own up to the deck being studied still has room. With "limits
// start from the top" (a preset option of the deck being studied), the decks above it count too: their
// limits, less what was studied today anywhere below them, cap the whole tree being studied.
//
// The one rule for every number the app shows: the study queue, the deck list, Today and the study
// chooser all count through this module, so they always agree. Pure.
//
// Which cards fill the room does not change how many fit: the limits form a tree (a laminar family), so
// any order of taking cards while every limit on the way still has room ends with the same total. The
// counts can therefore be worked out deck by deck (allowedPerDeck) while the queue takes cards in the
// preset's display order (LimitRoom.take).

export interface LimitDeck {
  id: number;
  parentId: number | null;
  /** Cards of this kind the deck's preset allows per study day (today's custom-study increase included). */
  limit: number;
  /** Cards of this kind studied today from this deck's own cards (not its subdecks'). */
  studied: number;
  /** Cards of this kind available now in this deck's own cards. */
  available: number;
}

/** A deck above the one being studied, when its limits apply ("limits start from the top"). */
export interface AboveDeck {
  id: number;
  limit: number;
  /** Cards of this kind studied today anywhere in its subtree. */
  studiedInTree: number;
}

/** The room left under each deck's limit, and the decks whose limits a card of a deck must fit. */
export interface LimitRoom {
  /** Whether one more card of this deck fits every limit on its way up. */
  fits(deckId: number): boolean;
  /** Takes room for one card of this deck (the caller checked `fits`). */
  take(deckId: number, n?: number): void;
  /** Room left for a deck's cards: the least room along its chain. */
  roomFor(deckId: number): number;
}

/**
 * The room under each limit when studying `rootId`. `decks` must hold the root's subtree in tree order
 * (every parent before its children); `above` the decks above the root whose limits apply, if any.
 */
export function limitRoom(decks: readonly LimitDeck[], rootId: number, above: readonly AboveDeck[] = []): LimitRoom {
  const byId = new Map(decks.map((d) => [d.id, d]));
  // Studied today in each deck's subtree. Children follow parents, so walking backwards finishes each
  // deck's sum before adding it into its parent.
  const studiedInTree = new Map<number, number>();
  for (let i = decks.length - 1; i >= 0; i--) {
    const d = decks[i]!;
    const total = (studiedInTree.get(d.id) ?? 0) + d.studied;
    studiedInTree.set(d.id, total);
    if (d.id !== rootId && d.parentId !== null && byId.has(d.parentId)) {
      studiedInTree.set(d.parentId, (studiedInTree.get(d.parentId) ?? 0) + total);
    }
  }
  const remaining = new Map<number, number>();
  for (const d of decks) remaining.set(d.id, Math.max(0, d.limit - (studiedInTree.get(d.id) ?? 0)));
  // The decks above share one room: the least any of them has left.
  let aboveRoom = Infinity;
  for (const a of above) aboveRoom = Math.min(aboveRoom, Math.max(0, a.limit - a.studiedInTree));

  const chains = new Map<number, number[]>();
  const chainOf = (deckId: number): number[] => {
    let chain = chains.get(deckId);
    if (!chain) {
      chain = [];
      for (let cur = byId.get(deckId); cur; cur = cur.id === rootId || cur.parentId === null ? undefined : byId.get(cur.parentId)) {
        chain.push(cur.id);
      }
      chains.set(deckId, chain);
    }
    return chain;
  };
  const roomFor = (deckId: number): number => {
    const chain = chainOf(deckId);
    if (chain.length === 0) return 0;
    let room = aboveRoom;
    for (const id of chain) room = Math.min(room, remaining.get(id)!);
    return room;
  };
  return {
    roomFor,
    fits: (deckId) => roomFor(deckId) > 0,
    take(deckId, n = 1) {
      for (const id of chainOf(deckId)) remaining.set(id, remaining.get(id)! - n);
      aboveRoom -= n;
    },
  };
}

/**
 * How many of each deck's own available cards can be shown when studying `rootId` (see limitRoom for
 * the arguments). Decks are filled in tree order; the total is the same in any order (see the top).
 */
export function allowedPerDeck(decks: readonly LimitDeck[], rootId: number, above: readonly AboveDeck[] = []): Map<number, number> {
  const room = limitRoom(decks, rootId, above);
  const allowed = new Map<number, number>();
  for (const d of decks) {
    const take = Math.max(0, Math.min(d.available, room.roomFor(d.id)));
    allowed.set(d.id, take);
    if (take > 0) room.take(d.id, take);
  }
  return allowed;
}

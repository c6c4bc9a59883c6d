// Daily limits over a deck tree, as Anki's v3 scheduler applies them: studying a deck shows its own
// cards and its subdecks' cards; each deck's limit caps what comes from its whole subtree, and a card is
// shown only while every deck from its own up to the deck being studied still has room. Limits of decks
// above the one being studied do not apply. Pure, so the study queue and the deck list count alike.

export interface LimitDeck {
  id: number;
  parentId: number | null;
  /** Cards of this kind the deck's preset allows per study day. */
  limit: number;
  /** Cards of this kind studied today from this deck's own cards (not its subdecks'). */
  studied: number;
  /** Cards of this kind available now in this deck's own cards. */
  available: number;
}

/**
 * How many of each deck's own available cards can be shown when studying `rootId`.
 * `decks` must hold the root's subtree in tree order (every parent before its children).
 */
export function allowedPerDeck(decks: readonly LimitDeck[], rootId: number): Map<number, number> {
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

  const allowed = new Map<number, number>();
  for (const d of decks) {
    const chain: number[] = [];
    for (let cur: LimitDeck | undefined = d; cur; cur = cur.id === rootId || cur.parentId === null ? undefined : byId.get(cur.parentId)) {
      chain.push(cur.id);
    }
    const room = Math.min(...chain.map((id) => remaining.get(id)!));
    const take = Math.max(0, Math.min(d.available, room));
    allowed.set(d.id, take);
    if (take > 0) for (const id of chain) remaining.set(id, remaining.get(id)! - take);
  }
  return allowed;
}

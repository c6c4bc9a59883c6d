// A deck tree the size of a heavy user's (the anki-revlogs-10k collections average ~207 decks), up to
// four levels deep, with a few very large decks and many small ones.
import { SUBDECK_WORDS, TOP_DECKS } from './vocabulary';
import type { Rng } from './rng';

export interface PlannedDeck {
  name: string;
  /** Index of the parent in the plan (parents come first), or null for a top-level deck. */
  parent: number | null;
  depth: number;
  /** Relative share of the cards that live directly in this deck. */
  weight: number;
}

export function planDecks(rng: Rng, target: number): PlannedDeck[] {
  const decks: PlannedDeck[] = [];
  const childNames = new Map<number | null, Set<string>>();

  function add(name: string, parent: number | null, depth: number): number | null {
    const siblings = childNames.get(parent) ?? new Set<string>();
    childNames.set(parent, siblings);
    if (siblings.has(name.toLowerCase()) || decks.length >= target) return null;
    siblings.add(name.toLowerCase());
    decks.push({ name, parent, depth, weight: 0 });
    return decks.length - 1;
  }

  function childName(depth: number): string {
    if (depth >= 2 && rng.chance(0.5)) return `${rng.pick(['Chapter', 'Part', 'Week', 'Unit', 'Lesson'])} ${rng.int(1, 24)}`;
    return rng.pick(SUBDECK_WORDS);
  }

  // Breadth-first so every top-level deck gets children before the budget runs out.
  let frontier: number[] = TOP_DECKS.map((n) => add(n, null, 0)).filter((i): i is number => i !== null);
  while (decks.length < target && frontier.length) {
    const next: number[] = [];
    for (const parent of frontier) {
      const depth = decks[parent]!.depth + 1;
      if (depth > 3) continue;
      const want = depth === 1 ? rng.int(3, 7) : depth === 2 ? rng.int(0, 5) : rng.chance(0.35) ? rng.int(1, 3) : 0;
      let added = 0;
      // Names can repeat among siblings; a few extra tries find distinct ones.
      for (let tries = 0; added < want && tries < want * 3 && decks.length < target; tries++) {
        const i = add(childName(depth), parent, depth);
        if (i === null) continue;
        next.push(i);
        added++;
      }
    }
    frontier = next;
  }

  // Cards live mostly in leaves, a few in parents; leaf sizes are log-normal (a few shared decks are huge).
  const hasChildren = new Set(decks.map((d) => d.parent).filter((p): p is number => p !== null));
  decks.forEach((d, i) => {
    d.weight = hasChildren.has(i) ? rng.logNormal(0.15, 0.8) : rng.logNormal(1, 1.1);
  });
  return decks;
}

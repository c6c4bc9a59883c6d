// Drawing an exam: N questions split across topics by weight (largest remainder), each topic's share
// capped by the questions it has, the shortfall handed to the topics that still have some; questions
// picked at random within a topic, then the whole set shuffled so topics mix as in the real exam.

export interface Candidate {
  id: number;
  topic: string;
}

export type Random = () => number;

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** How many questions each topic gets: proportional to weight, never more than it has. */
export function quotas(count: number, weights: ReadonlyMap<string, number>, available: ReadonlyMap<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  let open = [...weights.entries()].filter(([t, w]) => w > 0 && (available.get(t) ?? 0) > 0);
  let left = Math.min(count, open.reduce((sum, [t]) => sum + (available.get(t) ?? 0), 0));
  while (left > 0 && open.length > 0) {
    const totalWeight = open.reduce((sum, [, w]) => sum + w, 0);
    const shares = open.map(([t, w]) => {
      const room = (available.get(t) ?? 0) - (result.get(t) ?? 0);
      const exact = (left * w) / totalWeight;
      return { t, room, base: Math.min(room, Math.floor(exact)), rest: exact - Math.floor(exact) };
    });
    let given = shares.reduce((sum, s) => sum + s.base, 0);
    // Largest remainders get one more each, while they have room.
    for (const s of [...shares].sort((a, b) => b.rest - a.rest)) {
      if (given >= left) break;
      if (s.base < s.room) {
        s.base++;
        given++;
      }
    }
    for (const s of shares) result.set(s.t, (result.get(s.t) ?? 0) + s.base);
    left -= given;
    open = open.filter(([t]) => (available.get(t) ?? 0) > (result.get(t) ?? 0));
    if (given === 0) break;
  }
  return result;
}

/** The drawn question ids, in the order they will be asked. */
export function drawQuestions(candidates: readonly Candidate[], count: number, weights: ReadonlyMap<string, number>, random: Random): number[] {
  const byTopic = new Map<string, number[]>();
  for (const c of candidates) {
    if (!weights.has(c.topic)) continue;
    const list = byTopic.get(c.topic) ?? [];
    list.push(c.id);
    byTopic.set(c.topic, list);
  }
  const available = new Map([...byTopic.entries()].map(([t, ids]) => [t, ids.length]));
  const picked: number[] = [];
  for (const [topic, n] of quotas(count, weights, available)) {
    picked.push(...shuffle([...byTopic.get(topic)!], random).slice(0, n));
  }
  return shuffle(picked, random);
}

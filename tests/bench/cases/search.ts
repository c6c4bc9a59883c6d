// search.text_p99_ms: the browser's text search with its default page (100 rows, total count), over
// words from the most common (on a third of the notes) to rare ones, prefixes, two-word queries and a
// word found nowhere. Floor: the FTS5 index alone: count the matching notes and fetch the first 100 ids.
import { NOW } from '../generate';
import { benchClock, call, missing, type Case } from '../harness';
import { summarize, timePaired } from '../measure';
import { measured, skipped } from '../report';
import { CONTENT_WORDS, TAG_WORDS, TOP_DECKS } from '../vocabulary';

const NAME = 'search.text_p99_ms';
const COMPOUND = 'search.compound_p99_ms';

/**
 * Anki search queries as users combine them: tags with their children, a deck tree by wildcard,
 * states, properties, recent answers, "or" groups, negation and phrases.
 */
export function compoundQueries(): string[] {
  const word = (rank: number) => CONTENT_WORDS[rank]!;
  const tag = (i: number) => TAG_WORDS[i]!;
  return [
    `tag:${tag(0)} is:due`,
    `deck:"${TOP_DECKS[0]}*" -is:suspended prop:ivl>=10`,
    `(${word(0)} or ${word(3)}) tag:${tag(1)} -tag:leech`,
    `deck:"${TOP_DECKS[1]}::*" is:review prop:r<0.85`,
    `rated:7:1 -deck:"${TOP_DECKS[2]}"`,
    `${word(5)} is:new card:1 note:Basic*`,
    `"${word(1)} ${word(2)}" or tag:${tag(2)}`,
    `prop:lapses>=3 prop:due<=7 -is:new`,
    `added:30 (is:new or is:learn) -tag:${tag(3)}`,
    `front:*${word(12)}* deck:*`,
  ];
}

/** Words by frequency rank (0 = on about a third of the notes), prefixes, several words, no match. */
export function searchQueries(): string[] {
  const at = (rank: number) => CONTENT_WORDS[rank]!;
  return [
    at(0), at(1), at(4), at(12), at(30), at(60), at(120), at(250), at(600), at(1500), at(4000),
    at(0).slice(0, 4), at(7).slice(0, 3), at(40).slice(0, 5),
    `${at(0)} ${at(3)}`, `${at(5)} ${at(6)}`, `${at(20)} ${at(90)}`, `${at(2)} ${at(1)} ${at(8)}`,
    'zyzzyva',
  ];
}

/** The FTS5 query the floor runs: every word must match, each as a prefix. */
function ftsQuery(text: string): string {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `"${w.replace(/"/g, '""')}"*`)
    .join(' ');
}

export const searchCase: Case = {
  name: 'search',
  produces: [
    { name: NAME, unit: 'ms', budget: 30 },
    { name: COMPOUND, unit: 'ms', budget: 100 },
  ],
  async run(bench) {
    const clock = benchClock(NOW + 3_600_000);
    const core = await bench.open(bench.copy('search'), clock);
    try {
      const why = missing(core, ['browse.search']);
      if (why) return [skipped(NAME, 'ms', 30, why), skipped(COMPOUND, 'ms', 100, why)];
      const queries = searchQueries();
      const db = core.ctx.db;
      const count = db.prepare('SELECT count(*) AS n FROM notes_fts WHERE notes_fts MATCH ?');
      const page = db.prepare('SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rowid LIMIT 100');
      const runs = bench.quick ? 300 : 1000;
      const [real, floor] = await timePaired(
        (i) => call(core, 'browse.search', { text: queries[i % queries.length]! }),
        (i) => {
          const q = ftsQuery(queries[i % queries.length]!);
          count.get(q);
          page.all(q);
        },
        { runs, warmup: queries.length * 2 },
      );
      const perQuery: string[] = [];
      for (const q of queries) {
        const t0 = performance.now();
        const r = await call(core, 'browse.search', { text: q });
        perQuery.push(`"${q}" ${r.total} (${(performance.now() - t0).toFixed(1)} ms)`);
      }
      const r = summarize(real);
      // Compound queries, each as the browser sends it (first page and the total).
      const compound = compoundQueries();
      const [compoundTimes] = await timePaired(
        (i) => call(core, 'browse.search', { text: compound[i % compound.length]! }),
        () => undefined,
        { runs: bench.quick ? 100 : 300, warmup: compound.length * 2 },
      );
      const perCompound: string[] = [];
      for (const q of compound) {
        const t0 = performance.now();
        const found = await call(core, 'browse.search', { text: q });
        perCompound.push(`${q} → ${found.total} (${(performance.now() - t0).toFixed(1)} ms)`);
      }
      const c = summarize(compoundTimes);
      return [
        measured({
          name: COMPOUND,
          unit: 'ms',
          value: c.p99,
          floor: null,
          budget: 100,
          note: `p99 of ${compoundTimes.length} searches cycling ${compound.length} Anki queries; p50 ${c.p50.toFixed(2)} ms; cards found: ${perCompound.join('; ')}`,
        }),
        measured({
          name: NAME,
          unit: 'ms',
          value: r.p99,
          floor: summarize(floor).p99,
          budget: 30,
          note: `p99 of ${runs} searches cycling ${queries.length} queries; p50 ${r.p50.toFixed(2)} ms, floor p50 ${summarize(floor).p50.toFixed(2)} ms; cards found: ${perQuery.join(', ')}`,
        }),
      ];
    } finally {
      core.close();
    }
  },
};

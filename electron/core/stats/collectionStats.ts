import { format, getISODay, parseISO, subDays } from 'date-fns';
import type Database from 'better-sqlite3';
import type { AnswerButtons, RetentionPeriod, Stats, StatsDay } from '../../../shared/contract/stats';
import type { CoreContext } from '../context';
import { makeDeckStore } from '../flashcards/decks';
import { makeSettingsStore } from '../settings';
import { bucketOf, bucketSql, DIFFICULTY_EDGES, emptyBuckets, STABILITY_EDGES } from './buckets';
import { dayIndexParams, dayIndexSql, dayWindow, type DayWindow } from './dayWindow';

const HISTORY_DAYS = 365;
const FORECAST_DAYS = 30;
const MONTH_DAYS = 30;
/** Anki's line between young and mature cards. */
const MATURE_INTERVAL_DAYS = 21;

/** Aggregates of one study day, in the order they are cached. */
const DAY_FIELDS = [
  'reviews', 'time_ms', 's0', 's1', 's2', 's3', 'true_total', 'true_passed',
  'l1', 'l2', 'l3', 'l4', 'y1', 'y2', 'y3', 'y4', 'm1', 'm2', 'm3', 'm4',
] as const;
type DayCounts = Record<(typeof DAY_FIELDS)[number], number>;
interface DayRow extends DayCounts {
  d: number;
}

const DECK_FILTER = 'deck_id IN (SELECT value FROM json_each(@decks))';
const HOUR_MS = 3_600_000;

/**
 * SQL aggregates of answers (rating > 0) over the rows in scope. `firstOfDay` says whether an answer
 * was the card's first that study day: true retention counts only those.
 */
function dayAggregates(firstOfDay: string): string {
  const lrn = 'state_before <> 2';
  const young = `state_before = 2 AND scheduled_days_before < ${MATURE_INTERVAL_DAYS}`;
  const mature = `state_before = 2 AND scheduled_days_before >= ${MATURE_INTERVAL_DAYS}`;
  const buttons = (prefix: string, cond: string) => [1, 2, 3, 4].map((r) => `total(${cond} AND rating = ${r}) AS ${prefix}${r}`).join(', ');
  return `count(*) AS reviews, total(duration_ms) AS time_ms,
      total(state_before = 0) AS s0, total(state_before = 1) AS s1, total(state_before = 2) AS s2, total(state_before = 3) AS s3,
      total(state_before = 2 AND ${firstOfDay}) AS true_total,
      total(state_before = 2 AND ${firstOfDay} AND rating > 1) AS true_passed,
      ${buttons('l', lrn)}, ${buttons('y', young)}, ${buttons('m', mature)}`;
}

/**
 * Everything the Stats page shows, aggregated in SQL. The year of history is kept per study day:
 * for the whole collection, past days come from a cache (stats_days) checked against the review
 * log's change marks, so only today and changed days are read again; for one deck tree, one pass
 * over the year groups the deck's answers by day. The forecast is one pass over due cards and the
 * memory histograms are range counts on the stability and difficulty indexes.
 */
export function makeCollectionStats(ctx: CoreContext) {
  const { db } = ctx;
  const settings = makeSettingsStore(db);
  const decks = makeDeckStore(db);
  // The SQL text of the deck-tree and forecast queries depends on the number of DST stretches in
  // the window and on the deck filter; a handful of variants exist, each prepared once.
  const cache = new Map<string, Database.Statement>();
  const prepared = (key: string, build: () => string) => {
    let stmt = cache.get(key);
    if (!stmt) {
      stmt = db.prepare(build());
      cache.set(key, stmt);
    }
    return stmt;
  };

  const oneDay = db.prepare<{ from: number; to: number }, DayCounts>(
    `SELECT ${dayAggregates('(last_review_before IS NULL OR last_review_before < @from)')}
       FROM revlog WHERE reviewed_at >= @from AND reviewed_at < @to AND rating > 0`,
  );
  const cachedDays = db.prepare<[number, number], { day_start: number; day_end: number; counts: string }>(
    'SELECT day_start, day_end, counts FROM stats_days WHERE day_start >= ? AND day_start < ?',
  );
  const dirtyHours = db.prepare<[], { hour: number }>('SELECT hour FROM stats_dirty_hours');
  const clearDirty = db.prepare('DELETE FROM stats_dirty_hours');
  const dropOverlapping = db.prepare('DELETE FROM stats_days WHERE day_start < ? AND day_end > ?');
  const dropOutside = db.prepare('DELETE FROM stats_days WHERE day_start < ?');
  const storeDay = db.prepare('INSERT OR REPLACE INTO stats_days (day_start, day_end, counts) VALUES (?, ?, ?)');

  const historySql = (segments: number) =>
    `SELECT d, ${dayAggregates('pd < d')}
       FROM (SELECT ${dayIndexSql('reviewed_at', 'h', segments)} AS d,
                    ${dayIndexSql('last_review_before', 'h', segments)} AS pd,
                    rating, duration_ms, state_before, scheduled_days_before
               FROM revlog
              -- Reached through the deck's cards (revlog_card), not the year of everyone's answers:
              -- the unary + keeps the planner off the time index.
              WHERE card_id IN (SELECT id FROM cards WHERE ${DECK_FILTER})
                AND +reviewed_at >= @from AND +reviewed_at < @to AND rating > 0)
      GROUP BY d`;

  const forecastSql = (segments: number, filtered: boolean) =>
    `SELECT ${dayIndexSql('due', 'f', segments)} AS d, count(*) AS due
       FROM cards
      WHERE state > 0 AND suspended = 0 AND due < @to ${filtered ? `AND ${DECK_FILTER}` : ''}
      GROUP BY d`;

  // A deck tree's cards: a scan of the table beats the cards_memory index plus a row lookup per card.
  const memorySql = `SELECT ${bucketSql('stability', STABILITY_EDGES)} AS sb, ${bucketSql('difficulty', DIFFICULTY_EDGES)} AS db, count(*) AS cards
       FROM cards WHERE +stability > 0 AND ${DECK_FILTER} GROUP BY sb, db`;
  // The whole collection, from the cards_memory index alone: stability by range counts on its first
  // column; difficulty (whole-unit buckets) by one pass grouping its integer part, which is cheaper for
  // SQLite than a CASE per row.
  const stabilityRange = db.prepare<[number, number], { n: number }>(
    'SELECT count(*) AS n FROM cards WHERE stability > 0 AND stability >= ? AND stability < ?',
  );
  const difficultyUnits = db.prepare<[], { unit: number; n: number }>(
    'SELECT CAST(difficulty AS INTEGER) AS unit, count(*) AS n FROM cards WHERE stability > 0 GROUP BY unit',
  );

  /** Per-day rows of a deck tree's year, in one grouped pass. */
  function deckHistory(history: DayWindow, deckParam: { decks: string }): DayRow[] {
    const stmt = prepared(`h:${history.segments.length}`, () => historySql(history.segments.length));
    return stmt.all({
      ...dayIndexParams(history, 'h', -1, HISTORY_DAYS),
      from: history.starts[0]!,
      to: history.starts[HISTORY_DAYS]!,
      ...deckParam,
    }) as DayRow[];
  }

  /**
   * Per-day rows of the whole collection's year: cached past days still valid, the rest (today
   * always) read with one index range query per day, and newly read past days cached.
   */
  const collectionHistory = db.transaction((history: DayWindow): DayRow[] => {
    const first = history.starts[0]!;
    const todayIndex = HISTORY_DAYS - 1;
    const todayStart = history.starts[todayIndex]!;
    // Answers written since the last look drop the cached days they fall in.
    const dirty = dirtyHours.all();
    if (dirty.length > 0) {
      for (const { hour } of dirty) dropOverlapping.run((hour + 1) * HOUR_MS, hour * HOUR_MS);
      clearDirty.run();
    }
    dropOutside.run(first);
    const cached = new Map(cachedDays.all(first, todayStart).map((r) => [r.day_start, r]));
    const rows: DayRow[] = [];
    for (let i = 0; i < HISTORY_DAYS; i++) {
      const from = history.starts[i]!;
      const to = history.starts[i + 1]!;
      const hit = cached.get(from);
      let counts: DayCounts;
      if (hit && hit.day_end === to) {
        const values = JSON.parse(hit.counts) as number[];
        counts = Object.fromEntries(DAY_FIELDS.map((f, k) => [f, values[k] ?? 0])) as DayCounts;
      } else {
        counts = oneDay.get({ from, to })!;
        if (i !== todayIndex) storeDay.run(from, to, JSON.stringify(DAY_FIELDS.map((f) => counts[f])));
      }
      if (counts.reviews > 0) rows.push({ ...counts, d: i });
    }
    return rows;
  });

  function memoryHistograms(deckParam: { decks: string } | null) {
    const stability = emptyBuckets('stability');
    const difficulty = emptyBuckets('difficulty');
    if (deckParam) {
      for (const r of prepared('m', () => memorySql).all(deckParam) as { sb: number; db: number; cards: number }[]) {
        stability[r.sb]!.cards += r.cards;
        difficulty[r.db]!.cards += r.cards;
      }
    } else {
      // The outer buckets are open-ended.
      stability.forEach((b, i) => {
        b.cards = stabilityRange.get(i === 0 ? -Infinity : b.from, b.to ?? Infinity)!.n;
      });
      for (const { unit, n } of difficultyUnits.all()) difficulty[bucketOf(unit, DIFFICULTY_EDGES)]!.cards += n;
    }
    return { stability, difficulty };
  }

  function get(deckId: number | null): Stats {
    const now = ctx.clock.now();
    const { dayRolloverHour } = settings.get();
    const deck = deckId === null ? null : decks.get(deckId);
    const deckParam = deck ? { decks: JSON.stringify(decks.subtreeIds(deck.id)) } : null;

    // History: the last 365 study days, today last.
    const history = dayWindow(now, HISTORY_DAYS, dayRolloverHour, 'ending');
    const rows = deckParam ? deckHistory(history, deckParam) : collectionHistory(history);
    const byDay = new Map(rows.map((r) => [r.d, r]));
    const days: StatsDay[] = history.dates.map((date, i) => {
      const r = byDay.get(i);
      return {
        date,
        reviews: r?.reviews ?? 0,
        timeMs: r?.time_ms ?? 0,
        newCards: r?.s0 ?? 0,
        learning: r?.s1 ?? 0,
        review: r?.s2 ?? 0,
        relearning: r?.s3 ?? 0,
      };
    });

    // Forecast: the next 30 study days, today first (overdue cards count for today).
    const ahead = dayWindow(now, FORECAST_DAYS, dayRolloverHour, 'starting');
    const forecastStmt = prepared(`f:${ahead.segments.length}:${deckParam !== null}`, () => forecastSql(ahead.segments.length, deckParam !== null));
    const dueRows = forecastStmt.all({ ...dayIndexParams(ahead, 'f', 0, -1), to: ahead.starts[FORECAST_DAYS]!, ...(deckParam ?? {}) }) as {
      d: number;
      due: number;
    }[];
    const dueByDay = new Map(dueRows.map((r) => [r.d, r.due]));
    const forecast = ahead.dates.map((date, i) => ({ date, due: dueByDay.get(i) ?? 0 }));

    const { stability, difficulty } = memoryHistograms(deckParam);

    const totals = { reviews: 0, timeMs: 0, daysStudied: 0 };
    for (const d of days) {
      totals.reviews += d.reviews;
      totals.timeMs += d.timeMs;
      if (d.reviews > 0) totals.daysStudied++;
    }

    return {
      scope: { deckId: deck?.id ?? null, deckPath: deck?.path ?? null },
      today: history.dates[HISTORY_DAYS - 1]!,
      days,
      totals,
      retention: retentionPeriods(history.dates, byDay),
      forecast,
      stability,
      difficulty,
      answerButtons: {
        month: sumButtons(rows.filter((r) => r.d >= HISTORY_DAYS - MONTH_DAYS)),
        year: sumButtons(rows),
      },
    };
  }

  return { get };
}

function sumButtons(rows: DayRow[]): AnswerButtons {
  const out: AnswerButtons = { learning: [0, 0, 0, 0], young: [0, 0, 0, 0], mature: [0, 0, 0, 0] };
  for (const r of rows) {
    out.learning = [out.learning[0] + r.l1, out.learning[1] + r.l2, out.learning[2] + r.l3, out.learning[3] + r.l4];
    out.young = [out.young[0] + r.y1, out.young[1] + r.y2, out.young[2] + r.y3, out.young[3] + r.y4];
    out.mature = [out.mature[0] + r.m1, out.mature[1] + r.m2, out.mature[2] + r.m3, out.mature[3] + r.m4];
  }
  return out;
}

function period(start: string, label: string, passed: number, total: number): RetentionPeriod {
  return { start, label, passed, total, rate: total > 0 ? passed / total : null };
}

/** Folds the daily true-retention counts into Monday-based weeks and calendar months. */
function retentionPeriods(dates: string[], byDay: Map<number, DayRow>): Stats['retention'] {
  const weeks: { start: string; passed: number; total: number }[] = [];
  const months: { start: string; passed: number; total: number }[] = [];
  // ISO weekday of the first date (1 Monday ... 7 Sunday); later days follow by position.
  const firstWeekday = getISODay(parseISO(dates[0]!));
  let passed = 0;
  let total = 0;
  dates.forEach((date, i) => {
    const r = byDay.get(i);
    const p = r?.true_passed ?? 0;
    const t = r?.true_total ?? 0;
    if (i === 0 || (firstWeekday - 1 + i) % 7 === 0) weeks.push({ start: date, passed: 0, total: 0 });
    if (i === 0 || date.endsWith('-01')) months.push({ start: `${date.slice(0, 7)}-01`, passed: 0, total: 0 });
    weeks.at(-1)!.passed += p;
    weeks.at(-1)!.total += t;
    months.at(-1)!.passed += p;
    months.at(-1)!.total += t;
    passed += p;
    total += t;
  });
  // A partial first week starts on its Monday, so weeks are labelled alike.
  if (firstWeekday !== 1) weeks[0]!.start = format(subDays(parseISO(dates[0]!), firstWeekday - 1), 'yyyy-MM-dd');
  const weekList = weeks.slice(-52).map((w) => period(w.start, `Week of ${format(parseISO(w.start), 'd MMM yyyy')}`, w.passed, w.total));
  const monthList = months.slice(-12).map((m) => period(m.start, format(parseISO(m.start), 'MMMM yyyy'), m.passed, m.total));
  return { weeks: weekList, months: monthList, year: period(dates[0]!, 'Last 365 days', passed, total) };
}

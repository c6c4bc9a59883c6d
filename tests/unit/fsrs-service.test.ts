// FSRS personalisation as the Settings page uses it: too little history explained, fitted parameters
// applied only when better (or on request), used by study at once, restored step by step, optimisation
// cancelled or refused while another runs, study answered meanwhile, a year of study simulated, and
// existing cards rescheduled from their history after a backup.
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { default_w, fsrs as makeFsrs, generatorParameters, get_fuzz_range } from 'ts-fsrs';
import { SIMULATED_RETENTIONS, retentionsFor } from '../../electron/core/fsrs/service';
import { REVLOG_SQL } from '../../electron/core/fsrs/revlogQuery';
import { KIND } from '../../electron/core/fsrs/trainingSet';
import { CRT, NT, legacyPackage, sampleCollection } from './transfer-fixtures';
import { knownParamsCollection, TRUE_PARAMS } from './fsrs-fixtures';
import { makeFitStore } from '../../electron/core/fsrs/store';
import { deckWithNotes, makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const START = new Date('2026-01-05T00:00:00Z').getTime();
const END = START + 300 * 86_400_000;

async function coreWithHistory(cards: number) {
  core = await makeTestCore({ clock: { now: () => END + 3_600_000, set: () => {}, advance: () => {} } });
  if (cards > 0) {
    const col = knownParamsCollection([{ id: 81, name: 'History', count: cards }], START, END);
    const { stagedId } = await core.call('files.stage', { name: 'history.apkg', bytes: new Uint8Array(legacyPackage(col)) });
    await core.call('import.anki', { stagedId, jobId: 'import-history' });
  }
}

/** The four button intervals a new card shows on the review screen. */
async function newCardIntervals(): Promise<string[]> {
  const next = await core.call('study.next', { deckId: deckId('Fresh') });
  return next.card!.intervals;
}
const deckId = (name: string) => core.ctx.db.prepare<[string], number>('SELECT id FROM decks WHERE name = ?').pluck().get(name)!;

describe('FSRS parameters of a preset', () => {
  it('tells answers from cramming, manual changes and resets in an imported review log', async () => {
    await coreWithHistory(0);
    const base = sampleCollection();
    const t = (day: number, minutes = 0) => (CRT + day * 86_400 + 3600) * 1000 + minutes * 60_000;
    const review = (id: number, ease: number, type: number, factor = 2500) => ({ id, cid: 900, ease, ivl: 1, lastIvl: 0, factor, time: 5000, type });
    const col = {
      ...base,
      decks: [{ id: 1, name: 'Default' }, { id: 91, name: 'Kinds' }],
      notes: [{ id: 800, guid: 'kinds', mid: NT.basic, mod: CRT, tags: [], fields: ['Q', 'A'] }],
      cards: [{ id: 900, nid: 800, did: 91, ord: 0, type: 2, queue: 2, due: 40, ivl: 10, factor: 2500 }],
      revlog: [
        review(t(1), 3, 0), // learning
        review(t(1, 10), 3, 0),
        review(t(3), 3, 1), // review
        review(t(5), 2, 3, 0), // cram in a filtered deck that did not reschedule
        review(t(6), 0, 4, 100), // set due date
        review(t(8), 1, 1), // lapse
        review(t(8, 10), 3, 2), // relearning
        review(t(12), 0, 5, 0), // rescheduled
        review(t(20), 0, 4, 0), // reset to new
      ],
      media: [],
    };
    const { stagedId } = await core.call('files.stage', { name: 'kinds.apkg', bytes: new Uint8Array(legacyPackage(col)) });
    await core.call('import.anki', { stagedId, jobId: 'kinds' });
    const kinds = core.ctx.db.prepare(REVLOG_SQL).raw().all(JSON.stringify([deckId('Kinds')])).map((r) => (r as number[])[3]);
    expect(kinds).toEqual([KIND.learn, KIND.learn, KIND.review, KIND.cram, KIND.manual, KIND.review, KIND.relearn, KIND.manual, KIND.reset]);
  });

  it('explains why it cannot optimise yet, and changes nothing', async () => {
    await coreWithHistory(20);
    const result = await core.call('fsrs.optimize', { jobId: 'few', presetId: 1 });
    expect(result.status).toBe('too_few');
    if (result.status !== 'too_few') return;
    expect(result.needed).toBe(400);
    expect(result.items).toBeGreaterThan(0);
    expect(result.items).toBeLessThan(400);
    expect(result.message).toMatch(/^Not enough review history yet: .* decks using “Default” have \d+ of the 400 it needs\./);
    expect(core.ctx.db.prepare('SELECT count(*) FROM fsrs_fits').pluck().get()).toBe(0);
    const status = await core.call('fsrs.status', { presetId: 1 });
    expect(status).toMatchObject({ usingDefaults: true, current: null, restore: null, unavailable: null });
    expect(status.params).toEqual([...default_w]);
  });

  it('applies a better fit, schedules with it at once, and restores the previous set', async () => {
    await coreWithHistory(700);
    await deckWithNotes(core, 'Fresh', 1);
    const withDefaults = await newCardIntervals();

    const result = await core.call('fsrs.optimize', { jobId: 'fit', presetId: 1 });
    if (result.status !== 'done') throw new Error('expected a fit');
    expect(result.better).toBe(true);
    expect(result.verdict).toMatch(/^The fitted parameters predict your reviews better than the default parameters: log loss/);
    // Optimising applies nothing by itself.
    expect(await newCardIntervals()).toEqual(withDefaults);
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toBeNull();

    const applied = await core.call('fsrs.apply', { fitId: result.fitId });
    expect(applied.rescheduled).toBeNull();
    expect(applied.status).toMatchObject({ usingDefaults: false, params: result.params, restore: { to: 'defaults', appliedAt: null } });
    expect(applied.status.current).toMatchObject({ id: result.fitId, origin: 'optimised', scope: 'Decks using “Default”', metrics: result.fitted, defaultMetrics: result.defaults });
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toEqual(result.params);
    // The review screen's intervals are ts-fsrs's with the fitted parameters.
    const fitted = await newCardIntervals();
    expect(fitted).not.toEqual(withDefaults);

    // A second fit is measured against the set in use.
    const again = await core.call('fsrs.optimize', { jobId: 'fit-2', presetId: 1 });
    if (again.status !== 'done') throw new Error('expected a fit');
    // (the optimiser sums on several threads: equal to a few parts in a million)
    expect(again.current!.logLoss).toBeCloseTo(result.fitted.logLoss, 5);
    expect(again.current!.rmseBins).toBeCloseTo(result.fitted.rmseBins, 5);

    const restored = await core.call('fsrs.restore', { presetId: 1 });
    expect(restored).toMatchObject({ usingDefaults: true, current: null, restore: null });
    expect(await newCardIntervals()).toEqual(withDefaults);
    expect(await core.fail('fsrs.restore', { presetId: 1 })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/nothing to restore/) });
  }, 120_000);

  it('refuses a fit that predicts worse unless the user insists, and restores step by step', async () => {
    await coreWithHistory(0);
    const db = core.ctx.db;
    const first = [...default_w].map((w, i) => (i === 2 ? w * 2 : w));
    const worse = [...default_w].map((w, i) => (i === 2 ? w * 3 : w));
    const add = (params: number[], better: number) =>
      Number(
        db
          .prepare("INSERT INTO fsrs_fits (preset_id, origin, scope, params, better, created_at) VALUES (1, 'optimised', 'Decks using “Default”', ?, ?, 0)")
          .run(JSON.stringify(params), better).lastInsertRowid,
      );
    const good = add(first, 1);
    const bad = add(worse, 0);
    await core.call('fsrs.apply', { fitId: good });
    expect(await core.fail('fsrs.apply', { fitId: bad })).toMatchObject({ code: 'conflict', message: expect.stringMatching(/worse than the ones in use.*Apply anyway/) });
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toEqual(first);

    const forced = await core.call('fsrs.apply', { fitId: bad, force: true });
    expect(forced.status.params).toEqual(worse);
    expect(forced.status.restore).toMatchObject({ to: 'earlier' });
    expect((await core.call('fsrs.restore', { presetId: 1 })).params).toEqual(first);
    expect((await core.call('fsrs.restore', { presetId: 1 })).usingDefaults).toBe(true);
    expect(await core.fail('fsrs.apply', { fitId: 999 })).toMatchObject({ code: 'not_found' });
  });

  it('cancels an optimisation, refuses a second one meanwhile, and answers study while it runs', async () => {
    await coreWithHistory(700);
    await deckWithNotes(core, 'Fresh', 1);
    let settled = false;
    const running = core.call('fsrs.optimize', { jobId: 'long', presetId: 1 }).finally(() => (settled = true));
    expect(await core.fail('fsrs.optimize', { jobId: 'other', presetId: 1 })).toMatchObject({ code: 'conflict' });
    // Study goes on while the worker reads and fits.
    const card = (await core.call('study.next', { deckId: deckId('Fresh') })).card!;
    await core.call('study.answer', { cardId: card.id, rating: 3, durationMs: 1000 });
    expect(settled).toBe(false);
    // Cancel once fitting has started.
    while (!core.events.some((e) => e.name === 'fsrs.progress' && (e.payload as { phase: string }).phase === 'fitting')) await new Promise((r) => setTimeout(r, 20));
    await core.call('fsrs.cancel', { jobId: 'long' });
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
    expect(core.ctx.db.prepare('SELECT count(*) FROM fsrs_fits').pluck().get()).toBe(0);
    // And the next one runs.
    const after = await core.call('fsrs.optimize', { jobId: 'after', presetId: 1 });
    expect(after.status).toBe('done');
  }, 120_000);

  it('simulates a year at each desired retention: more reviews for more retention, the cheapest marked', async () => {
    await coreWithHistory(300);
    await deckWithNotes(core, 'Fresh', 40);
    const sim = await core.call('fsrs.simulate', { jobId: 'sim', presetId: 1, newPerDay: 5 });
    expect(sim.rows.map((r) => r.retention)).toEqual(SIMULATED_RETENTIONS);
    expect(SIMULATED_RETENTIONS[0]).toBe(0.7);
    expect(SIMULATED_RETENTIONS.at(-1)).toBe(0.97);
    // The preset's own desired retention is always among them.
    expect(retentionsFor(0.85)).toContain(0.85);
    expect(retentionsFor(0.85)).toHaveLength(SIMULATED_RETENTIONS.length + 1);
    expect(sim).toMatchObject({ days: 365, newPerDay: 5, reviewsPerDay: 200, cards: 340, newCards: 40 });
    const at = (r: number) => sim.rows.find((row) => row.retention === r)!;
    expect(at(0.97).reviewsPerDay).toBeGreaterThan(at(0.9).reviewsPerDay);
    expect(at(0.9).reviewsPerDay).toBeGreaterThan(at(0.7).reviewsPerDay);
    expect(at(0.97).remembered).toBeGreaterThan(at(0.7).remembered);
    expect(at(0.97).remembered).toBeLessThanOrEqual(340);
    const best = sim.rows.reduce((a, b) => (b.reviewsPerRemembered < a.reviewsPerRemembered ? b : a));
    expect(sim.best).toBe(best.retention);
    // Same input, same answer (the simulated answers are seeded).
    expect((await core.call('fsrs.simulate', { jobId: 'sim-2', presetId: 1, newPerDay: 5 })).rows).toEqual(sim.rows);
  }, 60_000);

  it('reschedules existing cards from their history with the new parameters, after a backup', async () => {
    await coreWithHistory(600);
    const result = await core.call('fsrs.optimize', { jobId: 'fit', presetId: 1 });
    if (result.status !== 'done') throw new Error('expected a fit');
    const db = core.ctx.db;
    type Row = { id: number; state: number; due: number; stability: number; difficulty: number; last_review: number; scheduled_days: number };
    const before = db.prepare<[], Row>('SELECT id, state, due, stability, difficulty, last_review, scheduled_days FROM cards ORDER BY id').all();

    const applied = await core.call('fsrs.apply', { fitId: result.fitId, reschedule: true, jobId: 'resched' });
    expect(applied.backup).toMatch(/\.sqlite$/);
    expect(fs.existsSync(`${core.ctx.paths.backupsDir}/${applied.backup}`)).toBe(true);
    expect(applied.rescheduled).toBeGreaterThan(500);

    const after = db.prepare<[], Row>('SELECT id, state, due, stability, difficulty, last_review, scheduled_days FROM cards ORDER BY id').all();
    const changed = after.filter((row, i) => row.stability !== before[i]!.stability);
    expect(changed.length).toBeGreaterThan(500);
    // A review card is due its new interval (at the desired retention, with the fitted stability) after its
    // last review, fuzzed as an answer's is: within the fuzz range, and not every card on the exact day.
    const scheduler = makeFsrs(generatorParameters({ w: result.params, request_retention: 0.9, enable_fuzz: false }));
    const reviews = after.filter((r) => r.state === 2 && scheduler.next_interval(r.stability, 0) >= 7);
    expect(reviews.length).toBeGreaterThan(100);
    let moved = 0;
    for (const review of reviews) {
      const exact = scheduler.next_interval(review.stability, 0);
      const { min_ivl, max_ivl } = get_fuzz_range(exact, 0, 36500);
      expect(review.scheduled_days).toBeGreaterThanOrEqual(min_ivl);
      expect(review.scheduled_days).toBeLessThanOrEqual(max_ivl);
      expect(review.due).toBe(review.last_review + review.scheduled_days * 86_400_000);
      if (review.scheduled_days !== exact) moved++;
    }
    expect(moved).toBeGreaterThan(reviews.length / 2);
    // The review log is history: untouched.
    expect(db.prepare('SELECT count(*) FROM revlog WHERE rating = 0').pluck().get()).toBe(0);
  }, 120_000);

  it('while a reschedule runs nothing else is applied or restored, and cancelling it changes nothing', async () => {
    await coreWithHistory(1500);
    const db = core.ctx.db;
    const store = makeFitStore(db);
    const fit = (params: number[]) =>
      store.add({ presetId: 1, origin: 'optimised', scope: 'Decks using “Default”', params, reviews: 1, items: 1, metrics: null, defaultMetrics: null, better: true }, END);
    const fitId = fit(TRUE_PARAMS);
    const other = fit(TRUE_PARAMS.map((w, i) => (i === 0 ? w + 0.1 : w)));
    const cards = () => db.prepare('SELECT id, due, stability, difficulty, scheduled_days FROM cards ORDER BY id').all();
    const before = cards();
    // As soon as the worker reports that it started replaying the histories: another apply and a restore
    // (from another window, say) are refused, then the reschedule is cancelled.
    const meanwhile: Promise<unknown>[] = [];
    const push = core.events.push.bind(core.events);
    core.events.push = (...items) => {
      for (const e of items) {
        if (e.name === 'fsrs.progress' && (e.payload as { jobId: string }).jobId === 'resched' && meanwhile.length === 0) {
          meanwhile.push(core.fail('fsrs.apply', { fitId: other }), core.fail('fsrs.restore', { presetId: 1 }));
          void Promise.allSettled(meanwhile).then(() => core.call('fsrs.cancel', { jobId: 'resched' }));
        }
      }
      return push(...items);
    };
    await expect(core.call('fsrs.apply', { fitId, reschedule: true, jobId: 'resched' })).rejects.toMatchObject({ code: 'cancelled' });
    for (const refused of await Promise.all(meanwhile)) expect(refused).toMatchObject({ code: 'conflict', message: expect.stringContaining('rescheduling your cards') });
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toBeNull();
    expect((await core.call('fsrs.status', { presetId: 1 })).restore).toBeNull();
    expect(cards()).toEqual(before);
  }, 120_000);
});

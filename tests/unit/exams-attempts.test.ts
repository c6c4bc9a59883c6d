// Mock exams through the contract, against a real collection: drawing by topic weight, answers saved
// one by one and still there after a restart, the clock, all-or-nothing scoring, review, flashcards
// from missed questions, readiness, and attempts that cannot be rewritten.
import { afterEach, describe, expect, it } from 'vitest';
import type { Attempt } from '../../shared/contract/exams';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

/** The correct option indexes of each question of an attempt, as stored (the session never sees them). */
function answerKey(c: TestCore, attemptId: number): number[][] {
  return (c.ctx.db.prepare('SELECT snapshot FROM exam_attempt_questions WHERE attempt_id = ? ORDER BY position').all(attemptId) as { snapshot: string }[]).map(
    (r) => (JSON.parse(r.snapshot) as { correct: number[] }).correct,
  );
}

async function startPsm(c: TestCore, extra: Record<string, unknown> = {}): Promise<Attempt> {
  return c.call('exams.start', { formatKey: 'psm-1', ...extra });
}

describe('exam formats and banks', () => {
  it('loads the bundled banks once and shows unconfirmed values as "not confirmed"', async () => {
    core = await makeTestCore();
    const overview = await core.call('exams.overview');
    const total = (core.ctx.db.prepare('SELECT count(*) AS n FROM exam_questions').get() as { n: number }).n;
    expect(total).toBe(overview.banks.reduce((s, b) => s + b.questions, 0));
    expect(total).toBeGreaterThanOrEqual(200);
    const psm = overview.formats.find((f) => f.key === 'psm-1')!;
    expect([psm.questions.value, psm.minutes.value, psm.passMark.value]).toEqual([80, 60, 0.85]);
    expect(psm.questions.note).toBe('80 questions (scrum.org)');
    const pspo = overview.formats.find((f) => f.key === 'pspo-1')!;
    expect(pspo.questions).toEqual({ value: null, note: 'not confirmed' });
    expect(overview.formats.some((f) => f.key === 'custom')).toBe(true);

    // A deleted bundled question stays deleted: the bank is not loaded again.
    const first = (await core.call('questions.list', { limit: 1 })).questions[0]!;
    await core.call('questions.delete', { id: first.id });
    await core.call('exams.overview');
    const dir = core.dataDir;
    core.close();
    core = await makeTestCore({ dataDir: dir });
    await core.call('exams.overview');
    expect((core.ctx.db.prepare('SELECT count(*) AS n FROM exam_questions').get() as { n: number }).n).toBe(total - 1);
  });

  it('asks for the values a format does not confirm instead of guessing', async () => {
    core = await makeTestCore();
    const error = await core.fail('exams.start', { formatKey: 'pspo-1' });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain('not confirmed');
    expect(error.message).toContain('the number of questions, the time limit and the pass mark');
    const custom = await core.call('exams.start', { formatKey: 'custom', questions: 5, minutes: 10, passMark: 0.7, topics: ['scrum-events'] });
    expect(custom.questions).toHaveLength(5);
    expect(new Set(custom.questions.map((q) => q.topic))).toEqual(new Set(['Scrum events']));
  });
});

describe('a timed attempt', () => {
  it('draws 80 questions by the format topic weights and never sends the answers to the page', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    expect(attempt.questions).toHaveLength(80);
    expect(attempt.deadlineAt - attempt.startedAt).toBe(60 * 60_000);
    const perTopic = new Map<string, number>();
    for (const q of attempt.questions) perTopic.set(q.topic, (perTopic.get(q.topic) ?? 0) + 1);
    // Weights 2:1:3:3:3 of 80, largest remainder: 13, 7, 20, 20, 20.
    expect(Object.fromEntries(perTopic)).toEqual({
      'Scrum theory': 13,
      'Scrum values': 7,
      'Scrum Team and accountabilities': 20,
      'Scrum events': 20,
      'Artifacts and commitments': 20,
    });
    expect(new Set(attempt.questions.map((q) => q.stem)).size).toBe(80);
    expect(JSON.stringify(attempt)).not.toContain('"correct"');
    expect(JSON.stringify(attempt)).not.toContain('explanation');
  });

  it('keeps every answer and flag across a restart and resumes with the clock where it is', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    await core.call('exams.answer', { attemptId: attempt.id, position: 0, chosen: [0], flagged: false });
    await core.call('exams.answer', { attemptId: attempt.id, position: 0, chosen: [1], flagged: true }); // changed mind
    await core.call('exams.answer', { attemptId: attempt.id, position: 5, chosen: null, flagged: true });
    core.clock.advance(10 * 60_000);
    const dir = core.dataDir;
    const clock = core.clock;
    core.close();

    core = await makeTestCore({ dataDir: dir, clock });
    const overview = await core.call('exams.overview');
    expect(overview.running?.id).toBe(attempt.id);
    const resumed = await core.call('exams.attempt', { id: attempt.id });
    expect(resumed.questions[0]).toMatchObject({ chosen: [1], flagged: true });
    expect(resumed.questions[5]).toMatchObject({ chosen: null, flagged: true });
    expect(resumed.questions.filter((q) => q.chosen !== null)).toHaveLength(1);
    expect(resumed.deadlineAt - resumed.now).toBe(50 * 60_000);
    expect(resumed.questions.map((q) => q.stem)).toEqual(attempt.questions.map((q) => q.stem));
    expect(resumed.questions.map((q) => q.options)).toEqual(attempt.questions.map((q) => q.options));
  });

  it('refuses answers after the time is up, a second running attempt, and changes after submitting', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    expect((await core.fail('exams.start', { formatKey: 'psm-1' })).code).toBe('conflict');
    expect((await core.fail('exams.answer', { attemptId: attempt.id, position: 80, chosen: [0], flagged: false })).code).toBe('invalid_input');
    const single = attempt.questions.findIndex((q) => q.kind === 'single');
    expect((await core.fail('exams.answer', { attemptId: attempt.id, position: single, chosen: [0, 1], flagged: false })).message).toContain('takes one answer');

    core.clock.advance(61 * 60_000);
    const late = await core.fail('exams.answer', { attemptId: attempt.id, position: 0, chosen: [0], flagged: false });
    expect(late.code).toBe('conflict');
    expect(late.message).toContain('Time is up');
    const result = await core.call('exams.submit', { attemptId: attempt.id });
    expect(result.reason).toBe('time_up');
    expect(result.timeUsedMs).toBe(60 * 60_000);
    expect(result.answered).toBe(0);
    const after = await core.fail('exams.answer', { attemptId: attempt.id, position: 0, chosen: [0], flagged: false });
    expect(after.message).toContain('submitted');
    // Submitting again returns the same result; a new attempt can start.
    expect(await core.call('exams.submit', { attemptId: attempt.id })).toEqual(result);
    await startPsm(core);
  });

  it('an attempt whose time ran out while Cadence was closed is scored when the next one starts', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    core.clock.advance(3 * 60 * 60_000);
    const next = await startPsm(core);
    expect(next.id).not.toBe(attempt.id);
    const review = await core.call('exams.review', { attemptId: attempt.id });
    expect(review.result.reason).toBe('time_up');
  });
});

describe('scoring', () => {
  it('scores multiple select all-or-nothing, per topic, against the pass mark in whole questions', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    const key = answerKey(core, attempt.id);
    const multiple = attempt.questions.filter((q) => q.kind === 'multiple').slice(0, 3).map((q) => q.position);
    expect(multiple).toHaveLength(3);
    const [exact, partial, extra] = multiple as [number, number, number];
    // Everything right, except: one multiple-select question with only part of its answer, one with an extra option.
    for (const q of attempt.questions) {
      let chosen = key[q.position]!;
      if (q.position === partial) chosen = chosen.slice(0, 1);
      if (q.position === extra) chosen = [...chosen, [...q.options.keys()].find((i) => !chosen.includes(i))!];
      await core.call('exams.answer', { attemptId: attempt.id, position: q.position, chosen, flagged: false });
    }
    core.clock.advance(42 * 60_000);
    const result = await core.call('exams.submit', { attemptId: attempt.id });
    expect(result).toMatchObject({ correct: 78, total: 80, answered: 80, reason: 'submitted', passed: true, timeUsedMs: 42 * 60_000 });
    expect(result.score).toBeCloseTo(78 / 80);
    expect(result.perTopic.reduce((s, t) => s + t.total, 0)).toBe(80);
    expect(result.perTopic.reduce((s, t) => s + t.correct, 0)).toBe(78);

    const review = await core.call('exams.review', { attemptId: attempt.id });
    const byPos = new Map(review.items.map((i) => [i.position, i]));
    expect(byPos.get(exact)!.isCorrect).toBe(true);
    expect(byPos.get(partial)!.isCorrect).toBe(false);
    expect(byPos.get(extra)!.isCorrect).toBe(false);
    const missed = byPos.get(partial)!;
    expect(missed.correct).toEqual(key[partial]);
    expect(missed.chosen).toEqual(key[partial]!.slice(0, 1));
    expect(missed.explanation.length).toBeGreaterThan(40);
    expect(missed.source).toMatchObject({ document: 'The 2020 Scrum Guide', url: 'https://scrumguides.org/scrum-guide.html' });
  });

  it('passes at exactly the pass mark and fails one question below it', async () => {
    for (const right of [68, 67]) {
      core = await makeTestCore();
      const attempt = await startPsm(core);
      const key = answerKey(core, attempt.id);
      for (let p = 0; p < 80; p++) {
        const chosen = p < right ? key[p]! : [...attempt.questions[p]!.options.keys()].filter((i) => !key[p]!.includes(i)).slice(0, 1);
        await core.call('exams.answer', { attemptId: attempt.id, position: p, chosen, flagged: false });
      }
      const result = await core.call('exams.submit', { attemptId: attempt.id });
      expect(result.correct).toBe(right);
      expect(result.passed).toBe(right === 68); // 68 / 80 = 85 %
      core.close();
    }
  });

  it('keeps attempts append-only: stored answers and results cannot be changed or deleted', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    await core.call('exams.answer', { attemptId: attempt.id, position: 0, chosen: [0], flagged: false });
    await core.call('exams.submit', { attemptId: attempt.id });
    const db = core.ctx.db;
    expect(() => db.prepare('UPDATE exam_answers SET chosen = NULL').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM exam_answers').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE exam_results SET passed = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM exam_attempts').run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE exam_attempt_questions SET snapshot = 1').run()).toThrow(/append-only/);
  });
});

describe('after an attempt', () => {
  it('turns a missed question into a flashcard once, in the exam practice deck, tagged with its topic', async () => {
    core = await makeTestCore();
    const attempt = await startPsm(core);
    expect((await core.fail('exams.toFlashcard', { attemptId: attempt.id, position: 0 })).code).toBe('conflict'); // not scored yet
    await core.call('exams.submit', { attemptId: attempt.id });
    const review = await core.call('exams.review', { attemptId: attempt.id });
    const item = review.items.find((i) => i.kind === 'multiple')!;
    const { noteId, deckPath } = await core.call('exams.toFlashcard', { attemptId: attempt.id, position: item.position });
    expect(deckPath).toBe('Exam practice::PSM I');
    const note = await core.call('notes.get', { id: noteId });
    expect(note.fields[0]).toContain(item.stem);
    expect(note.fields[0]).toContain(`(Choose ${item.correct.length})`);
    for (const i of item.correct) expect(note.fields[1]).toContain(item.options[i]!);
    expect(note.fields[1]).toContain('The 2020 Scrum Guide');
    expect(note.tags).toContain('exam::missed');
    const again = await core.call('exams.review', { attemptId: attempt.id });
    expect(again.items.find((i) => i.position === item.position)!.flashcardNoteId).toBe(noteId);
    expect((await core.fail('exams.toFlashcard', { attemptId: attempt.id, position: item.position })).code).toBe('conflict');
  });

  it('readiness shows the recent score, the trend, the weakest topic and the recall of linked flashcards', async () => {
    core = await makeTestCore();
    let readiness = await core.call('exams.readiness', { formatKey: 'psm-1' });
    expect(readiness).toMatchObject({ attempts: 0, recentScore: null, weakestTopic: null, cardRecall: null });
    expect(readiness.suggestion).toContain('Take a first PSM I mock exam');

    // Two attempts: everything right except every question on Scrum events.
    for (let n = 0; n < 2; n++) {
      const attempt = await startPsm(core);
      const key = answerKey(core, attempt.id);
      for (const q of attempt.questions) {
        const chosen = q.topic === 'Scrum events' ? [...q.options.keys()].filter((i) => !key[q.position]!.includes(i)).slice(0, 1) : key[q.position]!;
        await core.call('exams.answer', { attemptId: attempt.id, position: q.position, chosen, flagged: false });
      }
      core.clock.advance(30 * 60_000);
      await core.call('exams.submit', { attemptId: attempt.id });
      core.clock.advance(24 * 60 * 60_000);
    }
    // A flashcard tagged with a topic's card tag, reviewed once.
    const deck = await core.call('decks.create', { name: 'Mine' });
    const saved = await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Daily Scrum length?', '15 minutes'], tags: ['scrum::events::daily-scrum'] });
    await core.call('study.answer', { cardId: saved.note.cards[0]!.id, rating: 3, durationMs: 4000 });

    readiness = await core.call('exams.readiness', { formatKey: 'psm-1' });
    expect(readiness.attempts).toBe(2);
    expect(readiness.recentScore).toBeCloseTo(60 / 80);
    expect(readiness.trend).toHaveLength(2);
    expect(readiness.weakestTopic).toMatchObject({ name: 'Scrum events', correct: 0, total: 40 });
    expect(readiness.suggestion).toContain('Scrum events');
    expect(readiness.linkedCards).toBe(1);
    expect(readiness.reviewedCards).toBe(1);
    expect(readiness.cardRecall).toBeGreaterThan(0.5);
  });

  it('draws only unmastered questions when asked: two right answers in a row master a question', async () => {
    core = await makeTestCore();
    const drill = { formatKey: 'custom', questions: 400, minutes: 60, passMark: 0.8, topics: ['scrum-values'] };
    const all = await core.call('exams.start', drill);
    const count = all.questions.length;
    const masteredStems = new Set<string>();
    for (let n = 0; n < 2; n++) {
      const attempt = n === 0 ? all : await core.call('exams.start', drill);
      const key = answerKey(core, attempt.id);
      // Answer the first three (by stem) right both times.
      for (const q of attempt.questions) {
        if ([...attempt.questions].map((x) => x.stem).sort().indexOf(q.stem) < 3) {
          await core.call('exams.answer', { attemptId: attempt.id, position: q.position, chosen: key[q.position]!, flagged: false });
          masteredStems.add(q.stem);
        }
      }
      await core.call('exams.submit', { attemptId: attempt.id });
    }
    const unmastered = await core.call('exams.start', { ...drill, draw: 'unmastered' });
    expect(unmastered.questions).toHaveLength(count - 3);
    expect(unmastered.questions.some((q) => masteredStems.has(q.stem))).toBe(false);
    const overview = await core.call('exams.overview');
    expect(overview.topicCounts['scrum-values']).toEqual({ questions: count, mastered: 3 });
  });

  it('counts a scored mock exam as study time toward the certification it leads to', async () => {
    core = await makeTestCore();
    const csm = await core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2025-06-01' });
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-06-01' });
    expect((await core.call('certs.get', { id: csm.id })).studySuggestion).toBeNull();
    const attempt = await core.call('exams.start', { formatKey: 'csm', questions: 40, minutes: 90, passMark: 0.75 });
    core.clock.advance(75 * 60_000);
    await core.call('exams.submit', { attemptId: attempt.id });
    core.clock.advance(60_000);
    const s = (await core.call('certs.get', { id: csm.id })).studySuggestion!;
    expect(s).toMatchObject({ units: 1.25, days: [{ date: '2026-03-02', units: 1.25 }] });
    expect(s.text).toContain('in mock exams since');
    // Another certification's suggestion is untouched.
    expect((await core.call('certs.get', { id: cspo.id })).studySuggestion).toBeNull();
  });

  it('counts an attempt left to run out only up to its last answer, not the time Cadence was closed', async () => {
    core = await makeTestCore();
    const csm = await core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2025-06-01' });
    const attempt = await core.call('exams.start', { formatKey: 'csm', questions: 40, minutes: 90, passMark: 0.75 });
    core.clock.advance(10 * 60_000);
    await core.call('exams.answer', { attemptId: attempt.id, position: 0, chosen: [0], flagged: false });
    core.clock.advance(20 * 60_000);
    await core.call('exams.answer', { attemptId: attempt.id, position: 1, chosen: [0], flagged: true });
    // Cadence closed for two days; the next start scores the attempt as timed out.
    core.clock.advance(2 * 24 * 60 * 60_000);
    const next = await core.call('exams.start', { formatKey: 'csm', questions: 40, minutes: 90, passMark: 0.75 });
    const first = await core.call('exams.review', { attemptId: attempt.id });
    expect(first.result).toMatchObject({ reason: 'time_up', timeUsedMs: 90 * 60_000 }); // the exam's clock ran out
    core.clock.advance(60_000);
    let s = (await core.call('certs.get', { id: csm.id })).studySuggestion!;
    expect(s.units).toBe(0.5); // 30 minutes of practice, not the 90 of the clock
    // An attempt nobody answered earns nothing; one submitted by the learner counts in full.
    core.clock.advance(3 * 60 * 60_000);
    await core.call('exams.submit', { attemptId: next.id });
    core.clock.advance(60_000);
    expect((await core.call('certs.get', { id: csm.id })).studySuggestion!.units).toBe(0.5);
    const third = await core.call('exams.start', { formatKey: 'csm', questions: 40, minutes: 90, passMark: 0.75 });
    core.clock.advance(45 * 60_000);
    await core.call('exams.submit', { attemptId: third.id });
    core.clock.advance(60_000);
    s = (await core.call('certs.get', { id: csm.id })).studySuggestion!;
    expect(s.units).toBe(1.25);
  });

  it('a curriculum module that links an exam topic includes recent mock exam results in its mastery', async () => {
    core = await makeTestCore();
    await core.call('exams.overview');
    const curriculum = await core.call('curricula.create', { name: 'Scrum course' });
    const mod = await core.call('modules.create', { curriculumId: curriculum.id, week: 1, title: 'Scrum events' });
    expect(mod.mastery).toMatchObject({ ready: null, exam: null });
    expect((await core.fail('modules.linkExamTopic', { moduleId: mod.id, topic: 'no-such-topic' })).code).toBe('not_found');
    let linked = await core.call('modules.linkExamTopic', { moduleId: mod.id, topic: 'scrum-events' });
    expect(linked.examTopics).toEqual(['scrum-events']);
    expect(linked.mastery.exam).toEqual({ topics: ['scrum-events'], correct: 0, total: 0, share: null });

    // A drill on the topic: 9 of 10 right.
    const attempt = await core.call('exams.start', { formatKey: 'custom', questions: 10, minutes: 15, passMark: 0.8, topics: ['scrum-events'] });
    const key = answerKey(core, attempt.id);
    for (const q of attempt.questions) {
      const chosen = q.position === 0 ? [...q.options.keys()].filter((i) => !key[0]!.includes(i)).slice(0, 1) : key[q.position]!;
      await core.call('exams.answer', { attemptId: attempt.id, position: q.position, chosen, flagged: false });
    }
    await core.call('exams.submit', { attemptId: attempt.id });
    linked = await core.call('modules.update', { id: mod.id });
    expect(linked.mastery.exam).toMatchObject({ correct: 9, total: 10, share: 0.9 });
    expect(linked.mastery.ready).toBe(true); // no cards linked; 90 % reaches the recall threshold
    const unlinked = await core.call('modules.unlinkExamTopic', { moduleId: mod.id, topic: 'scrum-events' });
    expect(unlinked.mastery).toMatchObject({ ready: null, exam: null });
  });
});

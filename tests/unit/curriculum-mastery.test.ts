import { afterEach, describe, expect, it } from 'vitest';
import { retrievability } from '../../electron/core/flashcards/retrievability';
import { addCard, DAY, withoutStarterDecks } from './curriculum-fixtures';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const TPM = 'technical-project-management-12-weeks';

async function deckPath(path: string): Promise<number> {
  let parentId: number | null = null;
  for (const name of path.split('::')) {
    const existing = (await core.call('decks.list')).decks.find((d) => d.name === name && d.parentId === parentId);
    parentId = existing ? existing.id : (await core.call('decks.create', { name, parentId })).id;
  }
  return parentId!;
}

async function riskModule(curriculumId: number) {
  const c = await core.call('curricula.get', { id: curriculumId });
  return c.modules.find((m) => m.title === 'Risk management')!;
}

describe('module mastery', () => {
  it('measures the cards a module links by deck and tag prefix: reviewed share and mean recall', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const now = core.clock.now();
    const deck = await deckPath('Starter::Technical Project Management');
    const other = await deckPath('Elsewhere');
    const reviewedRisk = addCard(core, { deckId: deck, tags: ['tpm::risk'], state: 2, stability: 10, lastReview: now - 5 * DAY });
    addCard(core, { deckId: deck, tags: ['tpm::risk::responses'], state: 2, stability: 2, lastReview: now - 4 * DAY });
    addCard(core, { deckId: deck, tags: ['tpm::risk::responses'] }); // new, never reviewed
    addCard(core, { deckId: deck, tags: ['tpm::riskier'], state: 2, stability: 1, lastReview: now - 9 * DAY }); // not a child tag
    addCard(core, { deckId: other, tags: ['tpm::risk'], state: 2, stability: 1, lastReview: now }); // other deck
    addCard(core, { deckId: deck, tags: ['tpm::risk'], suspended: true }); // suspended: left out

    const c = await core.call('curricula.startTemplate', { templateKey: TPM, startDate: '2026-03-02' });
    const m = await riskModule(c.id);
    expect(m.links).toEqual([
      { id: expect.any(Number), deckId: deck, deckPath: 'Starter::Technical Project Management', tagPrefix: 'tpm::risk', resolved: true },
    ]);
    const expectedRecall = (retrievability(10, now - 5 * DAY, now)! + retrievability(2, now - 4 * DAY, now)!) / 2;
    expect(m.mastery.cards).toBe(3);
    expect(m.mastery.reviewed).toBe(2);
    expect(m.mastery.reviewedShare).toBeCloseTo(2 / 3);
    expect(m.mastery.meanRecall).toBeCloseTo(expectedRecall, 6);
    expect(m.mastery.ready).toBe(false);
    expect(reviewedRisk).toBeGreaterThan(0);

    // Thresholds come from settings.
    await core.call('settings.update', { masteryRecallThreshold: 0.5, masteryReviewedThreshold: 0.6 });
    expect((await riskModule(c.id)).mastery.ready).toBe(true);
  });

  it('asks once before marking a module done while mastery is low, then respects the choice', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const deck = await deckPath('Starter::Technical Project Management');
    addCard(core, { deckId: deck, tags: ['tpm::risk'] });
    addCard(core, { deckId: deck, tags: ['tpm::risk'] });
    const c = await core.call('curricula.startTemplate', { templateKey: TPM, startDate: '2026-03-02' });
    const m = await riskModule(c.id);

    const asked = await core.call('modules.setStatus', { id: m.id, status: 'done' });
    expect(asked.needsConfirmation).toBe(true);
    if (!asked.needsConfirmation) return;
    expect(asked.message).toContain('Risk management');
    expect(asked.message).toContain('0 of 2 cards reviewed');
    expect((await riskModule(c.id)).status).toBe('not_started'); // nothing changed

    const confirmed = await core.call('modules.setStatus', { id: m.id, status: 'done', confirm: true });
    expect(confirmed).toMatchObject({ needsConfirmation: false, module: { status: 'done', doneDespiteMastery: true } });

    // Reopened and closed again: the user already chose, so no second question.
    await core.call('modules.setStatus', { id: m.id, status: 'in_progress' });
    const again = await core.call('modules.setStatus', { id: m.id, status: 'done' });
    expect(again.needsConfirmation).toBe(false);
  });

  it('does not ask when the module is ready or links no cards', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const now = core.clock.now();
    const deck = await deckPath('Starter::Technical Project Management');
    addCard(core, { deckId: deck, tags: ['tpm::risk'], state: 2, stability: 100, lastReview: now - DAY });
    const c = await core.call('curricula.startTemplate', { templateKey: TPM, startDate: '2026-03-02' });
    const m = await riskModule(c.id);
    expect(m.mastery.ready).toBe(true);
    expect((await core.call('modules.setStatus', { id: m.id, status: 'done' })).needsConfirmation).toBe(false);
    const kanban = c.modules.find((x) => x.title === 'Kanban and Lean')!;
    expect(kanban.mastery).toEqual({ cards: 0, reviewed: 0, reviewedShare: null, meanRecall: null, ready: null, exam: null });
    expect((await core.call('modules.setStatus', { id: kanban.id, status: 'done' })).needsConfirmation).toBe(false);
  });

  it('resolves a deck link when the deck appears later, then follows the deck through a rename', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const c = await core.call('curricula.startTemplate', { templateKey: TPM, startDate: '2026-03-02' });
    let m = await riskModule(c.id);
    expect(m.links[0]).toMatchObject({ deckId: null, deckPath: 'Starter::Technical Project Management', resolved: false });
    expect(m.mastery.cards).toBe(0);

    const deck = await deckPath('starter::technical project management'); // case differs: still the same path
    addCard(core, { deckId: deck, tags: ['tpm::risk'] });
    m = await riskModule(c.id);
    expect(m.links[0]).toMatchObject({ deckId: deck, resolved: true });
    expect(m.mastery.cards).toBe(1);

    await core.call('decks.rename', { id: deck, name: 'TPM basics' });
    m = await riskModule(c.id);
    expect(m.links[0]).toMatchObject({ deckId: deck, deckPath: 'starter::TPM basics', resolved: true });
    expect(m.mastery.cards).toBe(1);
  });

  it('links and unlinks decks (subdecks included) and tags; overlapping links count each card once', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const parent = await deckPath('Course');
    const child = await deckPath('Course::Week 1');
    addCard(core, { deckId: parent, tags: ['scrum::events'] });
    addCard(core, { deckId: child, tags: ['scrum::events::daily-scrum'] });
    addCard(core, { deckId: child, tags: ['Scrum::Values'] });
    const elsewhere = await deckPath('Other');
    addCard(core, { deckId: elsewhere, tags: ['scrum::events'] });
    const c = await core.call('curricula.create', { name: 'Mine' });
    const m = await core.call('modules.create', { curriculumId: c.id, week: 1, title: 'Scrum', links: [{ deckId: parent }] });
    expect(m.mastery.cards).toBe(3);
    const withTag = await core.call('modules.link', { moduleId: m.id, tagPrefix: 'scrum::events' });
    expect(withTag.mastery.cards).toBe(4); // the Other deck's card joins; the overlap is not counted twice
    const caseless = await core.call('modules.link', { moduleId: m.id, tagPrefix: 'scrum::values' });
    expect(caseless.mastery.cards).toBe(4);
    const unlinked = await core.call('modules.unlink', { linkId: withTag.links[0]!.id });
    expect(unlinked.links.map((l) => l.tagPrefix)).toEqual(['scrum::events', 'scrum::values']);
    expect(unlinked.mastery.cards).toBe(4); // three scrum::events cards in any deck, one scrum::values
    const tagOnly = await core.call('modules.unlink', { linkId: unlinked.links[1]!.id });
    expect(tagOnly.mastery.cards).toBe(3);
    expect((await core.fail('modules.link', { moduleId: m.id, deckId: 999 })).code).toBe('not_found');
    expect((await core.fail('modules.unlink', { linkId: 999 })).code).toBe('not_found');
  });

  it('matches tag prefixes literally: "_" and "%" are not wildcards', async () => {
    core = await makeTestCore();
    await withoutStarterDecks(core);
    const deck = await deckPath('D');
    addCard(core, { deckId: deck, tags: ['a_b'] });
    addCard(core, { deckId: deck, tags: ['axb'] });
    const c = await core.call('curricula.create', { name: 'Mine' });
    const m = await core.call('modules.create', { curriculumId: c.id, week: 1, title: 'T', links: [{ tagPrefix: 'a_b' }] });
    expect(m.mastery.cards).toBe(1);
  });
});

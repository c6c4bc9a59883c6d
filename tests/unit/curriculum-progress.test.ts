import { afterEach, describe, expect, it } from 'vitest';
import { pace } from '../../electron/core/curriculum/pace';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const TPM = 'technical-project-management-12-weeks';

async function startTpm(startDate: string) {
  return core.call('curricula.startTemplate', { templateKey: TPM, startDate });
}

async function markDone(moduleId: number, date?: string) {
  const result = await core.call('modules.setStatus', { id: moduleId, status: 'done', confirm: true, ...(date ? { date } : {}) });
  if (result.needsConfirmation) throw new Error('expected the module to be marked done');
  return result.module;
}

describe('curriculum progress and pace', () => {
  it('starts the TPM template as twelve weekly modules, labelled as a template, all not started', async () => {
    core = await makeTestCore();
    const c = await startTpm('2026-03-02');
    expect(c.name).toBe('Technical Project Management — 12 weeks');
    expect(c.basis).toMatch(/template/i);
    expect(c.basis).toMatch(/not any school's official syllabus/);
    expect(c.modules).toHaveLength(12);
    expect(c.modules.map((m) => m.week)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(c.modules.every((m) => m.status === 'not_started')).toBe(true);
    expect(c.progress).toEqual({ done: 0, inProgress: 0, total: 12 });
    expect(c.modules[0]!.plannedBy).toBe('2026-03-08');
    expect(c.current?.title).toBe(c.modules[0]!.title);
    expect(c.next?.title).toBe(c.modules[1]!.title);
  });

  it('counts done modules and says how far behind or ahead of the plan the learner is', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-02T10:00:00');
    const c = await startTpm('2026-03-02');
    expect(c.pace).toMatchObject({ state: 'on_track', label: 'on track', currentWeek: 1, expectedDone: 0 });

    // Three weeks later (week 4), nothing done: weeks 1-3 are over.
    core.clock.set('2026-03-23T10:00:00');
    let now = await core.call('curricula.get', { id: c.id });
    expect(now.pace).toMatchObject({ state: 'behind', label: '3 modules behind', expectedDone: 3, currentWeek: 4 });

    await markDone(c.modules[0]!.id);
    const m2 = await core.call('modules.setStatus', { id: c.modules[1]!.id, status: 'in_progress' });
    expect(m2.needsConfirmation).toBe(false);
    now = await core.call('curricula.get', { id: c.id });
    expect(now.progress).toEqual({ done: 1, inProgress: 1, total: 12 });
    expect(now.pace.label).toBe('2 modules behind');
    expect(now.current?.id).toBe(c.modules[1]!.id);
    expect(now.next?.id).toBe(c.modules[2]!.id);

    for (const m of c.modules.slice(1, 4)) await markDone(m.id);
    now = await core.call('curricula.get', { id: c.id });
    expect(now.pace).toMatchObject({ state: 'ahead', label: '1 module ahead', delta: 1 });
  });

  it('says when the plan starts, and when it is finished', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-02T10:00:00');
    const c = await startTpm('2026-03-05');
    expect(c.pace).toMatchObject({ state: 'not_started', label: 'starts in 3 days', currentWeek: null });
    for (const m of c.modules) await markDone(m.id);
    const done = await core.call('curricula.get', { id: c.id });
    expect(done.pace.label).toBe('finished');
    expect(done.current).toBeNull();
    expect(done.progress.done).toBe(12);
  });

  it('dates status changes, keeps the start date when done, and clears both when reset', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-04T10:00:00');
    const c = await startTpm('2026-03-02');
    const id = c.modules[0]!.id;
    const started = await core.call('modules.setStatus', { id, status: 'in_progress' });
    expect(started).toMatchObject({ needsConfirmation: false, module: { startedOn: '2026-03-04', doneOn: null } });
    core.clock.set('2026-03-06T10:00:00');
    const done = await markDone(id);
    expect(done).toMatchObject({ status: 'done', startedOn: '2026-03-04', doneOn: '2026-03-06' });
    const backdated = await markDone(c.modules[1]!.id, '2026-03-05');
    expect(backdated).toMatchObject({ startedOn: '2026-03-05', doneOn: '2026-03-05' });
    const reset = await core.call('modules.setStatus', { id, status: 'not_started' });
    expect(reset).toMatchObject({ module: { status: 'not_started', startedOn: null, doneOn: null } });
    const future = await core.fail('modules.setStatus', { id, status: 'done', date: '2026-03-09', confirm: true });
    expect(future).toMatchObject({ code: 'invalid_input' });
    expect(future.message).toContain('future');
  });

  it('uses the study day: just after midnight still counts as the evening before', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T01:30:00'); // before the 04:00 rollover: study day 9 March
    const c = await startTpm('2026-03-02');
    const done = await markDone(c.modules[0]!.id);
    expect(done.doneOn).toBe('2026-03-09');
    await core.call('settings.update', { dayRolloverHour: 0 });
    const again = await markDone(c.modules[1]!.id);
    expect(again.doneOn).toBe('2026-03-10');
  });

  it('creates, edits, reorders and deletes its own curricula and modules', async () => {
    core = await makeTestCore();
    const mine = await core.call('curricula.create', { name: '  My track  ' });
    expect(mine).toMatchObject({ name: 'My track', startDate: null, modules: [], pace: { state: 'empty' } });
    const a = await core.call('modules.create', { curriculumId: mine.id, week: 1, title: 'Alpha', objectives: ['one'] });
    const b = await core.call('modules.create', {
      curriculumId: mine.id,
      week: 2,
      title: 'Beta',
      resources: [{ title: 'Guide', url: 'https://scrumguides.org/scrum-guide.html' }],
    });
    const updated = await core.call('modules.update', { id: a.id, title: 'Alpha 2', notes: 'read chapter 3' });
    expect(updated).toMatchObject({ title: 'Alpha 2', notes: 'read chapter 3', objectives: ['one'] });
    const reordered = await core.call('modules.reorder', { curriculumId: mine.id, ids: [b.id, a.id] });
    expect(reordered.modules.map((m) => m.title)).toEqual(['Beta', 'Alpha 2']);
    expect(reordered.pace.state).toBe('no_start_date');
    const dated = await core.call('curricula.update', { id: mine.id, startDate: '2026-03-02' });
    expect(dated.pace.state).toBe('on_track');

    const other = await core.call('curricula.create', { name: 'Second' });
    await core.call('curricula.reorder', { ids: [other.id, mine.id] });
    expect((await core.call('curricula.list')).curricula.map((c) => c.name)).toEqual(['Second', 'My track']);

    await core.call('modules.delete', { id: a.id });
    expect((await core.call('curricula.get', { id: mine.id })).modules.map((m) => m.title)).toEqual(['Beta']);
    await core.call('curricula.delete', { id: mine.id });
    expect((await core.fail('curricula.get', { id: mine.id })).code).toBe('not_found');
    expect(core.ctx.db.prepare('SELECT count(*) AS n FROM curriculum_modules').get()).toEqual({ n: 0 });
  });

  it('refuses bad input with a readable message and changes nothing', async () => {
    core = await makeTestCore();
    const c = await core.call('curricula.create', { name: 'Track' });
    const m = await core.call('modules.create', { curriculumId: c.id, week: 1, title: 'One' });
    expect((await core.fail('curricula.create', { name: '   ' })).message).toBe('Name must not be empty.');
    expect((await core.fail('curricula.startTemplate', { templateKey: TPM, startDate: '2026-02-30' })).message).toBe('Start date is not a real calendar date.');
    expect((await core.fail('curricula.startTemplate', { templateKey: 'nope', startDate: '2026-03-02' })).code).toBe('not_found');
    expect((await core.fail('modules.create', { curriculumId: c.id, week: 0, title: 'x' })).message).toContain('Week must be 1 or more.');
    expect(
      (await core.fail('modules.create', { curriculumId: c.id, week: 1, title: 'x', resources: [{ title: 'x', url: 'javascript:alert(1)' }] }))
        .message,
    ).toContain('Web address must be a web address starting with https://');
    expect((await core.fail('modules.update', { id: m.id, week: 2.5 })).message).toBe('Week must be a whole number.');
    expect((await core.fail('modules.setStatus', { id: m.id, status: 'finished' })).code).toBe('invalid_input');
    expect((await core.fail('modules.reorder', { curriculumId: c.id, ids: [m.id, m.id] })).message).toContain('exactly once');
    expect((await core.fail('modules.create', { curriculumId: 999, week: 1, title: 'x' })).code).toBe('not_found');
    expect((await core.fail('modules.link', { moduleId: m.id })).message).toContain('must name a deck, a tag or both');
    expect((await core.fail('modules.link', { moduleId: m.id, tagPrefix: 'two words' })).message).toBe('Tag must be one tag without spaces.');
    const after = await core.call('curricula.get', { id: c.id });
    expect(after.modules).toHaveLength(1);
    expect(after.modules[0]).toMatchObject({ week: 1, title: 'One', links: [] });
  });
});

describe('pace (pure)', () => {
  const modules = (statuses: string[]) => statuses.map((s, i) => ({ week: i + 1, status: s as 'done' | 'not_started' }));

  it('expects a module done once its planned week is over', () => {
    // Start Monday 2 March; week 1 ends Sunday 8 March.
    expect(pace(modules(['not_started', 'not_started']), '2026-03-02', '2026-03-08').expectedDone).toBe(0);
    expect(pace(modules(['not_started', 'not_started']), '2026-03-02', '2026-03-09')).toMatchObject({
      expectedDone: 1,
      label: '1 module behind',
    });
    expect(pace(modules(['done', 'done']), '2026-03-02', '2026-03-09').label).toBe('finished');
    expect(pace(modules(['done', 'not_started', 'not_started']), '2026-03-02', '2026-03-03').label).toBe('1 module ahead');
    expect(pace([], '2026-03-02', '2026-03-03').state).toBe('empty');
    expect(pace(modules(['done', 'not_started']), null, '2026-03-03').label).toBe('1 of 2 done');
    expect(pace(modules(['not_started']), '2026-03-03', '2026-03-02').label).toBe('starts tomorrow');
  });
});

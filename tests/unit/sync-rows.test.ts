// Presets (with FSRS parameters), custom note types and their notes, curricula with module progress, and
// mentor check-ins between two Cadence collections, through a real CouchDB-protocol server.
import { describe, expect, it } from 'vitest';
import { syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('rows');
const machine = suite.machine;
async function twoMachines() {
  return { target: await suite.target(), a: await machine(), b: await machine() };
}
async function syncAll(target: Awaited<ReturnType<typeof suite.target>>, ...machines: Machine[]) {
  for (const m of [...machines, machines[0]!]) await m.sync.syncNow(target);
}

const PARAMS = [0.41, 1.2, 3.1, 15.5, 7.2, 0.5, 1.5, 0.01, 1.5, 0.12, 1.0, 1.9, 0.11, 0.3, 2.3, 0.25, 2.9, 0.5, 0.66, 0.1, 0.2];

function presetsOn(m: Machine) {
  return m.core.ctx.db.prepare('SELECT name, desired_retention, new_per_day, fsrs_params FROM presets ORDER BY name').all();
}
function idOfName(m: Machine, table: string, column: string, value: string): number {
  return m.core.ctx.db.prepare(`SELECT id FROM ${table} WHERE ${column} = ?`).pluck().get(value) as number;
}

describe('presets between two machines', () => {
  it(
    'brings a preset with its FSRS parameters, and the decks using it, to the other machine',
    async () => {
      const { target, a, b } = await twoMachines();
      const preset = await a.core.call('presets.create', { name: 'Exam cram' });
      await a.core.call('presets.update', { id: preset.id, desiredRetention: 0.95, newPerDay: 40 });
      a.core.ctx.db.prepare('UPDATE presets SET fsrs_params = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(PARAMS), a.core.clock.now(), preset.id);
      const deck = await a.core.call('decks.create', { name: 'PMP' });
      await a.core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
      await a.core.call('presets.update', { id: 1, reviewsPerDay: 500 });
      await syncAll(target, a, b);

      expect(presetsOn(b)).toEqual(presetsOn(a));
      expect(JSON.parse((presetsOn(b)[1] as { fsrs_params: string }).fsrs_params)).toEqual(PARAMS);
      const deckOnB = (await b.core.call('decks.list')).decks.find((d) => d.name === 'PMP')!;
      expect(b.core.ctx.db.prepare('SELECT p.name FROM decks d JOIN presets p ON p.id = d.preset_id WHERE d.id = ?').pluck().get(deckOnB.id)).toBe('Exam cram');
      expect((await b.core.call('presets.get', { id: 1 })).reviewsPerDay).toBe(500);
    },
    60_000,
  );

  it(
    'resolves a preset edited on both to the newest edit and lists the other; a deleted preset sends its decks back to Default',
    async () => {
      const { target, a, b } = await twoMachines();
      const preset = await a.core.call('presets.create', { name: 'Light' });
      const deck = await a.core.call('decks.create', { name: 'Scrum' });
      await a.core.call('decks.setPreset', { id: deck.id, presetId: preset.id });
      await syncAll(target, a, b);
      const onB = idOfName(b, 'presets', 'name', 'Light');

      a.core.clock.set('2026-03-05T10:00:00Z');
      await a.core.call('presets.update', { id: preset.id, newPerDay: 5 });
      b.core.clock.set('2026-03-05T11:00:00Z');
      await b.core.call('presets.update', { id: onB, newPerDay: 7 });
      await syncAll(target, a, b);
      for (const m of [a, b]) {
        expect((await m.core.call('presets.get', { id: idOfName(m, 'presets', 'name', 'Light') })).newPerDay).toBe(7);
        expect(m.sync.store.conflicts().map((c) => c.label)).toEqual(['Preset “Light”']);
      }

      b.core.clock.set('2026-03-05T12:00:00Z');
      await b.core.call('presets.delete', { id: onB });
      await syncAll(target, b, a);
      for (const m of [a, b]) {
        expect(presetsOn(m).map((p) => (p as { name: string }).name)).toEqual(['Default']);
        expect(m.core.ctx.db.prepare("SELECT preset_id FROM decks WHERE name = 'Scrum'").pluck().get()).toBe(1);
      }
    },
    60_000,
  );
});

describe('custom note types between two machines', () => {
  it(
    'brings a custom note type before the notes that use it, with their cards',
    async () => {
      const { target, a, b } = await twoMachines();
      const now = a.core.clock.now();
      const templates = [
        { name: 'Term → meaning', front: '{{Term}}', back: '{{FrontSide}}<hr>{{Meaning}}' },
        { name: 'Meaning → term', front: '{{Meaning}}', back: '{{FrontSide}}<hr>{{Term}}' },
      ];
      // Made as an Anki import makes it.
      const typeId = Number(
        a.core.ctx.db
          .prepare(`INSERT INTO note_types (name, kind, fields, templates, css, source_key, created_at, updated_at) VALUES (?, 'custom', ?, ?, ?, 'anki:123', ?, ?)`)
          .run('Glossary', JSON.stringify(['Term', 'Meaning']), JSON.stringify(templates), '.card { color: navy }', now, now).lastInsertRowid,
      );
      const deck = await a.core.call('decks.create', { name: 'Glossary' });
      await a.core.call('notes.create', { noteTypeId: typeId, deckId: deck.id, fields: ['Increment', 'A usable step toward the Product Goal'] });
      await syncAll(target, a, b);

      const onB = b.core.ctx.db
        .prepare(`SELECT t.name, t.kind, t.fields, t.templates, t.css, n.fields AS noteFields, (SELECT count(*) FROM cards c WHERE c.note_id = n.id) AS cards
                    FROM notes n JOIN note_types t ON t.id = n.note_type_id`)
        .all();
      expect(onB).toEqual([
        {
          name: 'Glossary',
          kind: 'custom',
          fields: '["Term","Meaning"]',
          templates: JSON.stringify(templates),
          css: '.card { color: navy }',
          noteFields: JSON.stringify(['Increment', 'A usable step toward the Product Goal']),
          cards: 2,
        },
      ]);
    },
    60_000,
  );

  it(
    'knows the stock note types by the same id on both machines, whatever their local number',
    async () => {
      const { target, a, b } = await twoMachines();
      // On B an older import took the number the stock "type in the answer" type has on A.
      b.core.ctx.db.exec(`UPDATE note_types SET id = 40 WHERE source_key = 'cadence:basic-type-answer'`);
      const typesOnB = b.core.ctx.db.prepare('SELECT count(*) FROM note_types').pluck().get();
      const typeAnswer = a.core.ctx.db.prepare(`SELECT id FROM note_types WHERE source_key = 'cadence:basic-type-answer'`).pluck().get() as number;
      const deck = await a.core.call('decks.create', { name: 'Terms' });
      await a.core.call('notes.create', { noteTypeId: typeAnswer, deckId: deck.id, fields: ['Who owns the Product Backlog?', 'The Product Owner'] });
      await syncAll(target, a, b);
      expect(b.core.ctx.db.prepare('SELECT note_type_id FROM notes').pluck().all()).toEqual([40]);
      // No copy of it was made: B has the same note types as before.
      expect(b.core.ctx.db.prepare('SELECT count(*) FROM note_types').pluck().get()).toBe(typesOnB);
      for (const m of [a, b]) expect(m.sync.store.conflicts()).toEqual([]);
    },
    60_000,
  );
});

describe('curriculum progress and check-ins between two machines', () => {
  it(
    'brings curricula, their modules and progress, and the check-in log and schedule to the other machine',
    async () => {
      const { target, a, b } = await twoMachines();
      const cur = await a.core.call('curricula.create', { name: 'PM bootcamp', description: '', startDate: '2026-03-02' });
      const fields = { description: '', objectives: [], resources: [], notes: '' };
      await a.core.call('modules.create', { curriculumId: cur.id, week: 1, title: 'Scrum roles', ...fields });
      await a.core.call('modules.create', { curriculumId: cur.id, week: 2, title: 'Estimation', ...fields });
      const roles = idOfName(a, 'curriculum_modules', 'title', 'Scrum roles');
      await a.core.call('modules.setStatus', { id: roles, status: 'done', confirm: true });
      const deck = await a.core.call('decks.create', { name: 'Scrum' });
      await a.core.call('modules.link', { moduleId: roles, deckId: deck.id });
      await a.core.call('modules.link', { moduleId: roles, deckPath: 'Kanban::Flow', tagPrefix: 'kanban' });
      await a.core.call('exams.overview');
      await b.core.call('exams.overview');
      await a.core.call('modules.linkExamTopic', { moduleId: roles, topic: 'scrum-events' });
      await a.core.call('checkins.setSchedule', { cadence: 'weekly', weekday: 3, time: '17:30', firstDate: '2026-03-04', mentor: 'Dana', curriculumId: cur.id, remindMinutesBefore: 30 });
      await a.core.call('checkins.log', { notes: 'Talked about story points', curriculumId: cur.id });
      await syncAll(target, a, b);

      const curOnB = (await b.core.call('curricula.list')).curricula[0]!;
      const detail = await b.core.call('curricula.get', { id: curOnB.id });
      expect(detail.name).toBe('PM bootcamp');
      expect(detail.modules.map((m) => [m.title, m.status])).toEqual([
        ['Scrum roles', 'done'],
        ['Estimation', 'not_started'],
      ]);
      const rolesOnB = detail.modules.find((m) => m.title === 'Scrum roles')!;
      expect(rolesOnB.links.map((l) => [l.deckPath, l.tagPrefix, l.resolved])).toEqual([
        ['Scrum', null, true],
        ['Kanban::Flow', 'kanban', false],
      ]);
      expect(rolesOnB.examTopics).toEqual(['scrum-events']);
      const checkins = await b.core.call('checkins.get');
      expect(checkins.schedule).toMatchObject({ weekday: 3, time: '17:30', mentor: 'Dana', curriculumId: curOnB.id, remindMinutesBefore: 30 });
      expect(checkins.log.map((e) => [e.notes, e.curriculumId])).toEqual([['Talked about story points', curOnB.id]]);
    },
    60_000,
  );

  it(
    'resolves a module marked on both machines to the newest, and takes a deleted curriculum off both with its modules',
    async () => {
      const { target, a, b } = await twoMachines();
      const cur = await a.core.call('curricula.create', { name: 'Agile basics', description: '', startDate: null });
      const fields = { description: '', objectives: [], resources: [], notes: '' };
      await a.core.call('modules.create', { curriculumId: cur.id, week: 1, title: 'Kanban', ...fields });
      await syncAll(target, a, b);
      a.core.clock.set('2026-03-05T10:00:00Z');
      await a.core.call('modules.setStatus', { id: idOfName(a, 'curriculum_modules', 'title', 'Kanban'), status: 'in_progress' });
      b.core.clock.set('2026-03-05T11:00:00Z');
      await b.core.call('modules.setStatus', { id: idOfName(b, 'curriculum_modules', 'title', 'Kanban'), status: 'done', confirm: true });
      await syncAll(target, a, b);
      for (const m of [a, b]) {
        expect(m.core.ctx.db.prepare("SELECT status FROM curriculum_modules WHERE title = 'Kanban'").pluck().get()).toBe('done');
        expect(m.sync.store.conflicts().map((c) => c.label)).toEqual(['Module “Kanban”']);
      }

      a.core.clock.set('2026-03-05T12:00:00Z');
      await a.core.call('curricula.delete', { id: cur.id });
      await syncAll(target, a, b);
      for (const m of [a, b]) {
        expect((await m.core.call('curricula.list')).curricula).toEqual([]);
        expect(m.core.ctx.db.prepare('SELECT count(*) FROM curriculum_modules').pluck().get()).toBe(0);
      }
    },
    60_000,
  );
});

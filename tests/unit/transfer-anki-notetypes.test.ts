// Re-importing a deck whose author changed a note type, as Anki's current importer treats it: a design
// with the same fields and cards updates (the notes stay, with their cards and review history); one
// whose fields changed is asked about, and then moved or kept as the user says, never skipped silently.
import { afterEach, describe, expect, it } from 'vitest';
import { renderCard } from '../../shared/cardRender';
import { makeTestCore, type TestCore } from './testCore';
import { NT, legacyPackage, modernPackage, sampleCollection, type FxCollection } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

async function stage(bytes: Uint8Array) {
  return (await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(bytes) })).stagedId;
}
async function importPackage(bytes: Uint8Array, noteTypeChanges?: 'ask' | 'newType' | 'skip') {
  return core.call('import.anki', { stagedId: await stage(bytes), jobId: 'nt', ...(noteTypeChanges ? { noteTypeChanges } : {}) });
}

const db = () => core.ctx.db;
function noteOf(guid: string) {
  return db().prepare('SELECT n.id, n.fields, n.note_type_id, t.name AS type, t.kind, t.templates, t.css FROM notes n JOIN note_types t ON t.id = n.note_type_id WHERE guid = ?').get(guid) as {
    id: number;
    fields: string;
    note_type_id: number;
    type: string;
    kind: string;
    templates: string;
    css: string;
  };
}
/** Every card of the sample's notes with its schedule, and every review row: what must survive. */
function scheduleAndHistory() {
  const cards = db()
    .prepare(
      `SELECT n.guid, c.ord, c.deck_id, c.state, c.due, c.stability, c.difficulty, c.reps, c.lapses, c.last_review, c.suspended
         FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid LIKE 'g%' ORDER BY n.guid, c.ord`,
    )
    .all();
  const reviews = db()
    .prepare("SELECT r.* FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.guid LIKE 'g%' ORDER BY r.id")
    .all();
  return { cards, reviews };
}

/** The sample with its Basic note type's card design changed by the author a day later. */
function withChangedBasic(): FxCollection {
  const col = sampleCollection();
  const basic = col.noteTypes.find((t) => t.id === NT.basic)!;
  basic.templates[0] = { name: 'Card 1', qfmt: '<div class="prompt">{{Front}}</div>', afmt: '{{FrontSide}}<hr id=answer><div class="reply">{{Back}}</div>' };
  basic.css = '.prompt { font-size: 2em; }';
  basic.mtime = Math.floor(new Date('2026-02-01T00:00:00Z').getTime() / 1000);
  return col;
}

describe('note type updates on re-import', () => {
  it('a changed template of a note type mapped onto Basic updates the notes and keeps cards and history', async () => {
    core = await makeTestCore();
    await importPackage(legacyPackage(sampleCollection()));
    expect(noteOf('gSprint01').note_type_id).toBe(1);
    const before = scheduleAndHistory();

    const summary = await importPackage(modernPackage(withChangedBasic()));
    // The four Basic notes follow the new design; nothing is skipped or duplicated.
    expect(summary.notes).toEqual({ added: 0, updated: 4, unchanged: 3, skipped: 0 });
    expect(summary.skipped).toEqual([]);
    expect(summary.noteTypesUpdated).toEqual(['Basic']);
    expect(summary.noteTypesAdded).toEqual([]);
    const sprint = noteOf('gSprint01');
    expect(sprint.kind).toBe('custom');
    // Named apart from Cadence's own Basic, as Anki keeps note type names unique.
    expect(sprint.type).toBe('Basic (imported)');
    expect(JSON.parse(sprint.templates)[0].front).toBe('<div class="prompt">{{Front}}</div>');
    expect(sprint.css).toBe('.prompt { font-size: 2em; }');
    // Every note of the type uses the one new design; no unused copy is left behind.
    const used = db().prepare("SELECT count(*) AS n FROM note_types t WHERE kind = 'custom' AND source_key NOT LIKE 'cadence:%' AND NOT EXISTS (SELECT 1 FROM notes WHERE note_type_id = t.id)").get() as { n: number };
    expect(used.n).toBe(0);
    expect(scheduleAndHistory()).toEqual(before);

    // The card shows the new design.
    const type = (await core.call('noteTypes.list', undefined)).noteTypes.find((t) => t.id === sprint.note_type_id)!;
    expect(renderCard(type, JSON.parse(sprint.fields) as string[], 0).question).toBe('<div class="prompt">What is a sprint?</div>');

    // Importing the same file again changes nothing, also from a file whose designs carry no time.
    const again = await importPackage(modernPackage(withChangedBasic()));
    expect(again.notes).toEqual({ added: 0, updated: 0, unchanged: 7, skipped: 0 });
    expect(again.noteTypesUpdated).toEqual([]);
    const undated = withChangedBasic();
    undated.noteTypes.forEach((t) => (t.mtime = 0));
    expect((await importPackage(legacyPackage(undated))).noteTypesUpdated).toEqual([]);
    expect(noteOf('gSprint01').type).toBe('Basic (imported)');
  });

  it("a custom note type's changed templates and CSS update it when the file's design is newer (Anki's diffmodeltemplates case)", async () => {
    core = await makeTestCore();
    const first = sampleCollection();
    first.noteTypes.find((t) => t.id === NT.custom)!.mtime = 1_767_000_000;
    await importPackage(legacyPackage(first));
    const before = scheduleAndHistory();

    const changed = sampleCollection();
    const term = changed.noteTypes.find((t) => t.id === NT.custom)!;
    term.templates[0]!.qfmt = '<h1>{{Term}}</h1>';
    term.css = '.card { color: teal; }';
    term.mtime = 1_767_100_000;
    const summary = await importPackage(legacyPackage(changed));
    expect(summary.noteTypesUpdated).toEqual(['PM Term']);
    expect(summary.noteTypesAdded).toEqual([]);
    expect(summary.notes).toMatchObject({ updated: 0, skipped: 0 });
    const okr = noteOf('gOkr0005');
    expect(JSON.parse(okr.templates)[0].front).toBe('<h1>{{Term}}</h1>');
    expect(okr.css).toBe('.card { color: teal; }');
    expect(scheduleAndHistory()).toEqual(before);

    // An older copy of the design does not undo the newer one.
    const older = sampleCollection();
    const old = older.noteTypes.find((t) => t.id === NT.custom)!;
    old.templates[0]!.qfmt = '<h2>{{Term}}</h2>';
    old.mtime = 1_767_050_000;
    expect((await importPackage(legacyPackage(older))).noteTypesUpdated).toEqual([]);
    expect(JSON.parse(noteOf('gOkr0005').templates)[0].front).toBe('<h1>{{Term}}</h1>');
  });

  describe('a note type whose fields changed', () => {
    function withExtraField(): FxCollection {
      const col = sampleCollection();
      const term = col.noteTypes.find((t) => t.id === NT.custom)!;
      term.fields = ['Term', 'Definition', 'Example', 'Source'];
      term.templates[1]!.afmt += '<p>{{Source}}</p>';
      term.mtime = 1_767_200_000;
      const okr = col.notes.find((n) => n.guid === 'gOkr0005')!;
      okr.fields = ['OKR', 'Objectives and Key Results', 'Company-level goals', 'Measure What Matters'];
      okr.mod += 60;
      return col;
    }

    it('asks before importing, naming the note type and what changed, and changes nothing', async () => {
      core = await makeTestCore();
      await importPackage(legacyPackage(sampleCollection()));
      const before = { notes: db().prepare('SELECT * FROM notes ORDER BY id').all(), types: db().prepare('SELECT * FROM note_types ORDER BY id').all(), ...scheduleAndHistory() };
      const stagedId = await stage(legacyPackage(withExtraField()));
      const err = await core.fail('import.anki', { stagedId, jobId: 'ask' });
      expect(err.code).toBe('conflict');
      expect(err.message).toContain('"PM Term" (1 note here)');
      expect(err.message).toContain('Term, Definition, Example, Source');
      expect(err.message).toMatch(/new note type.*skip them/);
      expect({ notes: db().prepare('SELECT * FROM notes ORDER BY id').all(), types: db().prepare('SELECT * FROM note_types ORDER BY id').all(), ...scheduleAndHistory() }).toEqual(before);
      // The file is kept for the answer.
      const answered = await core.call('import.anki', { stagedId, jobId: 'answer', noteTypeChanges: 'skip' });
      expect(answered.notes.skipped).toBe(1);
      expect(answered.skipped[0]!.reason).toContain('changed the design of its note type "PM Term"');
      expect(JSON.parse(noteOf('gOkr0005').fields)).toEqual(['OKR', 'Objectives and Key Results', 'Company-level goals']);
    });

    it('imported as a new note type, the note moves to it with its cards and review history', async () => {
      core = await makeTestCore();
      await importPackage(legacyPackage(sampleCollection()));
      const before = scheduleAndHistory();
      const summary = await importPackage(legacyPackage(withExtraField()), 'newType');
      expect(summary.notes).toMatchObject({ updated: 1, skipped: 0 });
      expect(summary.noteTypesUpdated).toEqual(['PM Term']);
      expect(summary.noteTypesAdded).toEqual([]);
      const okr = noteOf('gOkr0005');
      expect(JSON.parse(okr.fields)).toEqual(['OKR', 'Objectives and Key Results', 'Company-level goals', 'Measure What Matters']);
      expect(JSON.parse(okr.templates)[1].back).toContain('{{Source}}');
      expect(scheduleAndHistory()).toEqual(before);
    });
  });
});

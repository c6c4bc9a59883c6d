import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';
import { CRT, MP3, NT, PNG, legacyPackage, modernPackage, sampleCollection, type FxCollection } from './transfer-fixtures';
import type { SchedulingRow } from '../../electron/core/flashcards/scheduler';

let core: TestCore;
afterEach(() => core?.close());

const sha = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');
const day = (n: number) => (CRT + n * 86_400) * 1000;

async function importPackage(bytes: Uint8Array, name = 'deck.apkg', jobId = 'job-1') {
  const { stagedId } = await core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
  return core.call('import.anki', { stagedId, jobId });
}

interface NoteRow {
  id: number;
  guid: string;
  note_type_id: number;
  fields: string;
  tags: string;
}
/** A card row: its scheduling columns and the rest this test reads. */
interface CardRow extends SchedulingRow {
  id: number;
  ord: number;
  deck_id: number;
  new_position: number;
  suspended: number;
  buried_day: number | null;
}

function note(guid: string): NoteRow {
  return core.ctx.db.prepare('SELECT id, guid, note_type_id, fields, tags FROM notes WHERE guid = ?').get(guid) as NoteRow;
}
function cards(guid: string): CardRow[] {
  return core.ctx.db
    .prepare('SELECT c.* FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.guid = ? ORDER BY c.ord')
    .all(guid) as CardRow[];
}
function pathOf(id: number): string {
  const names: string[] = [];
  for (let cur: number | null = id; cur !== null; ) {
    const row = core.ctx.db.prepare('SELECT name, parent_id FROM decks WHERE id = ?').get(cur) as { name: string; parent_id: number | null };
    names.unshift(row.name);
    cur = row.parent_id;
  }
  return names.join('::');
}

function checkSampleImported(col: FxCollection) {
  const db = core.ctx.db;
  // Decks keep their hierarchy; the filtered deck is not copied (its card went home).
  const decks = (db.prepare('SELECT id FROM decks').all() as { id: number }[]).map((d) => pathOf(d.id));
  expect(decks.filter((p) => p.startsWith('PM')).sort()).toEqual(['PM', 'PM::Agile', 'PM::Agile::Scrum']);
  expect(decks).not.toContain('Filtered Deck 1');

  // Media: stored under content hashes, recorded with their original names.
  const png = `${sha(PNG)}.png`;
  const mp3 = `${sha(MP3)}.mp3`;
  for (const m of col.media) {
    const stored = `${sha(m.bytes)}.${m.name.split('.').pop()}`;
    expect(fs.readFileSync(path.join(core.ctx.paths.mediaDir, stored))).toEqual(Buffer.from(m.bytes));
  }
  const media = db.prepare('SELECT name, original_name FROM media ORDER BY original_name').all();
  expect(media).toEqual(
    expect.arrayContaining([
      { name: png, original_name: 'scrum.png' },
      { name: mp3, original_name: 'bell.mp3' },
    ]),
  );

  // Basic note: built-in type, fields with the picture pointing at the stored file, tags kept.
  const sprint = note('gSprint01');
  expect(sprint.note_type_id).toBe(1);
  expect(JSON.parse(sprint.fields)).toEqual(['What is a sprint?', `A time-box of one month or less <img src="media/${png}">`]);
  expect(sprint.tags).toBe(' scrum agile::events ');
  const [sprintCard] = cards('gSprint01');
  expect(pathOf(sprintCard!.deck_id)).toBe('PM::Agile::Scrum');
  expect(sprintCard).toMatchObject({ ord: 0, state: 2, due: day(62), scheduled_days: 20, reps: 3, lapses: 0, suspended: 0 });
  // Memory state derived from the three answers by replaying them through FSRS.
  expect(sprintCard!.stability).toBeGreaterThan(1);
  expect(sprintCard!.difficulty).toBeGreaterThan(1);
  expect(sprintCard!.last_review).toBe(new Date('2026-02-12T09:00:00').getTime());

  // Sound becomes a player; the suspended card stays suspended.
  const backlog = note('gBacklog2');
  expect(JSON.parse(backlog.fields)[1]).toBe(`The Product Owner <audio controls preload="none" src="media/${mp3}"></audio>`);
  expect(cards('gBacklog2')[0]).toMatchObject({ state: 2, suspended: 1, due: day(70), reps: 4, lapses: 1 });

  // Reversed: two cards, one new and one learning (due at the exact second Anki had).
  const veloc = cards('gVeloc03');
  expect(note('gVeloc03').note_type_id).toBe(2);
  expect(veloc.map((c) => [c.ord, c.state])).toEqual([
    [0, 0],
    [1, 1],
  ]);
  expect(veloc[1]!.due).toBe(new Date('2026-03-02T10:30:00').getTime());
  expect(veloc[1]!.learning_steps).toBe(1);
  expect(pathOf(veloc[0]!.deck_id)).toBe('PM::Agile');

  // Cloze: built-in type, one card per cloze number; the buried one is hidden for today only.
  expect(note('gCloze04').note_type_id).toBe(3);
  const cloze = cards('gCloze04');
  expect(cloze.map((c) => c.ord)).toEqual([0, 1]);
  expect(cloze[0]!.buried_day).toBeNull();
  expect(cloze[1]!.buried_day).not.toBeNull();

  // Custom note type: its own fields, templates (media rewritten) and CSS.
  const okr = note('gOkr0005');
  const type = db.prepare('SELECT name, kind, fields, templates, css, source_key FROM note_types WHERE id = ?').get(okr.note_type_id) as {
    name: string;
    kind: string;
    fields: string;
    templates: string;
    css: string;
    source_key: string;
  };
  expect(type).toMatchObject({ name: 'PM Term', kind: 'custom' });
  expect(JSON.parse(type.fields)).toEqual(['Term', 'Definition', 'Example']);
  expect(JSON.parse(type.templates).map((t: { name: string }) => t.name)).toEqual(['Recognise', 'Recall']);
  expect(type.css).toContain(`url("media/${sha(col.media[2]!.bytes)}.png")`);
  expect(type.source_key).toMatch(new RegExp(`^anki:${NT.custom}:`));
  expect(cards('gOkr0005').map((c) => [c.ord, c.state])).toEqual([
    [0, 0],
    [1, 0],
  ]);

  // FSRS state kept by Anki wins over the replay.
  expect(cards('gKanban6')[0]).toMatchObject({ state: 2, stability: 12.5, difficulty: 6.2, due: day(65), last_review: new Date('2026-02-22T09:00:00').getTime() });

  // A card from a filtered deck is back in its home deck at its home due date.
  const filtered = cards('gFilter7')[0]!;
  expect(pathOf(filtered.deck_id)).toBe('PM::Agile');
  expect(filtered.due).toBe(day(64));

  // New cards come in Anki's order, siblings sharing a position.
  const okrPos = cards('gOkr0005')[0]!.new_position;
  expect(cards('gOkr0005')[1]!.new_position).toBe(okrPos);
  expect(cloze[0]!.new_position).toBeGreaterThan(okrPos);
  expect(veloc[0]!.new_position).toBeGreaterThan(cloze[0]!.new_position);

  // Review history: every Anki entry, with the state before and after.
  const history = db
    .prepare(
      `SELECT r.rating, r.state_before, r.state_after, r.reviewed_at, r.duration_ms, r.stability_after FROM revlog r
        JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.guid = 'gSprint01' ORDER BY r.reviewed_at`,
    )
    .all() as { rating: number; state_before: number; state_after: number; reviewed_at: number; duration_ms: number; stability_after: number }[];
  expect(history.map((h) => h.rating)).toEqual([3, 3, 3]);
  expect(history[0]!.state_before).toBe(0);
  expect(history[2]!.state_after).toBe(2);
  expect(history[2]!.duration_ms).toBe(4000);
  expect(sprintCard!.stability).toBeCloseTo(history[2]!.stability_after, 6);
  const imported = db.prepare("SELECT count(*) AS n FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.guid LIKE 'g%'");
  expect((imported.get() as { n: number }).n).toBe(col.revlog.length);
}

describe('Anki package import', () => {
  it('imports a legacy package (collection.anki21) completely', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const summary = await importPackage(legacyPackage(col));
    expect(summary.source).toContain('legacy');
    expect(summary.notes).toEqual({ added: 7, updated: 0, unchanged: 0, skipped: 0 });
    expect(summary.cardsAdded).toBe(10);
    expect(summary.reviewsAdded).toBe(9);
    expect(summary.media).toEqual({ added: 3, alreadyPresent: 0 });
    expect(summary.noteTypesAdded).toEqual(['PM Term']);
    expect(summary.decks).toEqual(['PM', 'PM::Agile', 'PM::Agile::Scrum']);
    expect(summary.warnings.join(' ')).toContain('filtered');
    checkSampleImported(col);
  });

  it('imports a legacy package named collection.anki2', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const summary = await importPackage(legacyPackage(col, 'collection.anki2'));
    expect(summary.notes.added).toBe(7);
    checkSampleImported(col);
  });

  it('imports a current-format package (zstd, protobuf, schema 18), not its placeholder collection', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const summary = await importPackage(modernPackage(col));
    expect(summary.source).toContain('current');
    expect(summary.notes.added).toBe(7);
    expect(summary.reviewsAdded).toBe(9);
    checkSampleImported(col);
  });

  it('reports progress while importing and says what changed', async () => {
    core = await makeTestCore();
    await importPackage(modernPackage(sampleCollection()), 'deck.apkg', 'progress-job');
    const progress = core.events.filter((e) => e.name === 'transfer.progress').map((e) => e.payload as { jobId: string; phase: string });
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((p) => p.jobId === 'progress-job')).toBe(true);
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['reading', 'media', 'scheduling', 'writing']));
    expect(core.events.some((e) => e.name === 'data.changed')).toBe(true);
  });

  it('re-importing the same package updates by id instead of duplicating', async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    await importPackage(legacyPackage(col));
    const again = await importPackage(legacyPackage(col));
    expect(again.notes).toEqual({ added: 0, updated: 0, unchanged: 7, skipped: 0 });
    expect(again.cardsAdded).toBe(0);
    expect(again.reviewsAdded).toBe(0);
    expect(again.media).toEqual({ added: 0, alreadyPresent: 3 });
    expect(again.noteTypesAdded).toEqual([]);
    expect((core.ctx.db.prepare("SELECT count(*) AS n FROM notes WHERE guid NOT LIKE 'starter:%'").get() as { n: number }).n).toBe(7);
    expect((core.ctx.db.prepare("SELECT count(*) AS n FROM note_types WHERE kind = 'custom' AND source_key NOT LIKE 'cadence:%'").get() as { n: number }).n).toBe(1);

    // A newer copy of one note updates it; its cards keep their schedule.
    const before = cards('gSprint01')[0]!;
    const changed = sampleCollection();
    changed.notes[0]!.fields[1] = 'A time-box of at most one month';
    changed.notes[0]!.mod += 3600;
    changed.cards[0]!.due = 99;
    const third = await importPackage(modernPackage(changed));
    expect(third.notes).toEqual({ added: 0, updated: 1, unchanged: 6, skipped: 0 });
    expect(JSON.parse(note('gSprint01').fields)[1]).toBe('A time-box of at most one month');
    expect(cards('gSprint01')[0]).toEqual(before);
  });

  it('keeps a note edited here more recently than the file, and says so', async () => {
    core = await makeTestCore();
    await importPackage(legacyPackage(sampleCollection()));
    core.ctx.db.prepare("UPDATE notes SET fields = '[\"Edited\",\"here\"]', updated_at = ? WHERE guid = 'gSprint01'").run(Date.now() + 1000);
    const again = await importPackage(legacyPackage(sampleCollection()));
    expect(again.notes.skipped).toBe(1);
    expect(again.skipped[0]!.reason).toContain('changed more recently');
    expect(JSON.parse(note('gSprint01').fields)).toEqual(['Edited', 'here']);
  });

  it("reads Anki's first scheduler: a relearning card kept as a review in the learning queue", async () => {
    core = await makeTestCore();
    const col = sampleCollection();
    const due = new Date('2026-03-02T10:40:00').getTime();
    Object.assign(col.cards[0]!, { type: 2, queue: 1, due: due / 1000, left: 1 });
    await importPackage(legacyPackage(col, 'collection.anki2'));
    expect(cards('gSprint01')[0]).toMatchObject({ state: 3, due, learning_steps: 0, suspended: 0 });
  });
});

// Sync's harder cases between two Cadence collections through a real CouchDB-protocol server: a note
// type that gained a card template elsewhere, a deletion made offline long before it was sent, a deleted
// row's number taken by the next row for the newer record kinds, and the status before the first sync
// and after a restart.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deckWithNotes, makeTestCore } from './testCore';
import { syncSuite, type Machine } from './syncEngine';

const suite = syncSuite('gaps');
const machine = suite.machine;
async function twoMachines() {
  return { target: await suite.target(), a: await machine(), b: await machine() };
}
type Target = Awaited<ReturnType<typeof suite.target>>;
async function syncAll(target: Target, ...machines: Machine[]) {
  for (const m of [...machines, machines[0]!]) await m.sync.syncNow(target);
}
const db = (m: Machine) => m.core.ctx.db;

/** Every card of every note, as the same thing on every machine: note's first field, ordinal, deck name. */
function cardsOn(m: Machine) {
  return db(m)
    .prepare(
      `SELECT json_extract(n.fields, '$[0]') AS note, c.ord, d.name AS deck, (SELECT count(*) FROM revlog r WHERE r.card_id = c.id) AS reviews
         FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = c.deck_id ORDER BY note, c.ord`,
    )
    .all();
}

describe('a note type that gained a card template on another computer', () => {
  it(
    'gives the notes already there the new cards, in the decks the first computer put them, never twice, and reviews of them map',
    async () => {
      const { target, a, b } = await twoMachines();
      const now = a.core.clock.now();
      const one = [{ name: 'Term → meaning', front: '{{Term}}', back: '{{FrontSide}}<hr>{{Meaning}}' }];
      const typeId = Number(
        db(a)
          .prepare(`INSERT INTO note_types (name, kind, fields, templates, css, source_key, created_at, updated_at) VALUES (?, 'custom', ?, ?, '', 'anki:77', ?, ?)`)
          .run('Glossary', JSON.stringify(['Term', 'Meaning']), JSON.stringify(one), now, now).lastInsertRowid,
      );
      const deck = await a.core.call('decks.create', { name: 'Glossary' });
      for (const term of ['Increment', 'Sprint Goal']) await a.core.call('notes.create', { noteTypeId: typeId, deckId: deck.id, fields: [term, `${term} meaning`] });
      await syncAll(target, a, b);
      // A note of that type made on B only.
      const typeOnB = db(b).prepare("SELECT id FROM note_types WHERE name = 'Glossary'").pluck().get() as number;
      const deckOnB = db(b).prepare("SELECT id FROM decks WHERE name = 'Glossary'").pluck().get() as number;
      await b.core.call('notes.create', { noteTypeId: typeOnB, deckId: deckOnB, fields: ['Velocity', 'Work done per sprint'] });
      await syncAll(target, b, a);

      // On A, a re-import of the deck: the design gains a second card, and the file's notes get it in
      // the deck the file names (as the Anki importer writes them).
      a.core.clock.advance(3_600_000);
      const later = a.core.clock.now();
      const two = [...one, { name: 'Meaning → term', front: '{{Meaning}}', back: '{{FrontSide}}<hr>{{Term}}' }];
      db(a).prepare('UPDATE note_types SET templates = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(two), later, typeId);
      const reversed = await a.core.call('decks.create', { name: 'Glossary reversed' });
      for (const noteId of db(a).prepare("SELECT id FROM notes WHERE json_extract(fields, '$[0]') IN ('Increment', 'Sprint Goal')").pluck().all() as number[]) {
        db(a)
          .prepare('INSERT INTO cards (note_id, deck_id, ord, due, new_position, created_at, updated_at) VALUES (?, ?, 1, ?, 99, ?, ?)')
          .run(noteId, reversed.id, later, later, later);
      }
      const increment1 = db(a).prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE json_extract(n.fields, '$[0]') = 'Increment' AND c.ord = 1").pluck().get() as number;
      await a.core.call('study.answer', { cardId: increment1, rating: 3, durationMs: 1000 });
      await syncAll(target, a, b);
      await syncAll(target, b, a);

      const expected = [
        { note: 'Increment', ord: 0, deck: 'Glossary', reviews: 0 },
        { note: 'Increment', ord: 1, deck: 'Glossary reversed', reviews: 1 },
        { note: 'Sprint Goal', ord: 0, deck: 'Glossary', reviews: 0 },
        { note: 'Sprint Goal', ord: 1, deck: 'Glossary reversed', reviews: 0 },
        { note: 'Velocity', ord: 0, deck: 'Glossary', reviews: 0 },
        { note: 'Velocity', ord: 1, deck: 'Glossary', reviews: 0 },
      ];
      expect(cardsOn(b)).toEqual(expected);
      expect(cardsOn(a)).toEqual(expected);
    },
    90_000,
  );
});

describe('a deletion made offline long before it was sent', () => {
  it('is timed when it was made, so an edit made elsewhere after it wins on both, the deletion listed as the loser', async () => {
    const { target, a, b } = await twoMachines();
    const deck = await a.core.call('decks.create', { name: 'Kanban' });
    const saved = await a.core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['WIP limits', 'cap work in progress'] });
    await syncAll(target, a, b);
    const onB = db(b).prepare('SELECT id FROM notes WHERE guid = ?').pluck().get(saved.note.guid) as number;

    a.core.clock.set('2026-03-03T09:00:00Z'); // answered, then deleted on A, offline
    await a.core.call('study.answer', { cardId: saved.note.cards[0]!.id, rating: 3, durationMs: 1000 });
    await a.core.call('notes.delete', { ids: [saved.note.id] });
    b.core.clock.set('2026-03-04T09:00:00Z'); // edited on B a day later, and synced
    await b.core.call('notes.update', { id: onB, fields: ['WIP limits', 'cap work in progress per column'] });
    await b.sync.syncNow(target);
    a.core.clock.set('2026-03-06T09:00:00Z'); // A back online two days after that
    await syncAll(target, a, b);

    for (const m of [a, b]) {
      expect(db(m).prepare('SELECT fields FROM notes WHERE guid = ?').pluck().get(saved.note.guid)).toBe(JSON.stringify(['WIP limits', 'cap work in progress per column']));
      expect(m.sync.store.conflicts().map((c) => [c.label, c.editedAt])).toEqual([['The deletion of a note', Date.parse('2026-03-03T09:00:00Z')]]);
      // The answer A gave before deleting it (never sent) comes back with the note, on both.
      expect(db(m).prepare('SELECT r.reviewed_at FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id WHERE n.guid = ?').pluck().all(saved.note.guid)).toEqual([
        Date.parse('2026-03-03T09:00:00Z'),
      ]);
    }
  }, 60_000);
});

describe('a deleted row whose number the next row takes', () => {
  it('sends the deletion, and the new row as itself, for credit entries, presets and curricula', async () => {
    const { target, a, b } = await twoMachines();
    const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
    await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Course' });
    const course = db(a).prepare("SELECT id FROM certification_credits WHERE activity = 'Course'").pluck().get() as number;
    const light = await a.core.call('presets.create', { name: 'Light' });
    const curriculumId = Number(
      db(a).prepare("INSERT INTO curricula (name, position, created_at, updated_at) VALUES ('Scrum Master path', 1, ?, ?)").run(a.core.clock.now(), a.core.clock.now()).lastInsertRowid,
    );
    const pmpDeck = await a.core.call('decks.create', { name: 'PMP prep' });
    await a.core.call('decks.setPreset', { id: pmpDeck.id, presetId: light.id });
    db(a)
      .prepare("INSERT INTO curriculum_modules (curriculum_id, position, week, title, created_at, updated_at) VALUES (?, 1, 1, 'Roles', ?, ?)")
      .run(curriculumId, a.core.clock.now(), a.core.clock.now());
    await syncAll(target, a, b);
    const presetDocOf = (id: number) => db(a).prepare("SELECT doc_id FROM sync_ids WHERE kind = 'preset' AND local_id = ?").pluck().get(id);
    const lightDoc = presetDocOf(light.id);

    a.core.clock.advance(60_000);
    await a.core.call('credits.remove', { id: course });
    await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-03-01', units: 2, category: 'power_skills', activity: 'Talk' });
    await a.core.call('presets.delete', { id: light.id });
    const heavy = await a.core.call('presets.create', { name: 'Heavy' });
    db(a).prepare('DELETE FROM curricula WHERE id = ?').run(curriculumId);
    const next = Number(
      db(a).prepare("INSERT INTO curricula (name, position, created_at, updated_at) VALUES ('PMP path', 1, ?, ?)").run(a.core.clock.now(), a.core.clock.now()).lastInsertRowid,
    );
    // The numbers were taken again (what made the old mistake possible).
    expect(db(a).prepare("SELECT id FROM certification_credits WHERE activity = 'Talk'").pluck().get()).toBe(course);
    expect(heavy.id).toBe(light.id);
    expect(next).toBe(curriculumId);
    await syncAll(target, a, b);

    // The new preset is a document of its own, not an edit of the deleted one's.
    expect(presetDocOf(heavy.id)).not.toBe(lightDoc);
    for (const m of [a, b]) {
      expect(db(m).prepare('SELECT activity FROM certification_credits ORDER BY activity').pluck().all()).toEqual(['Talk']);
      expect(db(m).prepare('SELECT name FROM presets ORDER BY name').pluck().all()).toEqual(['Default', 'Heavy']);
      expect(db(m).prepare('SELECT name FROM curricula ORDER BY name').pluck().all()).toEqual(['PMP path']);
      // What belonged to the deleted rows went with them (not over to the new rows).
      expect(db(m).prepare("SELECT p.name FROM decks d JOIN presets p ON p.id = d.preset_id WHERE d.name = 'PMP prep'").pluck().get()).toBe('Default');
      expect(db(m).prepare('SELECT title FROM curriculum_modules').pluck().all()).toEqual([]);
    }
  }, 60_000);
});

describe('sync status', () => {
  it('counts what the first sync will send before it runs, and keeps the short failure words after a restart', async () => {
    const { url, database } = await suite.target();
    const a = await makeTestCore();
    try {
      const { cardIds } = await deckWithNotes(a, 'Scrum', 3);
      await a.call('study.answer', { cardId: cardIds[0]!, rating: 3, durationMs: 1000 });
      expect((await a.call('sync.status')).pending).toBe(0); // not set up: nothing is waiting for anything
      await a.call('sync.configure', { url, database, username: '' });
      const before = (await a.call('sync.status')).pending;
      expect(before).toBe(5); // the deck, three notes, one review
      const sent = (await a.call('sync.now')).sent;
      expect(sent).toBe(before);
      expect((await a.call('sync.status')).pending).toBe(0);

      await a.call('sync.configure', { url: 'http://127.0.0.1:9', database, username: '' });
      await a.fail('sync.now', {});
      expect((await a.call('sync.status')).problem).toBe('the server did not answer');
    } finally {
      a.close();
    }
    const again = await makeTestCore({ dataDir: a.dataDir });
    try {
      const status = await again.call('sync.status');
      expect(status.lastError).toMatch(/could not reach the sync server/);
      expect(status.problem).toBe('the server did not answer');
    } finally {
      again.close();
    }
  }, 60_000);
});

describe('a media file whose bytes arrive damaged', () => {
  it('is never saved, is named and set aside, is fetched again at each sync, and arrives once whole', async () => {
    const target = await suite.target();
    const b = await machine();
    const good = Buffer.from('a burndown chart, as the bytes of a picture');
    const name = `${crypto.createHash('sha256').update(good).digest('hex')}.png`;
    const put = async (doc: Record<string, unknown>) => {
      const res = await fetch(`${target.url}/${target.database}/${encodeURIComponent(String(doc._id))}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(doc),
      });
      return ((await res.json()) as { rev: string }).rev;
    };
    const body = { type: 'media', originalName: 'burndown.png', size: good.length, editedAt: Date.parse('2026-03-02T09:00:00Z'), device: 'ffff' };
    const attachment = (bytes: Buffer) => ({ file: { content_type: 'application/octet-stream', data: bytes.toString('base64') } });
    const rev = await put({ _id: `media:${name}`, ...body, _attachments: attachment(Buffer.from('damaged on the way')) });

    const file = path.join(b.core.ctx.paths.mediaDir, name);
    for (let i = 0; i < 2; i++) {
      const result = await b.sync.syncNow(target);
      expect(result.refused.map((r) => [r.docId, r.label, r.reason])).toEqual([
        [`media:${name}`, 'Media file “burndown.png”', 'its bytes did not arrive whole (they do not match the file’s fingerprint), so it was not saved; it is fetched again at every sync'],
      ]);
      expect(fs.existsSync(file)).toBe(false);
      expect(db(b).prepare('SELECT count(*) FROM media').pluck().get()).toBe(0);
    }

    await put({ _id: `media:${name}`, _rev: rev, ...body, _attachments: attachment(good) });
    expect((await b.sync.syncNow(target)).refused).toEqual([]);
    expect(fs.readFileSync(file)).toEqual(good);
    expect(db(b).prepare('SELECT original_name FROM media').pluck().all()).toEqual(['burndown.png']);
  }, 60_000);
});

describe('a credit entry with evidence files', () => {
  it('brings the files to the other computer, stored once by content, never as card media, and a detached file goes there too', async () => {
    const { target, a, b } = await twoMachines();
    const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
    const logged = await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Course' });
    const creditId = logged.credits[0]!.id;
    const pdf = Buffer.from('%PDF-1.4\n% certificate of completion\n%%EOF\n');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    for (const [name, bytes] of [['certificate.pdf', pdf], ['receipt.png', png]] as const) {
      const staged = await a.core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
      await a.core.call('credits.attach', { creditId, stagedId: staged.stagedId, fileName: name });
    }
    await syncAll(target, a, b);

    const onB = db(b).prepare("SELECT id FROM certification_credits WHERE activity = 'Course'").pluck().get() as number;
    const evidence = db(b).prepare('SELECT file_name, media_name, kind, size_bytes FROM credit_evidence WHERE credit_id = ? ORDER BY file_name').all(onB) as { file_name: string; media_name: string }[];
    expect(evidence.map((e) => e.file_name)).toEqual(['certificate.pdf', 'receipt.png']);
    expect(evidence).toEqual(db(a).prepare('SELECT file_name, media_name, kind, size_bytes FROM credit_evidence ORDER BY file_name').all());
    expect(fs.readFileSync(path.join(b.core.ctx.paths.mediaDir, evidence[0]!.media_name))).toEqual(pdf);
    const certOnB = db(b).prepare('SELECT id FROM certifications').pluck().get() as number;
    expect((await b.core.call('certs.get', { id: certOnB })).credits[0]!.evidence.map((e) => e.fileName).sort()).toEqual(['certificate.pdf', 'receipt.png']);
    expect(db(b).prepare('SELECT count(*) FROM media').pluck().get()).toBe(0); // not card media

    a.core.clock.advance(60_000);
    const receipt = db(a).prepare("SELECT id FROM credit_evidence WHERE file_name = 'receipt.png'").pluck().get() as number;
    await a.core.call('credits.detach', { evidenceId: receipt });
    await syncAll(target, a, b);
    expect(db(b).prepare('SELECT file_name FROM credit_evidence').pluck().all()).toEqual(['certificate.pdf']);
  }, 60_000);
});

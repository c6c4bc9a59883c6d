// Certifications, credit entries and fired reminders between two Cadence collections, through a real
// CouchDB-protocol server (pouchdb-server, in memory).
process.env.TZ = 'America/New_York';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimRemindersToNotify } from '../../electron/core/reminders';
import { syncSuite, type Machine } from './syncEngine';
import { MP3, PNG } from './transfer-fixtures';

const suite = syncSuite('records');
const machine = suite.machine;
async function twoMachines() {
  return { target: await suite.target(), a: await machine(), b: await machine() };
}

function certIdOn(m: Machine): number {
  return m.core.ctx.db.prepare('SELECT id FROM certifications').pluck().get() as number;
}

function creditsOn(m: Machine) {
  return m.core.ctx.db
    .prepare('SELECT guid, earned_on, units, category, activity, note FROM certification_credits ORDER BY guid')
    .all() as { guid: string; units: number; activity: string }[];
}

function remindersOn(m: Machine) {
  return m.core.ctx.db
    .prepare(`SELECT key, fired_at, dismissed_at IS NOT NULL AS dismissed, superseded FROM reminders ORDER BY due_at, key`)
    .all()
    .map((r) => ({ ...(r as { key: string }), key: (r as { key: string }).key.replace(/^cert:\d+:/, 'cert:') }));
}

describe('certifications and their credit log between two machines', () => {
  it(
    'brings a certification with its credit entries and linked decks to the other machine',
    async () => {
      const { target, a, b } = await twoMachines();
      const deck = await a.core.call('decks.create', { name: 'PMP prep' });
      const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15', label: 'work', credentialId: 'PMI-123' });
      await a.core.call('certs.linkDecks', { id: pmp.id, deckIds: [deck.id] });
      await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-01-10', units: 6, category: 'ways_of_working', activity: 'Agile course' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      const onB = await b.core.call('certs.get', { id: certIdOn(b) });
      expect(onB).toMatchObject({ catalogId: 'pmp', label: 'work', credentialId: 'PMI-123', earnedOn: '2024-01-15' });
      expect(onB.linkedDecks.map((d) => d.path)).toEqual(['PMP prep']);
      expect(onB.credits.map((c) => [c.date, c.units, c.activity])).toEqual([['2025-01-10', 6, 'Agile course']]);
      expect(creditsOn(b)).toEqual(creditsOn(a));
    },
    60_000,
  );

  it(
    'keeps every credit entry logged on both machines while they were offline',
    async () => {
      const { target, a, b } = await twoMachines();
      const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Webinar on A' });
      await b.core.call('credits.add', { certificationId: certIdOn(b), date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Webinar on A' });
      await b.core.call('credits.add', { certificationId: certIdOn(b), date: '2025-02-03', units: 2, category: 'power_skills', activity: 'Talk on B' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      for (const m of [a, b]) {
        const credits = (await m.core.call('certs.get', { id: certIdOn(m) })).credits;
        expect(credits).toHaveLength(3); // two look alike, but two entries were logged: both are kept
        expect(credits.reduce((s, c) => s + c.units, 0)).toBe(8);
        expect(m.sync.store.conflicts()).toEqual([]);
      }
      expect(creditsOn(a)).toEqual(creditsOn(b));
    },
    60_000,
  );

  it(
    'resolves a certification edited on both machines to the newest edit, listing the other on both',
    async () => {
      const { target, a, b } = await twoMachines();
      const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      a.core.clock.set('2026-03-05T10:00:00Z');
      await a.core.call('certs.update', { id: pmp.id, credentialId: 'typed on A' });
      b.core.clock.set('2026-03-05T11:00:00Z');
      await b.core.call('certs.update', { id: certIdOn(b), credentialId: 'typed on B' });
      await a.sync.syncNow(target);
      expect((await b.sync.syncNow(target)).conflicts).toBe(1);
      await a.sync.syncNow(target);

      for (const m of [a, b]) {
        expect((await m.core.call('certs.get', { id: certIdOn(m) })).credentialId).toBe('typed on B');
        const conflicts = m.sync.store.conflicts();
        expect(conflicts.map((c) => c.label)).toEqual(['Certification earned on 2024-01-15 (typed on A)']);
      }

      // Brought back on B, it is the newest edit everywhere after the next sync.
      b.core.clock.set('2026-03-05T12:00:00Z');
      expect(b.sync.store.restoreVersion(b.sync.store.conflicts()[0]!.id, b.core.clock.now())).toBe(true);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      for (const m of [a, b]) {
        expect((await m.core.call('certs.get', { id: certIdOn(m) })).credentialId).toBe('typed on A');
        expect(m.sync.store.conflicts()).toEqual([]);
      }
    },
    60_000,
  );

  it(
    'meets a credit entry deleted on one machine and edited on the other under newest-edit-wins',
    async () => {
      const { target, a, b } = await twoMachines();
      const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
      const first = await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Course' });
      const second = await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-02', units: 1, category: 'ways_of_working', activity: 'Podcast' });
      const course = first.credits.find((c) => c.activity === 'Course')!;
      const podcast = second.credits.find((c) => c.activity === 'Podcast')!;
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      const onB = (activity: string) => b.core.ctx.db.prepare('SELECT id FROM certification_credits WHERE activity = ?').pluck().get(activity) as number;

      // The course: deleted on B (and sent), then edited on A, which had not heard: the newer edit wins.
      b.core.clock.set('2026-03-05T10:00:00Z');
      await b.core.call('credits.remove', { id: onB('Course') });
      await b.sync.syncNow(target);
      a.core.clock.set('2026-03-05T11:00:00Z');
      await a.core.call('credits.update', { id: course.id, date: '2025-02-01', units: 4, category: 'ways_of_working', activity: 'Course' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      for (const m of [a, b]) expect(creditsOn(m).map((c) => [c.activity, c.units]).sort()).toEqual([['Course', 4], ['Podcast', 1]]);

      // The podcast: edited on A, then deleted on B, which had not heard: the newer deletion wins, the edit is listed.
      a.core.clock.set('2026-03-05T12:00:00Z');
      await a.core.call('credits.update', { id: podcast.id, date: '2025-02-02', units: 2, category: 'ways_of_working', activity: 'Podcast' });
      b.core.clock.set('2026-03-05T13:00:00Z');
      await b.core.call('credits.remove', { id: onB('Podcast') });
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      for (const m of [a, b]) {
        expect(creditsOn(m).map((c) => [c.activity, c.units])).toEqual([['Course', 4]]);
        expect(m.sync.store.conflicts().map((c) => c.label).sort()).toEqual(['Credit entry of 2025-02-02: 2 for “Podcast”', 'The deletion of a credit entry']);
      }
      expect(creditsOn(a)).toEqual(creditsOn(b));
    },
    60_000,
  );

  it(
    'takes the certification deleted on one machine off the other, with its credits and reminders',
    async () => {
      const { target, a, b } = await twoMachines();
      const csm = await a.core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2024-05-01' });
      await a.core.call('credits.add', { certificationId: csm.id, date: '2025-02-01', units: 3, category: 'learning' });
      await a.core.call('reminders.inbox');
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect((await b.core.call('reminders.inbox')).count).toBeGreaterThan(0);

      a.core.clock.advance(60_000);
      await a.core.call('certs.remove', { id: csm.id });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      expect((await b.core.call('certs.list')).certifications).toEqual([]);
      expect(creditsOn(b)).toEqual([]);
      expect((await b.core.call('reminders.inbox')).count).toBe(0);
    },
    60_000,
  );

  it(
    'is one certification when both machines added the same one before they first synced',
    async () => {
      const { target, a, b } = await twoMachines();
      const onA = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
      const onB = await b.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
      await a.core.call('credits.add', { certificationId: onA.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'On A' });
      await b.core.call('credits.add', { certificationId: onB.id, date: '2025-02-02', units: 2, category: 'ways_of_working', activity: 'On B' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      for (const m of [a, b]) {
        const { certifications } = await m.core.call('certs.list');
        expect(certifications).toHaveLength(1);
        expect((await m.core.call('certs.get', { id: certifications[0]!.id })).credits.map((c) => c.activity).sort()).toEqual(['On A', 'On B']);
      }
    },
    60_000,
  );

  it('applies a credit entry that arrives before its certification once the certification comes', async () => {
    const { a, b } = await twoMachines();
    const pmp = await a.core.call('certs.add', { catalogId: 'pmp', earnedOn: '2024-01-15' });
    await a.core.call('credits.add', { certificationId: pmp.id, date: '2025-02-01', units: 3, category: 'ways_of_working', activity: 'Early' });
    a.sync.store.startTracking();
    const { docs } = a.sync.store.outgoing(100, a.core.clock.now());
    const cert = docs.find((d) => d.body.type === 'cert')!;
    const credit = docs.find((d) => d.body.type === 'credit')!;

    b.sync.store.startTracking();
    const pending = b.sync.store.pending();
    b.sync.store.apply([{ docId: credit.docId, rev: '1-a', body: credit.body }], '1', b.core.clock.now());
    expect(creditsOn(b)).toEqual([]);
    b.sync.store.apply([{ docId: cert.docId, rev: '1-b', body: cert.body }], '2', b.core.clock.now());
    expect(creditsOn(b).map((c) => c.activity)).toEqual(['Early']);
    expect(b.sync.store.pending()).toBe(pending); // what arrived is not sent back
  });
});

describe('reminders between two machines', () => {
  it(
    'marks a reminder fired on one machine as fired on the other, where it never fires or notifies again',
    async () => {
      const { target, a, b } = await twoMachines();
      await a.core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2024-05-01' }); // expires 2026-05-01
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      // B synced before anything came due; A's "60 days before" (2026-03-02, 9 am) fires at 10 am on A only.
      a.core.clock.set('2026-03-02T15:00:00Z');
      const onA = await a.core.call('reminders.inbox');
      expect(onA.count).toBeGreaterThan(0);
      await a.sync.syncNow(target);
      b.core.clock.set('2026-03-02T16:00:00Z');
      await b.sync.syncNow(target);

      expect(claimRemindersToNotify(b.core.ctx)).toEqual([]); // announced on A already
      const onB = await b.core.call('reminders.inbox');
      const seen = (items: { title: string; firedAt: number }[]) => items.map((i) => [i.title, i.firedAt]).sort();
      expect(seen(onB.items)).toEqual(seen(onA.items));
      expect(remindersOn(b)).toEqual(remindersOn(a));
      // Dismissed on B: dismissed on A after the next sync.
      b.core.clock.advance(60_000);
      await b.core.call('reminders.dismiss', { id: onB.items[0]!.id });
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);
      expect((await a.core.call('reminders.inbox')).count).toBe(onA.count - 1);
    },
    60_000,
  );

  it(
    'shows one inbox entry on each machine when both fired the same reminder offline, dismissed if either dismissed it',
    async () => {
      const { target, a, b } = await twoMachines();
      await a.core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2024-05-01' });
      await a.sync.syncNow(target);
      await b.sync.syncNow(target);

      // Both offline: each fires the same reminders; A dismisses one, B (later) leaves it open.
      a.core.clock.set('2026-03-02T15:00:00Z');
      const firedA = await a.core.call('reminders.inbox');
      await a.core.call('reminders.dismiss', { id: firedA.items[0]!.id });
      b.core.clock.set('2026-03-02T18:00:00Z');
      const firedB = await b.core.call('reminders.inbox');
      expect(firedB.items.map((i) => i.title)).toEqual(firedA.items.map((i) => i.title));

      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      for (const m of [a, b]) {
        const inbox = await m.core.call('reminders.inbox');
        expect(inbox.items.map((i) => i.title).sort()).toEqual(firedA.items.slice(1).map((i) => i.title).sort());
        expect(m.sync.store.conflicts()).toEqual([]); // one reminder, not a conflict to show
      }
      expect(remindersOn(a)).toEqual(remindersOn(b));
      expect(new Set(remindersOn(a).map((r) => r.key)).size).toBe(remindersOn(a).length);

      // Later checks on either machine fire nothing new for what already fired.
      for (const m of [a, b]) {
        const before = remindersOn(m).length;
        m.core.clock.set('2026-03-02T20:00:00Z');
        await m.core.call('reminders.inbox');
        expect(remindersOn(m)).toHaveLength(before);
      }
      // And the sync after that sends and receives nothing about them.
      expect(await a.sync.syncNow(target)).toMatchObject({ received: 0, conflicts: 0 });
    },
    60_000,
  );
});

describe('mock exams between two machines', () => {
  /** A PSM I attempt with the first `right` questions answered correctly, submitted after 30 minutes. */
  async function takeExam(m: Machine, right: number) {
    const attempt = await m.core.call('exams.start', { formatKey: 'psm-1' });
    const keys = (m.core.ctx.db.prepare('SELECT snapshot FROM exam_attempt_questions WHERE attempt_id = ? ORDER BY position').all(attempt.id) as { snapshot: string }[]).map(
      (r) => (JSON.parse(r.snapshot) as { correct: number[] }).correct,
    );
    for (let p = 0; p < right; p++) await m.core.call('exams.answer', { attemptId: attempt.id, position: p, chosen: keys[p]!, flagged: false });
    m.core.clock.advance(30 * 60_000);
    return m.core.call('exams.submit', { attemptId: attempt.id });
  }

  function attemptsOn(m: Machine) {
    return m.core.ctx.db
      .prepare(
        `SELECT a.format_key, a.started_at, r.correct, r.total, r.score,
                (SELECT count(*) FROM exam_answers x WHERE x.attempt_id = a.id) AS answers,
                (SELECT count(*) FROM exam_outcomes o WHERE o.attempt_id = a.id AND o.question_id IS NOT NULL) AS outcomes
           FROM exam_attempts a JOIN exam_results r ON r.attempt_id = a.id ORDER BY a.started_at`,
      )
      .all();
  }

  it(
    'keeps every attempt taken on either machine, whole, and counts them in readiness on both',
    async () => {
      const { target, a, b } = await twoMachines();
      await a.core.call('exams.overview'); // loads the question banks
      await b.core.call('exams.overview');
      await takeExam(a, 60);
      b.core.clock.set('2026-03-02T14:00:00Z');
      await takeExam(b, 70);
      // An attempt still running travels only once it is scored.
      b.core.clock.set('2026-03-02T16:00:00Z');
      await b.core.call('exams.start', { formatKey: 'psm-1' });

      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      const onA = attemptsOn(a);
      expect(onA).toHaveLength(2);
      expect(onA.map((r) => (r as { correct: number }).correct)).toEqual([60, 70]);
      expect(onA.every((r) => (r as { outcomes: number }).outcomes === 80)).toBe(true);
      expect(attemptsOn(b)).toEqual(onA);
      // The same readiness (local attempt numbers aside).
      const readiness = async (m: Machine) => {
        const r = await m.core.call('exams.readiness', { formatKey: 'psm-1' });
        return { ...r, trend: r.trend.map(({ attemptId: _id, ...t }) => t) };
      };
      expect(await readiness(a)).toEqual(await readiness(b));
      // Nothing more to say about them on the next sync.
      expect(await b.sync.syncNow(target)).toMatchObject({ sent: 0, received: 0 });
    },
    90_000,
  );
});

describe('media files between two machines', () => {
  async function addMedia(m: Machine, bytes: Uint8Array, name: string) {
    const staged = await m.core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
    return m.core.call('media.add', { stagedId: staged.stagedId, name });
  }

  it(
    'brings the pictures a note shows to the other machine, each file stored once on the server',
    async () => {
      const { target, a, b } = await twoMachines();
      const picture = await addMedia(a, PNG, 'Persona sketch.png');
      const deck = await a.core.call('decks.create', { name: 'Pictures' });
      await a.core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Who is this? ${picture.markup}`, 'A persona'] });
      // B has the same picture already (added under another name) and a sound of its own.
      await addMedia(b, PNG, 'copy.png');
      const sound = await addMedia(b, MP3, 'pronunciation.mp3');

      await a.sync.syncNow(target);
      await b.sync.syncNow(target);
      await a.sync.syncNow(target);

      for (const m of [a, b]) {
        expect(fs.readFileSync(path.join(m.core.ctx.paths.mediaDir, picture.name))).toEqual(Buffer.from(PNG));
        expect(fs.readFileSync(path.join(m.core.ctx.paths.mediaDir, sound.name))).toEqual(Buffer.from(MP3));
        expect(m.core.ctx.db.prepare('SELECT name FROM media ORDER BY name').pluck().all()).toEqual([picture.name, sound.name].sort());
        expect(m.sync.store.conflicts()).toEqual([]);
      }
      // One document per file on the server, each written once: B did not upload the picture A had sent.
      const server = `${target.url.replace(/\/$/, '')}/${target.database}`;
      for (const name of [picture.name, sound.name]) {
        const doc = (await (await fetch(`${server}/media:${name}?revs=true&conflicts=true`)).json()) as { _revisions: { ids: string[] }; _conflicts?: string[] };
        expect(doc._revisions.ids).toHaveLength(1);
        expect(doc._conflicts).toBeUndefined();
      }
      // And the note on B shows the picture it refers to.
      const fields = b.core.ctx.db.prepare('SELECT fields FROM notes').pluck().get() as string;
      expect(fields).toContain(`media/${picture.name}`);
    },
    60_000,
  );
});

describe('the new record kinds under end-to-end encryption', () => {
  it(
    'leaves media bytes and certification details on the server only as ciphertext, and they arrive whole',
    async () => {
      const { url, database } = await suite.target();
      const passphrase = 'velvet kanban harbour';
      const a = await machine();
      const b = await machine();
      for (const m of [a, b]) await m.core.call('sync.configure', { url, database, username: '', passphrase });
      const staged = await a.core.call('files.stage', { name: 'persona.png', bytes: new Uint8Array(PNG) });
      const picture = await a.core.call('media.add', { stagedId: staged.stagedId, name: 'persona.png' });
      await a.core.call('certs.add', { catalogId: 'sa-csm', earnedOn: '2024-05-01', credentialId: 'SECRET-CRED-42' });
      a.core.clock.set('2026-03-02T15:00:00Z');
      await a.core.call('reminders.inbox');
      await a.core.call('sync.now');
      await b.core.call('sync.now');

      const all = (await (await fetch(`${url}/${database}/_all_docs?include_docs=true&attachments=true`)).json()) as { rows: { id: string; doc: Record<string, unknown> }[] };
      const onServer = JSON.stringify(all.rows);
      expect(onServer).not.toContain('SECRET-CRED-42');
      expect(onServer).not.toContain(Buffer.from(PNG).toString('base64').slice(0, 16));
      const media = all.rows.find((r) => r.id === `media:${picture.name}`)!;
      expect(Object.keys(media.doc).filter((k) => !k.startsWith('_'))).toEqual(['e2e']);

      expect(fs.readFileSync(path.join(b.core.ctx.paths.mediaDir, picture.name))).toEqual(Buffer.from(PNG));
      expect((await b.core.call('certs.list')).certifications.map((c) => c.credentialId)).toEqual(['SECRET-CRED-42']);
      expect((await b.core.call('reminders.inbox')).count).toBe((await a.core.call('reminders.inbox')).count);
    },
    90_000,
  );
});

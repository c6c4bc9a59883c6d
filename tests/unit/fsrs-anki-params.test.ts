// FSRS parameters travel with Anki packages the way Anki keeps them: in the deck options preset
// (fsrsParams6 / fsrsParams5 / fsrsWeights in schema-11 JSON; fsrs_params_6 / _5 / _4 in schema-18
// protobuf). Imported sets are offered for the presets the decks landed in; exported packages carry the
// preset's fitted set.
import Database from 'better-sqlite3';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateParameters } from 'ts-fsrs';
import { legacyCollectionBytes, modernCollectionBytes, proto, sampleCollection, zstdFrame } from './transfer-fixtures';
import { FITTED, legacyWithPreset } from './fsrs-fixtures';
import { makeTestCore, type TestCore } from './testCore';

const cores: TestCore[] = [];
afterEach(() => {
  for (const c of cores.splice(0)) c.close();
});
async function newCore() {
  const core = await makeTestCore();
  cores.push(core);
  return core;
}
async function importInto(core: TestCore, bytes: Uint8Array) {
  const { stagedId } = await core.call('files.stage', { name: 'deck.apkg', bytes: new Uint8Array(bytes) });
  return core.call('import.anki', { stagedId, jobId: `imp-${Math.random().toString(36).slice(2)}` });
}

/** A current-format package whose deck_config row 1 (every deck's preset) holds `params` as fsrs_params_6. */
function modernWithPreset(params: number[]): Uint8Array {
  const db = new Database(Buffer.from(modernCollectionBytes(sampleCollection())));
  const packed = new Uint8Array(Float32Array.from(params).buffer);
  // DeckConfig.Config: new_per_day = 9, fsrs_params_6 = 6 (packed floats), desired_retention = 37.
  db.prepare("INSERT OR REPLACE INTO deck_config VALUES (1, 'Default', 0, 0, ?)").run(proto([[9, 20], [6, packed]]));
  const bytes = db.serialize();
  db.close();
  const stored = { level: 0 as const };
  const files: Zippable = {
    meta: [proto([[1, 3]]), stored],
    'collection.anki2': legacyCollectionBytes({ ...sampleCollection(), notes: [], cards: [], revlog: [] }),
    'collection.anki21b': [zstdFrame(bytes), stored],
    media: [zstdFrame(proto([])), stored],
  };
  return zipSync(files);
}

describe('FSRS parameters in Anki packages', () => {
  it('offers the parameters a legacy package carried for the preset its decks use, and applies them on request', async () => {
    const core = await newCore();
    await importInto(core, legacyWithPreset({ fsrsParams6: FITTED, fsrsParams5: [], fsrsWeights: [] }));
    const status = await core.call('fsrs.status', { presetId: 1 });
    // Offered, not applied behind the learner's back.
    expect(status.usingDefaults).toBe(true);
    expect(status.offered).toMatchObject({ origin: 'imported', scope: 'An imported Anki package', params: FITTED, metrics: null, appliedAt: null });

    const applied = await core.call('fsrs.apply', { fitId: status.offered!.id });
    expect(applied.status).toMatchObject({ usingDefaults: false, params: FITTED, offered: null, current: { origin: 'imported' } });
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toEqual(FITTED);
    // Applied sets are history (Restore uses them): they cannot be discarded.
    expect(await core.fail('fsrs.discard', { fitId: status.offered!.id })).toMatchObject({ code: 'conflict' });
  });

  it('discards offered parameters on request: no longer offered, and the preset keeps its own', async () => {
    const core = await newCore();
    await importInto(core, legacyWithPreset({ fsrsParams6: FITTED }));
    const offered = (await core.call('fsrs.status', { presetId: 1 })).offered!;
    const after = await core.call('fsrs.discard', { fitId: offered.id });
    expect(after).toMatchObject({ offered: null, usingDefaults: true });
    expect((await core.call('fsrs.status', { presetId: 1 })).offered).toBeNull();
    expect((await core.call('presets.get', { id: 1 })).fsrsParams).toBeNull();
    expect(await core.fail('fsrs.discard', { fitId: offered.id })).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no longer offered/) });
  });

  it('reads current-format packages (protobuf) and converts FSRS-5 parameters to FSRS-6', async () => {
    const modern = await newCore();
    await importInto(modern, modernWithPreset(FITTED));
    const offered = (await modern.call('fsrs.status', { presetId: 1 })).offered!;
    // Stored as 32-bit floats by Anki.
    offered.params.forEach((p, i) => expect(p).toBeCloseTo(FITTED[i]!, 5));

    const five = FITTED.slice(0, 19);
    const older = await newCore();
    await importInto(older, legacyWithPreset({ fsrsParams5: five }));
    expect((await older.call('fsrs.status', { presetId: 1 })).offered!.params).toEqual(migrateParameters(five));

    // A package without parameters (or with unusable ones) offers nothing.
    const none = await newCore();
    await importInto(none, legacyWithPreset({ fsrsParams6: [1, 2, 3] }));
    expect((await none.call('fsrs.status', { presetId: 1 })).offered).toBeNull();
  });

  it('exports the preset’s fitted parameters as fsrsParams6, and a round trip brings them back', async () => {
    const a = await newCore();
    await importInto(a, legacyWithPreset({ fsrsParams6: FITTED }));
    const deckId = a.ctx.db.prepare<[], number>("SELECT id FROM decks WHERE name = 'PM' AND parent_id IS NULL").pluck().get()!;
    const readConf = async () => {
      const out = await a.call('export.apkg', { deckId, includeScheduling: true });
      const files = unzipSync(fs.readFileSync(path.join(a.ctx.paths.exportsDir, out.downloadName)));
      const db = new Database(Buffer.from(files['collection.anki2']!));
      const dconf = JSON.parse(db.prepare<[], string>('SELECT dconf FROM col').pluck().get()!) as Record<string, Record<string, unknown>>;
      const decks = JSON.parse(db.prepare<[], string>('SELECT decks FROM col').pluck().get()!) as Record<string, { name: string; conf: number }>;
      db.close();
      const confId = Object.values(decks).find((d) => d.name === 'PM')!.conf;
      return { confId, conf: dconf[String(confId)]!, bytes: files };
    };
    // With the defaults in use, the deck keeps Anki's Default preset, which carries none (Anki then uses its own).
    const before = await readConf();
    expect(before.confId).toBe(1);
    expect(before.conf.fsrsParams6).toBeUndefined();

    await a.call('fsrs.apply', { fitId: (await a.call('fsrs.status', { presetId: 1 })).offered!.id });
    const { confId, conf, bytes } = await readConf();
    // A preset of its own: Anki adds a package's preset only when its id is new, and preset 1 always exists there.
    expect(confId).not.toBe(1);
    expect(conf).toMatchObject({ id: confId, name: 'Default (FSRS fitted in Cadence)', fsrsParams6: FITTED, desiredRetention: 0.9 });
    // The same fit exported again is the same preset to Anki.
    expect((await readConf()).confId).toBe(confId);

    const b = await newCore();
    await importInto(b, zipSync(bytes));
    expect((await b.call('fsrs.status', { presetId: 1 })).offered!.params).toEqual(FITTED);
  });
});

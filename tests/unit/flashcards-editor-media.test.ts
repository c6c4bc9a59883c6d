// Pictures and sound added in the editor: stored by content hash like imported media, referred to from
// the field, and taken along by an .apkg export.
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';
import { MP3, PNG } from './transfer-fixtures';

let core: TestCore;
afterEach(() => core?.close());

async function add(bytes: Uint8Array, name: string) {
  const staged = await core.call('files.stage', { name, bytes: new Uint8Array(bytes) });
  return core.call('media.add', { stagedId: staged.stagedId, name });
}

describe('editor media', () => {
  it('stores a picture once by content hash, and an .apkg export takes it along', async () => {
    core = await makeTestCore();
    const picture = await add(PNG, 'Persona sketch.png');
    expect(picture.kind).toBe('image');
    expect(picture.name).toMatch(/^[a-f0-9]{64}\.png$/);
    expect(picture.markup).toBe(`<img src="media/${picture.name}" alt="Persona sketch">`);
    expect(fs.readFileSync(path.join(core.ctx.paths.mediaDir, picture.name))).toEqual(Buffer.from(PNG));
    // The same bytes again: the same file, stored once; the staging folder is left empty.
    expect((await add(PNG, 'copy.png')).name).toBe(picture.name);
    expect(fs.readdirSync(core.ctx.paths.mediaDir)).toEqual([picture.name]);
    expect(fs.existsSync(core.ctx.paths.stagingDir) ? fs.readdirSync(core.ctx.paths.stagingDir) : []).toEqual([]);

    const sound = await add(MP3, 'pronunciation.mp3');
    expect(sound.markup).toBe(`<audio controls src="media/${sound.name}"></audio>`);

    const deck = await core.call('decks.create', { name: 'Pictures' });
    await core.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`Who is this? ${picture.markup}`, `A persona ${sound.markup}`] });
    const out = await core.call('export.apkg', { deckId: deck.id });
    expect(out.media).toBe(2);
    const files = unzipSync(fs.readFileSync(path.join(core.ctx.paths.exportsDir, out.downloadName)));
    const map = JSON.parse(new TextDecoder().decode(files.media)) as Record<string, string>;
    expect(Object.values(map).sort()).toEqual(['Persona sketch.png', 'pronunciation.mp3']);
    const pngKey = Object.keys(map).find((k) => map[k] === 'Persona sketch.png')!;
    expect(files[pngKey]).toEqual(PNG);
  });

  it('refuses a file that is not a picture, sound or video, and keeps nothing of it', async () => {
    core = await makeTestCore();
    const staged = await core.call('files.stage', { name: 'notes.exe', bytes: Uint8Array.from([1, 2, 3]) });
    const err = await core.fail('media.add', { stagedId: staged.stagedId, name: 'notes.exe' });
    expect(err).toMatchObject({ code: 'unsupported' });
    expect(err.message).toContain('is not a picture, sound or video');
    expect(fs.existsSync(core.ctx.paths.mediaDir) ? fs.readdirSync(core.ctx.paths.mediaDir) : []).toEqual([]);
    expect(core.ctx.db.prepare('SELECT count(*) FROM media').pluck().get()).toBe(0);
  });
});

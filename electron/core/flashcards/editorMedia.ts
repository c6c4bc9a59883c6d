// Pictures and sound added in the note editor (pasted, dropped or picked): stored like imported media,
// under their content hash in the media folder and recorded in the media table (transfer/media.ts), so
// the same file added twice is stored once and an .apkg export takes it along like any imported file.
import fs from 'node:fs';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { discardStaged, stagedPath } from '../files';
import { escapeAttribute, makeMediaStore, MEDIA_URL_PREFIX } from '../transfer/media';

/** A field holds a reference, not the file: this much is plenty for a picture or a sound clip. */
export const EDITOR_MEDIA_MAX_BYTES = 50 * 1024 * 1024;

const KINDS: Record<string, 'image' | 'audio' | 'video'> = {
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', avif: 'image', bmp: 'image', svg: 'image',
  mp3: 'audio', ogg: 'audio', oga: 'audio', opus: 'audio', wav: 'audio', m4a: 'audio', aac: 'audio', flac: 'audio',
  mp4: 'video', webm: 'video', ogv: 'video',
};

export function makeEditorMedia(ctx: CoreContext) {
  const store = makeMediaStore(ctx.db, ctx.paths.mediaDir);

  /** Takes a staged file into the media folder; returns its stored name and the markup a field refers to it by. */
  function add(stagedId: string, name: string) {
    const file = stagedPath(ctx.paths, stagedId);
    const ext = /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase() ?? '';
    const kind = KINDS[ext];
    if (!kind) {
      discardStaged(ctx.paths, stagedId);
      throw new AppError('unsupported', `“${name}” is not a picture, sound or video Cadence can show. Use PNG, JPEG, GIF, WebP, SVG, MP3, OGG, WAV, M4A or MP4.`);
    }
    const size = fs.statSync(file).size;
    if (size > EDITOR_MEDIA_MAX_BYTES) {
      discardStaged(ctx.paths, stagedId);
      throw new AppError('invalid_input', `“${name}” is larger than 50 MB. Make it smaller and add it again.`);
    }
    const session = store.session();
    const stored = session.put(fs.readFileSync(file), name);
    try {
      ctx.db.transaction(() => session.record(ctx.clock.now()))();
    } catch (err) {
      session.discard();
      throw err;
    } finally {
      discardStaged(ctx.paths, stagedId);
    }
    const src = escapeAttribute(MEDIA_URL_PREFIX + stored.name);
    const alt = escapeAttribute(name.replace(/\.[^.]*$/, ''));
    const markup =
      kind === 'image' ? `<img src="${src}" alt="${alt}">` : kind === 'audio' ? `<audio controls src="${src}"></audio>` : `<video controls src="${src}"></video>`;
    return { name: stored.name, kind, markup };
  }

  return { add };
}

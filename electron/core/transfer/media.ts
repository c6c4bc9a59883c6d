// Media files (images, sounds) brought in by imports: stored in the media folder under their content
// hash, recorded in the `media` table, and referred to from fields as "media/<name>" (a relative URL
// both transports serve). Files are written before the import's transaction, and a failed or cancelled
// import deletes the ones it created, so the folder is left as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../context';
import { writeFileWhole } from '../files';

export const MEDIA_URL_PREFIX = 'media/';

/** "<sha256 hex>.<ext>", the extension kept (lower-cased) so the file is served with the right type. */
export function mediaFileName(bytes: Uint8Array, originalName: string): string {
  const hash = crypto.createHash('sha256').update(bytes).digest('hex');
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(originalName)?.[1]?.toLowerCase();
  return ext ? `${hash}.${ext}` : hash;
}

export function makeMediaStore(db: Db, mediaDir: string) {
  const insert = db.prepare('INSERT OR IGNORE INTO media (name, original_name, size, created_at) VALUES (?, ?, ?, ?)');
  const selectAll = db.prepare<[], { name: string; original_name: string }>('SELECT name, original_name FROM media');
  const byOriginal = db.prepare<[string], string>('SELECT name FROM media WHERE original_name = ? ORDER BY created_at DESC LIMIT 1').pluck();
  const byPrefixAndOriginal = db
    .prepare<[string, string], string>('SELECT name FROM media WHERE substr(name, 1, 8) = ? AND original_name = ? LIMIT 1')
    .pluck();

  /** One import's media: files it wrote (to delete on failure) and rows to record in its transaction. */
  function session() {
    const created: string[] = [];
    const rows: { name: string; original: string; size: number }[] = [];
    return {
      /** Stores bytes under their content name; returns the name and whether the file was new. */
      put(bytes: Uint8Array, originalName: string): { name: string; added: boolean } {
        const name = mediaFileName(bytes, originalName);
        const file = path.join(mediaDir, name);
        rows.push({ name, original: originalName, size: bytes.length });
        if (fs.existsSync(file)) return { name, added: false };
        fs.mkdirSync(mediaDir, { recursive: true });
        // Whole or not at all, so a crash or a full disk never leaves half a file under a real name.
        writeFileWhole(file, bytes);
        created.push(file);
        return { name, added: true };
      },
      /** Records the files in the media table; call inside the import's transaction. */
      record(now: number): void {
        for (const r of rows) insert.run(r.name, r.original, r.size, now);
      },
      /** Deletes the files this session created (the import did not go through). */
      discard(): void {
        for (const file of created) fs.rmSync(file, { force: true });
        created.length = 0;
      },
    };
  }

  /** Media name -> the name it had in the file it came from (for exports). */
  function originalNames(): Map<string, string> {
    return new Map(selectAll.all().map((r) => [r.name, r.original_name]));
  }

  /**
   * Finds the stored file a name in a text file refers to: the file that came in under that name (the
   * latest), or one an export renamed to keep names apart ("chart-1a2b3c4d.png", see
   * makeExportMediaNames). Answers are kept for the finder's life (one import).
   */
  function storedNameFinder(): (name: string) => string | undefined {
    const known = new Map<string, string | undefined>();
    return (name) => {
      if (known.has(name)) return known.get(name);
      let stored = byOriginal.get(name);
      const renamed = stored ? null : /^(.*)-([0-9a-f]{8})(\.[^.]*)?$/.exec(name);
      if (renamed) stored = byPrefixAndOriginal.get(renamed[2]!, `${renamed[1]}${renamed[3] ?? ''}`);
      known.set(name, stored);
      return stored;
    };
  }

  return { session, originalNames, storedNameFinder };
}
export type MediaStore = ReturnType<typeof makeMediaStore>;
export type MediaSession = ReturnType<MediaStore['session']>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: '\u00a0' };

function decodeReference(value: string): string[] {
  const unescaped = value.replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? _);
  const out = [value, unescaped];
  try {
    out.push(decodeURIComponent(unescaped));
  } catch {
    // not percent-encoded
  }
  return out;
}

const SRC_ATTRIBUTE = /(<(?:img|audio|video|source|track|embed|object|image)\b[^>]*?\s(?:src|href|data)\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)/gi;
const SOUND_TAG = /\[sound:([^\]]+)\]/g;
const CSS_URL = /url\(\s*("[^"]*"|'[^']*'|[^)]*?)\s*\)/gi;

export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * Points media references in field or template HTML at the stored files: src attributes, Anki's
 * [sound:name] (which becomes an audio player) and CSS url(). `lookup` maps a name in the package to
 * the stored name; unknown names are left as they are and reported through `missing`.
 */
export function rewriteMediaReferences(html: string, lookup: (name: string) => string | undefined, missing?: (name: string) => void): string {
  const find = (raw: string): string | undefined => {
    for (const candidate of decodeReference(raw.trim())) {
      const hit = lookup(candidate);
      if (hit) return hit;
    }
    return undefined;
  };
  const isExternal = (raw: string) => /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(raw.trim()) || raw.trim().startsWith(MEDIA_URL_PREFIX);
  let out = html.replace(SRC_ATTRIBUTE, (whole, head: string, quoted: string) => {
    const raw = /^["']/.test(quoted) ? quoted.slice(1, -1) : quoted;
    if (raw === '' || isExternal(raw)) return whole;
    const stored = find(raw);
    if (!stored) {
      missing?.(raw);
      return whole;
    }
    return `${head}"${escapeAttribute(MEDIA_URL_PREFIX + stored)}"`;
  });
  out = out.replace(SOUND_TAG, (whole, name: string) => {
    const stored = find(name);
    if (!stored) {
      missing?.(name);
      return whole;
    }
    return `<audio controls preload="none" src="${escapeAttribute(MEDIA_URL_PREFIX + stored)}"></audio>`;
  });
  out = out.replace(CSS_URL, (whole, quoted: string) => {
    const raw = /^["']/.test(quoted) ? quoted.slice(1, -1) : quoted;
    if (raw === '' || isExternal(raw) || raw.startsWith('data:')) return whole;
    const stored = find(raw);
    return stored ? `url("${MEDIA_URL_PREFIX}${stored}")` : whole;
  });
  return out;
}

const STORED_SRC = /(<(?:img|audio|video|source|track|embed|object|image)\b[^>]*?\s(?:src|href|data)\s*=\s*)("media\/[^"]*"|'media\/[^']*'|media\/[^\s>]+)/gi;
const STORED_AUDIO = /<audio\b[^>]*\ssrc\s*=\s*["']media\/([^"']+)["'][^>]*>\s*<\/audio>/gi;
const STORED_CSS_URL = /url\(\s*["']?media\/([\w.-]+)["']?\s*\)/gi;

/**
 * The reverse, for exports to Anki: "media/<stored>" references become plain file names (`nameOf`
 * gives the name to use in the package), and audio players go back to [sound:name].
 */
export function exportMediaReferences(html: string, nameOf: (stored: string) => string | undefined): string {
  let out = html.replace(STORED_AUDIO, (whole, stored: string) => {
    const name = nameOf(stored);
    return name ? `[sound:${name}]` : whole;
  });
  out = out.replace(STORED_SRC, (whole, head: string, quoted: string) => {
    const raw = /^["']/.test(quoted) ? quoted.slice(1, -1) : quoted;
    const name = nameOf(raw.slice(MEDIA_URL_PREFIX.length));
    return name ? `${head}"${escapeAttribute(name)}"` : whole;
  });
  out = out.replace(STORED_CSS_URL, (whole, stored: string) => {
    const name = nameOf(stored);
    return name ? `url("${name.replace(/"/g, '%22')}")` : whole;
  });
  return out;
}

/**
 * The names media files get in an export for Anki: the name each had in the file it came from (so a
 * re-export points at the same files in the user's Anki), made unique ignoring case ("a.png" twice
 * becomes "a-<hash>.png" for the second). `html` rewrites references in a field or template to them.
 */
export function makeExportMediaNames(originals: ReadonlyMap<string, string>) {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const nameOf = (stored: string): string | undefined => {
    const known = names.get(stored);
    if (known) return known;
    if (!/^[\w.-]+$/.test(stored)) return undefined;
    let name = originals.get(stored) ?? stored;
    if (taken.has(name.toLowerCase())) name = name.replace(/(\.[^.]*)?$/, `-${stored.slice(0, 8)}$1`);
    taken.add(name.toLowerCase());
    names.set(stored, name);
    return name;
  };
  return {
    /** Stored name -> export name, for every file referred to so far (in first-use order). */
    names,
    html(text: string): string {
      for (const stored of storedMediaReferences(text)) nameOf(stored);
      return exportMediaReferences(text, (stored) => names.get(stored));
    },
  };
}

/** Stored media names a piece of HTML refers to. */
export function storedMediaReferences(html: string): string[] {
  const out = new Set<string>();
  for (const m of html.matchAll(/["'(]media\/([\w.-]{1,128})["')]/g)) out.add(m[1]!);
  for (const m of html.matchAll(/\bsrc=media\/([\w.-]{1,128})/g)) out.add(m[1]!);
  return [...out];
}

// Opens an .apkg / .colpkg: which format it is, the collection inside, and the list of media files.
// Current packages also carry a placeholder `collection.anki2` for old Anki versions, so the `meta`
// entry (current format) is looked for first and the legacy names only when it is absent.
import { AppError } from '../../../../shared/errors';
import type { Db } from '../../context';
import { openDatabaseBytes } from '../sqliteBytes';
import { ProtoMessage } from '../protobuf';
import { makeUnpackBudget, unpackAllowance } from '../unpackBudget';
import { isSafeEntryName, ZipArchive, type ZipLimits, DEFAULT_ZIP_LIMITS, formatBytes } from '../zip';
import { zstdDecompress } from '../zstd';
import { readCollection } from './readCollection';
import type { AnkiCollection, AnkiMediaEntry, AnkiPackageFormat } from './model';

const WHAT = 'The Anki package';

export const FORMAT_LABELS: Record<AnkiPackageFormat, string> = {
  'legacy-1': 'Anki package (legacy format)',
  'legacy-2': 'Anki package (Anki 2.1 legacy format)',
  latest: 'Anki package (current format)',
};

export interface PackageLimits extends ZipLimits {
  /** Largest unpacked size of one media file. */
  maxMediaFileBytes: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = { ...DEFAULT_ZIP_LIMITS, maxMediaFileBytes: 100 * 1024 * 1024 };

export interface AnkiPackage {
  format: AnkiPackageFormat;
  collection: AnkiCollection;
  media: AnkiMediaEntry[];
  /**
   * The bytes of one media file, unpacked and checked; null when the package lists it but lacks it.
   * Throws once the package as a whole has unpacked to more than it may (see unpackBudget.ts).
   */
  readMedia(entry: AnkiMediaEntry): Uint8Array | null;
}

function refuseUnsafeMediaName(name: string): void {
  // Media names become nothing on disk (files are stored under their content hash), but a name that
  // climbs out of a folder or is absolute marks a package built to attack importers: refuse it whole.
  if (!isSafeEntryName(name) || name.includes('/')) {
    throw new AppError(
      'unsupported',
      `${WHAT} names a media file "${name.slice(0, 80)}" with a folder path (like "../" or "/"). Anki never writes such names, so Cadence refused the package; nothing was changed.`,
    );
  }
}

/** Each zip entry may back one media file: a list naming one entry many times multiplies its size. */
function refuseReusedEntries(list: AnkiMediaEntry[]): AnkiMediaEntry[] {
  const seen = new Set<string>();
  for (const entry of list) {
    if (seen.has(entry.zipName)) {
      throw new AppError(
        'unsupported',
        `${WHAT} lists the same stored file ("${entry.zipName.slice(0, 40)}") for more than one media file. Anki never writes such lists; it may be damaged or malicious. Nothing was imported.`,
      );
    }
    seen.add(entry.zipName);
  }
  return list;
}

function legacyMediaList(bytes: Uint8Array): AnkiMediaEntry[] {
  let map: unknown;
  try {
    map = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw new AppError('unsupported', `${WHAT} is damaged: its media list is not readable. Export the deck again from Anki.`);
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) {
    throw new AppError('unsupported', `${WHAT} is damaged: its media list is not readable. Export the deck again from Anki.`);
  }
  return Object.entries(map as Record<string, unknown>).map(([zipName, name]) => {
    if (typeof name !== 'string') throw new AppError('unsupported', `${WHAT} is damaged: its media list is not readable.`);
    refuseUnsafeMediaName(name);
    return { zipName, name };
  });
}

/** Current format: zstd-compressed MediaEntries { repeated MediaEntry entries = 1 { name = 1, ... } }. */
function currentMediaList(bytes: Uint8Array): AnkiMediaEntry[] {
  const message = ProtoMessage.decode(bytes, `${WHAT}'s media list`);
  return message.messages(1).map((entry, index) => {
    const name = entry.string(1);
    refuseUnsafeMediaName(name);
    // Entries are stored in the zip under their position, unless an older index was kept (field 255).
    const zipName = String(entry.has(255) ? entry.int(255) : index);
    return { zipName, name };
  });
}

export function readAnkiPackage(bytes: Uint8Array, limits: PackageLimits = DEFAULT_PACKAGE_LIMITS): AnkiPackage {
  const zip = ZipArchive.open(bytes, WHAT, limits);
  const budget = makeUnpackBudget(unpackAllowance(bytes.length, limits.maxTotalBytes), 'This package');
  let format: AnkiPackageFormat;
  if (zip.has('meta')) {
    // PackageMetadata { Version version = 1 }: 1 and 2 are the legacy layouts, 3 the current one.
    const version = ProtoMessage.decode(zip.read('meta'), `${WHAT}'s version record`).int(1);
    if (version === 3) format = 'latest';
    else if (version === 2) format = 'legacy-2';
    else if (version === 1) format = 'legacy-1';
    else {
      throw new AppError(
        'unsupported',
        `${WHAT} was made by a newer Anki than Cadence understands. In Anki, export it again with "Support older Anki versions" ticked.`,
      );
    }
  } else if (zip.has('collection.anki21')) format = 'legacy-2';
  else if (zip.has('collection.anki2')) format = 'legacy-1';
  else {
    throw new AppError('unsupported', `This zip file is not an Anki package: it has no collection inside. Choose an .apkg or .colpkg file exported from Anki.`);
  }

  const compressed = format === 'latest';
  const collectionName = format === 'latest' ? 'collection.anki21b' : format === 'legacy-2' ? 'collection.anki21' : 'collection.anki2';
  if (!zip.has(collectionName)) {
    throw new AppError('unsupported', `${WHAT} is incomplete: it has no ${collectionName} inside. Export the deck again from Anki.`);
  }
  /** One entry unpacked, within `cap` and within what is left of the package's budget. */
  const unpack = (name: string, label: string, cap: number, tooBig: () => AppError) => {
    const allowed = Math.min(cap, budget.remaining());
    const overBudget = allowed < cap;
    const over = () => (overBudget ? budget.exceeded() : tooBig());
    if ((zip.entry(name)?.size ?? 0) > allowed) throw over();
    const raw = zip.read(name);
    const out = compressed ? zstdDecompress(raw, allowed, label, over) : raw;
    budget.take(out.length);
    return out;
  };
  const entryTooBig = (label: string) => () =>
    new AppError('unsupported', `${label} unpacks to more than Cadence takes (${formatBytes(limits.maxEntryBytes)}); it refused the file. Nothing was imported.`);
  const mediaTooBig = (name: string) => () =>
    new AppError(
      'unsupported',
      `${WHAT}'s media file "${name.slice(0, 80)}" unpacks to more than ${formatBytes(limits.maxMediaFileBytes)}, the most Cadence takes per file; it may be damaged or malicious. Nothing was imported.`,
    );

  const collectionBytes = unpack(collectionName, `${WHAT}'s collection`, limits.maxEntryBytes, entryTooBig(`${WHAT}'s collection`));
  const db: Db = openDatabaseBytes(collectionBytes, `The collection inside the Anki package`, { stripTriggersAndViews: true });
  let collection: AnkiCollection;
  try {
    collection = readCollection(db);
  } finally {
    db.close();
  }

  let media: AnkiMediaEntry[] = [];
  if (zip.has('media')) {
    const list = unpack('media', `${WHAT}'s media list`, limits.maxEntryBytes, entryTooBig(`${WHAT}'s media list`));
    media = refuseReusedEntries(compressed ? currentMediaList(list) : legacyMediaList(list));
  }

  return {
    format,
    collection,
    media,
    readMedia(entry) {
      if (!zip.has(entry.zipName)) return null;
      return unpack(entry.zipName, `${WHAT}'s media file "${entry.name}"`, limits.maxMediaFileBytes, mediaTooBig(entry.name));
    },
  };
}

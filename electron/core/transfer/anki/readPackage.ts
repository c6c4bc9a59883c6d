// Opens an .apkg / .colpkg: which format it is, the collection inside, and the list of media files.
// Current packages also carry a placeholder `collection.anki2` for old Anki versions, so the `meta`
// entry (current format) is looked for first and the legacy names only when it is absent.
import { AppError } from '../../../../shared/errors';
import type { Db } from '../../context';
import { openDatabaseBytes } from '../sqliteBytes';
import { ProtoMessage } from '../protobuf';
import { isSafeEntryName, ZipArchive, type ZipLimits, DEFAULT_ZIP_LIMITS } from '../zip';
import { zstdDecompress } from '../zstd';
import { readCollection } from './readCollection';
import type { AnkiCollection, AnkiMediaEntry, AnkiPackageFormat } from './model';

const WHAT = 'The Anki package';

export const FORMAT_LABELS: Record<AnkiPackageFormat, string> = {
  'legacy-1': 'Anki package (legacy format)',
  'legacy-2': 'Anki package (Anki 2.1 legacy format)',
  latest: 'Anki package (current format)',
};

export interface AnkiPackage {
  format: AnkiPackageFormat;
  collection: AnkiCollection;
  media: AnkiMediaEntry[];
  /** The bytes of one media file, unpacked and checked; null when the package lists it but lacks it. */
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

export function readAnkiPackage(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): AnkiPackage {
  const zip = ZipArchive.open(bytes, WHAT, limits);
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
  const unpack = (name: string, label: string) => {
    const raw = zip.read(name);
    return compressed ? zstdDecompress(raw, limits.maxEntryBytes, label) : raw;
  };

  const collectionBytes = unpack(collectionName, `${WHAT}'s collection`);
  const db: Db = openDatabaseBytes(collectionBytes, `The collection inside the Anki package`);
  let collection: AnkiCollection;
  try {
    collection = readCollection(db);
  } finally {
    db.close();
  }

  let media: AnkiMediaEntry[] = [];
  if (zip.has('media')) {
    const list = unpack('media', `${WHAT}'s media list`);
    media = compressed ? currentMediaList(list) : legacyMediaList(list);
  }

  return {
    format,
    collection,
    media,
    readMedia(entry) {
      if (!zip.has(entry.zipName)) return null;
      return unpack(entry.zipName, `${WHAT}'s media file "${entry.name}"`);
    },
  };
}

// Anki packages built in code from the documented file format, for the import tests: legacy packages
// (schema 11, note types and decks as JSON in `col`) and current ones (schema 18 tables with protobuf
// settings, zstd-compressed collection, media list and media files, plus the placeholder collection.anki2).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { unzipSync, zipSync, type Zippable } from 'fflate';

export interface FxNoteType {
  id: number;
  name: string;
  cloze?: boolean;
  fields: string[];
  templates: { name: string; qfmt: string; afmt: string }[];
  css?: string;
  /** When the design last changed, epoch seconds (0 when absent). */
  mtime?: number;
  latexPre?: string;
  latexPost?: string;
}
export interface FxDeck {
  id: number;
  name: string;
  filtered?: boolean;
}
export interface FxNote {
  id: number;
  guid: string;
  mid: number;
  mod: number;
  tags: string[];
  fields: string[];
}
export interface FxCard {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl?: number;
  factor?: number;
  reps?: number;
  lapses?: number;
  left?: number;
  odue?: number;
  odid?: number;
  data?: string;
}
export interface FxReview {
  id: number;
  cid: number;
  ease: number;
  ivl: number;
  lastIvl: number;
  factor: number;
  time: number;
  type: number;
}
export interface FxCollection {
  crt: number;
  noteTypes: FxNoteType[];
  decks: FxDeck[];
  notes: FxNote[];
  cards: FxCard[];
  revlog: FxReview[];
  media: { name: string; bytes: Uint8Array }[];
}

// --- sample content -------------------------------------------------------------------------------

const DAY = 86_400;
/** Collection creation: 1 January 2026, 04:00 local time (Anki starts the day at the rollover hour). */
export const CRT = Math.floor(new Date('2026-01-01T04:00:00').getTime() / 1000);
const at = (iso: string) => new Date(iso).getTime();
export const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
export const MP3 = Uint8Array.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 9, 8, 7]);

export const NT = { basic: 1_700_000_000_001, reversed: 1_700_000_000_002, cloze: 1_700_000_000_003, custom: 1_700_000_000_004 };
export const DK = { default: 1, pm: 1_700_000_100_001, agile: 1_700_000_100_002, scrum: 1_700_000_100_003, filtered: 1_700_000_100_004 };

export function sampleCollection(): FxCollection {
  const noteTypes: FxNoteType[] = [
    { id: NT.basic, name: 'Basic', fields: ['Front', 'Back'], templates: [{ name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' }] },
    {
      id: NT.reversed,
      name: 'Basic (and reversed card)',
      fields: ['Front', 'Back'],
      templates: [
        { name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' },
        { name: 'Card 2', qfmt: '{{Back}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' },
      ],
    },
    {
      id: NT.cloze,
      name: 'Cloze',
      cloze: true,
      fields: ['Text', 'Back Extra'],
      templates: [{ name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>\n{{Back Extra}}' }],
    },
    {
      id: NT.custom,
      name: 'PM Term',
      fields: ['Term', 'Definition', 'Example'],
      templates: [
        { name: 'Recognise', qfmt: '<div class="term">{{Term}}</div>{{#Example}}{{hint:Example}}{{/Example}}', afmt: '{{FrontSide}}<hr id=answer>{{Definition}}' },
        { name: 'Recall', qfmt: '{{Definition}}', afmt: '{{FrontSide}}<hr id=answer>{{type:Term}}' },
      ],
      css: '.card { color: navy; background: url("_paper.png"); }\n.term { font-weight: bold; }',
    },
  ];
  const decks: FxDeck[] = [
    { id: DK.default, name: 'Default' },
    { id: DK.pm, name: 'PM' },
    { id: DK.agile, name: 'PM::Agile' },
    { id: DK.scrum, name: 'PM::Agile::Scrum' },
    { id: DK.filtered, name: 'Filtered Deck 1', filtered: true },
  ];
  const t0 = at('2026-01-10T09:00:00');
  const notes: FxNote[] = [
    { id: t0, guid: 'gSprint01', mid: NT.basic, mod: t0 / 1000, tags: ['scrum', 'agile::events'], fields: ['What is a sprint?', 'A time-box of one month or less <img src="scrum.png">'] },
    { id: t0 + 1, guid: 'gBacklog2', mid: NT.basic, mod: t0 / 1000, tags: ['scrum'], fields: ['Who orders the backlog?', 'The Product Owner [sound:bell.mp3]'] },
    { id: t0 + 2, guid: 'gVeloc03', mid: NT.reversed, mod: t0 / 1000, tags: [], fields: ['Velocity', 'Work done per sprint'] },
    { id: t0 + 3, guid: 'gCloze04', mid: NT.cloze, mod: t0 / 1000, tags: ['scrum'], fields: ['{{c1::Scrum}} has {{c2::three}} accountabilities', 'Scrum Guide 2020'] },
    { id: t0 + 4, guid: 'gOkr0005', mid: NT.custom, mod: t0 / 1000, tags: ['okr'], fields: ['OKR', 'Objectives and Key Results', 'Company-level goals'] },
    { id: t0 + 5, guid: 'gKanban6', mid: NT.basic, mod: t0 / 1000, tags: ['kanban'], fields: ['What limits WIP?', 'Kanban WIP limits'] },
    { id: t0 + 6, guid: 'gFilter7', mid: NT.basic, mod: t0 / 1000, tags: [], fields: ['Daily Scrum length?', '15 minutes'] },
  ];
  const c = (id: number, nid: number, did: number, ord: number, rest: Partial<FxCard>): FxCard => ({ id, nid, did, ord, type: 0, queue: 0, due: 0, ...rest });
  const cards: FxCard[] = [
    // A review card with three answers in its history; due on day 62 (4 March 2026).
    c(t0 + 100, t0, DK.scrum, 0, { type: 2, queue: 2, due: 62, ivl: 20, factor: 2500, reps: 3, lapses: 0 }),
    // A suspended review card.
    c(t0 + 101, t0 + 1, DK.scrum, 0, { type: 2, queue: -1, due: 70, ivl: 30, factor: 2300, reps: 4, lapses: 1 }),
    // Reversed: a new card (position 5) and one in learning, due 2 March 2026 10:30 (epoch seconds).
    c(t0 + 102, t0 + 2, DK.agile, 0, { type: 0, queue: 0, due: 5 }),
    c(t0 + 103, t0 + 2, DK.agile, 1, { type: 1, queue: 1, due: at('2026-03-02T10:30:00') / 1000, left: 1001, reps: 1 }),
    // Cloze: card 1 new (position 3), card 2 buried by the user.
    c(t0 + 104, t0 + 3, DK.scrum, 0, { type: 0, queue: 0, due: 3 }),
    c(t0 + 105, t0 + 3, DK.scrum, 1, { type: 0, queue: -3, due: 4 }),
    // Custom note type: two new cards in PM.
    c(t0 + 106, t0 + 4, DK.pm, 0, { type: 0, queue: 0, due: 1 }),
    c(t0 + 107, t0 + 4, DK.pm, 1, { type: 0, queue: 0, due: 1 }),
    // FSRS memory state kept by Anki in cards.data.
    c(t0 + 108, t0 + 5, DK.pm, 0, { type: 2, queue: 2, due: 65, ivl: 12, factor: 2500, reps: 2, data: '{"s":12.5,"d":6.2,"dr":0.9,"lrt":' + (at('2026-02-22T09:00:00') / 1000) + '}' }),
    // In a filtered deck: its home is PM::Agile, due there on day 64.
    c(t0 + 109, t0 + 6, DK.filtered, 0, { type: 2, queue: 2, due: 1000, ivl: 8, factor: 2500, reps: 2, odid: DK.agile, odue: 64 }),
  ];
  const review = (iso: string, cid: number, ease: number, ivl: number, lastIvl: number, type: number, time = 6000): FxReview => ({
    id: at(iso),
    cid,
    ease,
    ivl,
    lastIvl,
    factor: 2500,
    time,
    type,
  });
  const revlog: FxReview[] = [
    review('2026-01-10T09:05:00', t0 + 100, 3, -600, 0, 0),
    review('2026-01-11T09:00:00', t0 + 100, 3, 3, -600, 0),
    review('2026-02-12T09:00:00', t0 + 100, 3, 20, 3, 1, 4000),
    review('2026-01-10T09:06:00', t0 + 101, 3, 1, 0, 0),
    review('2026-01-20T09:00:00', t0 + 101, 1, -600, 1, 1),
    review('2026-01-20T09:10:00', t0 + 101, 3, 30, -600, 2),
    review('2026-03-02T10:20:00', t0 + 103, 3, -600, 0, 0),
    review('2026-02-10T09:00:00', t0 + 108, 3, 1, 0, 0),
    review('2026-02-22T09:00:00', t0 + 108, 4, 12, 1, 1),
  ];
  const media = [
    { name: 'scrum.png', bytes: PNG },
    { name: 'bell.mp3', bytes: MP3 },
    { name: '_paper.png', bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 42]) },
  ];
  return { crt: CRT, noteTypes, decks, notes, cards, revlog, media };
}

// --- schema 11 ------------------------------------------------------------------------------------

const CORE_TABLES = `
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL,
  tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL,
  data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL, ivl integer NOT NULL,
  lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn); CREATE INDEX ix_cards_usn ON cards (usn); CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid); CREATE INDEX ix_cards_sched ON cards (did, queue, due); CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);`;

const COL_TABLE = `CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL, models text NOT NULL,
  decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);`;

function fillCore(db: Database.Database, col: FxCollection): void {
  const note = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, ?)');
  for (const n of col.notes) note.run(n.id, n.guid, n.mid, n.mod, n.tags.length ? ` ${n.tags.join(' ')} ` : '', n.fields.join('\x1f'), n.fields[0] ?? '', '');
  const card = db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, 0, -1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)');
  for (const c of col.cards) {
    card.run(c.id, c.nid, c.did, c.ord, c.type, c.queue, c.due, c.ivl ?? 0, c.factor ?? 0, c.reps ?? 0, c.lapses ?? 0, c.left ?? 0, c.odue ?? 0, c.odid ?? 0, c.data ?? '');
  }
  const rev = db.prepare('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)');
  for (const r of col.revlog) rev.run(r.id, r.cid, r.ease, r.ivl, r.lastIvl, r.factor, r.time, r.type);
}

function legacyModels(col: FxCollection): string {
  const models: Record<string, unknown> = {};
  for (const nt of col.noteTypes) {
    models[String(nt.id)] = {
      id: nt.id,
      name: nt.name,
      type: nt.cloze ? 1 : 0,
      mod: nt.mtime ?? 0,
      usn: 0,
      sortf: 0,
      did: 1,
      tmpls: nt.templates.map((t, ord) => ({ name: t.name, ord, qfmt: t.qfmt, afmt: t.afmt, bqfmt: '', bafmt: '', did: null, bfont: '', bsize: 0 })),
      flds: nt.fields.map((name, ord) => ({ name, ord, sticky: false, rtl: false, font: 'Arial', size: 20 })),
      css: nt.css ?? '.card { font-family: arial; }',
      latexPre: nt.latexPre ?? '',
      latexPost: nt.latexPost ?? '',
      latexsvg: false,
      req: [],
    };
  }
  return JSON.stringify(models);
}

function legacyDecks(col: FxCollection): string {
  const decks: Record<string, unknown> = {};
  for (const d of col.decks) {
    decks[String(d.id)] = {
      id: d.id,
      name: d.name,
      mod: 0,
      usn: 0,
      collapsed: false,
      browserCollapsed: false,
      desc: '',
      dyn: d.filtered ? 1 : 0,
      conf: 1,
      newToday: [0, 0],
      revToday: [0, 0],
      lrnToday: [0, 0],
      timeToday: [0, 0],
      ...(d.filtered ? { resched: true, terms: [['deck:PM', 100, 0]], separate: true } : {}),
    };
  }
  return JSON.stringify(decks);
}

/** A schema-11 collection database as bytes. */
export function legacyCollectionBytes(col: FxCollection): Uint8Array {
  const db = new Database(':memory:');
  db.exec(COL_TABLE + CORE_TABLES + 'CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);');
  db.prepare('INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, ?, ?, ?, ?, ?)').run(
    col.crt,
    JSON.stringify({ schedVer: 2, nextPos: 10 }),
    legacyModels(col),
    legacyDecks(col),
    JSON.stringify({ 1: { id: 1, name: 'Default' } }),
    '{}',
  );
  fillCore(db, col);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

export function legacyPackage(col: FxCollection, collectionName: 'collection.anki2' | 'collection.anki21' = 'collection.anki21'): Uint8Array {
  const files: Zippable = { [collectionName]: legacyCollectionBytes(col) };
  const map: Record<string, string> = {};
  col.media.forEach((m, i) => {
    map[String(i)] = m.name;
    files[String(i)] = m.bytes;
  });
  files.media = new TextEncoder().encode(JSON.stringify(map));
  return zipSync(files);
}

// --- protobuf and zstd writers ----------------------------------------------------------------------

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** One protobuf message from [field, value] pairs: numbers as varints, strings and bytes length-delimited. */
export function proto(fields: [number, number | string | Uint8Array][]): Uint8Array {
  const out: number[] = [];
  for (const [field, value] of fields) {
    if (typeof value === 'number') out.push(...varint(field * 8), ...varint(value));
    else {
      const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
      out.push(...varint(field * 8 + 2), ...varint(bytes.length), ...bytes);
    }
  }
  return Uint8Array.from(out);
}

/** A valid Zstandard frame holding `content` in raw (uncompressed) blocks. */
export function zstdFrame(content: Uint8Array, declaredSize = content.length): Uint8Array {
  const MAX_BLOCK = 128 * 1024;
  const parts: Uint8Array[] = [Uint8Array.of(0x28, 0xb5, 0x2f, 0xfd, 0xa0, declaredSize & 255, (declaredSize >> 8) & 255, (declaredSize >> 16) & 255, (declaredSize >>> 24) & 255)];
  let offset = 0;
  do {
    const part = content.subarray(offset, offset + MAX_BLOCK);
    offset += part.length;
    const last = offset >= content.length ? 1 : 0;
    const header = (part.length << 3) | last; // block type 0: raw
    parts.push(Uint8Array.of(header & 255, (header >> 8) & 255, (header >> 16) & 255), part);
  } while (offset < content.length);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// --- schema 18 ------------------------------------------------------------------------------------

/** A schema-18 collection database as bytes, with the "unicase" collation Anki declares on its name columns. */
export function modernCollectionBytes(col: FxCollection): Uint8Array {
  const db = new Database(':memory:');
  db.exec(
    COL_TABLE +
      CORE_TABLES +
      `CREATE TABLE graves (oid integer NOT NULL, type integer NOT NULL, usn integer NOT NULL, PRIMARY KEY (oid, type)) WITHOUT ROWID;
       CREATE TABLE deck_config (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE nocase, mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
       CREATE TABLE config (KEY text NOT NULL PRIMARY KEY, usn integer NOT NULL, mtime_secs integer NOT NULL, val blob NOT NULL) WITHOUT ROWID;
       CREATE TABLE tags (tag text NOT NULL PRIMARY KEY COLLATE nocase, usn integer NOT NULL, collapsed boolean NOT NULL, config blob NULL) WITHOUT ROWID;
       CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE nocase, config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT ROWID;
       CREATE UNIQUE INDEX idx_fields_name_ntid ON fields (name, ntid);
       CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL COLLATE nocase, mtime_secs integer NOT NULL,
         usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT ROWID;
       CREATE UNIQUE INDEX idx_templates_name_ntid ON templates (name, ntid);
       CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL COLLATE nocase, mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
       CREATE UNIQUE INDEX idx_notetypes_name ON notetypes (name);
       CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL COLLATE nocase, mtime_secs integer NOT NULL, usn integer NOT NULL,
         common blob NOT NULL, kind blob NOT NULL);
       CREATE UNIQUE INDEX idx_decks_name ON decks (name);`,
  );
  db.prepare("INSERT INTO col VALUES (1, ?, 0, 0, 18, 0, 0, 0, '', '', '', '', '')").run(col.crt);
  const nt = db.prepare('INSERT INTO notetypes VALUES (?, ?, ?, 0, ?)');
  const field = db.prepare('INSERT INTO fields VALUES (?, ?, ?, ?)');
  const template = db.prepare('INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)');
  for (const t of col.noteTypes) {
    // Notetype.Config: kind = 1, sort_field_idx = 2, css = 3, latex_pre = 5, latex_post = 6.
    const config: [number, number | string][] = [[1, t.cloze ? 1 : 0], [2, 0], [3, t.css ?? '.card { font-family: arial; }']];
    if (t.latexPre) config.push([5, t.latexPre]);
    if (t.latexPost) config.push([6, t.latexPost]);
    nt.run(t.id, t.name, t.mtime ?? 0, proto(config));
    t.fields.forEach((name, ord) => field.run(t.id, ord, name, proto([[3, 'Arial'], [4, 20]])));
    // Template.Config: q_format = 1, a_format = 2.
    t.templates.forEach((tm, ord) => template.run(t.id, ord, tm.name, proto([[1, tm.qfmt], [2, tm.afmt]])));
  }
  const deck = db.prepare('INSERT INTO decks VALUES (?, ?, 0, 0, ?, ?)');
  for (const d of col.decks) {
    // KindContainer: normal = 1 (Normal { config_id = 1, description = 4 }) or filtered = 2.
    const kind = d.filtered ? proto([[2, proto([[1, 1]])]]) : proto([[1, proto([[1, 1], [4, `About ${d.name}`]])]]);
    deck.run(d.id, d.name.split('::').join('\x1f'), proto([]), kind);
  }
  // The default preset: DeckConfig.Config { new_per_day = 9, reviews_per_day = 10, leech_action = 21, leech_threshold = 22 }.
  db.prepare("INSERT INTO deck_config VALUES (1, 'Default', 0, 0, ?)").run(proto([[9, 20], [10, 200], [21, 1], [22, 8]]));
  // Collection settings are JSON values in the config table.
  const config = db.prepare('INSERT INTO config VALUES (?, 0, 0, ?)');
  for (const [key, value] of Object.entries({ schedVer: 2, sched2021: true, curDeck: 1, nextPos: 10, creationOffset: -60 })) {
    config.run(key, Buffer.from(JSON.stringify(value)));
  }
  const tags = db.prepare('INSERT INTO tags VALUES (?, 0, 0, NULL)');
  for (const tag of new Set(col.notes.flatMap((n) => n.tags))) tags.run(tag);
  fillCore(db, col);
  // Real collections declare Anki's own collation on these columns; only Anki has it.
  db.unsafeMode(true);
  db.pragma('writable_schema = ON');
  db.exec("UPDATE sqlite_master SET sql = replace(sql, 'COLLATE nocase', 'COLLATE unicase') WHERE sql LIKE '%COLLATE nocase%'");
  db.pragma('writable_schema = OFF');
  db.unsafeMode(false);
  const bytes = db.serialize();
  db.close();
  return bytes;
}

/** A current-format package (PackageMetadata version 3), as Anki 2.1.50+ exports by default. */
export function modernPackage(col: FxCollection): Uint8Array {
  const stored = { level: 0 as const };
  const dummy = legacyCollectionBytes({ ...col, notes: [], cards: [], revlog: [], media: [] });
  const files: Zippable = {
    meta: [proto([[1, 3]]), stored],
    'collection.anki2': dummy,
    'collection.anki21b': [zstdFrame(modernCollectionBytes(col)), stored],
  };
  const entries = col.media.map((m, i) => {
    files[String(i)] = [zstdFrame(m.bytes), stored];
    return proto([[1, m.name], [2, m.bytes.length], [3, new Uint8Array(20)]]);
  });
  const list = entries.reduce<[number, Uint8Array][]>((acc, e) => [...acc, [1, e]], []);
  files.media = [zstdFrame(proto(list)), stored];
  return zipSync(files);
}

/** A collection of `count` basic notes (one new card each) in deck "Big", every tenth with a picture. */
export function bigCollection(count: number, mediaFiles = 0): FxCollection {
  const base = sampleCollection();
  const t0 = new Date('2026-01-05T08:00:00').getTime();
  const media = Array.from({ length: mediaFiles }, (_, i) => ({ name: `pic${i}.png`, bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, i & 255, (i >> 8) & 255, 7]) }));
  const notes: FxNote[] = [];
  const cards: FxCard[] = [];
  for (let i = 0; i < count; i++) {
    const picture = mediaFiles && i % 10 === 0 ? ` <img src="pic${(i / 10) % mediaFiles}.png">` : '';
    notes.push({ id: t0 + i, guid: `big${i}`, mid: NT.basic, mod: t0 / 1000, tags: ['big'], fields: [`Question ${i}`, `Answer ${i}${picture}`] });
    cards.push({ id: t0 + count + i, nid: t0 + i, did: 77, ord: 0, type: 0, queue: 0, due: i });
  }
  return { ...base, decks: [{ id: 1, name: 'Default' }, { id: 77, name: 'Big' }], notes, cards, revlog: [], media };
}

// --- reading packages back (for export tests) -------------------------------------------------------

export interface ReadNoteType {
  id: number;
  name: string;
  cloze: boolean;
  fields: string[];
  templates: { name: string; qfmt: string; afmt: string }[];
  css: string;
  latexPre: string;
  latexPost: string;
}
export interface ReadPackage {
  noteTypes: ReadNoteType[];
  decks: { id: number; name: string }[];
  notes: { id: number; guid: string; mid: number; mod: number; tags: string; flds: string[] }[];
  cards: { id: number; nid: number; did: number; ord: number; type: number; queue: number; due: number; ivl: number; factor: number; reps: number; lapses: number; data: string }[];
  revlog: { id: number; cid: number; ease: number; ivl: number; lastIvl: number; factor: number; time: number; type: number }[];
  /** Media by the name notes use, with their bytes. */
  media: Map<string, Uint8Array>;
}

/**
 * Reads a legacy (schema 11) .apkg the way Anki does, written from the documented format and nothing
 * of Cadence's importer: the zip, the media map, the col row's JSON and the notes/cards/revlog tables.
 */
export function readLegacyPackage(bytes: Uint8Array): ReadPackage {
  const files = unzipSync(bytes);
  const collection = files['collection.anki21'] ?? files['collection.anki2'];
  if (!collection) throw new Error('no collection in the package');
  const db = new Database(Buffer.from(collection));
  try {
    const col = db.prepare('SELECT models, decks FROM col').get() as { models: string; decks: string };
    const models = Object.values(JSON.parse(col.models) as Record<string, Record<string, unknown>>);
    const noteTypes = models.map((m) => ({
      id: m.id as number,
      name: m.name as string,
      cloze: m.type === 1,
      fields: (m.flds as { name: string; ord: number }[]).sort((a, b) => a.ord - b.ord).map((f) => f.name),
      templates: (m.tmpls as { name: string; ord: number; qfmt: string; afmt: string }[]).sort((a, b) => a.ord - b.ord).map(({ name, qfmt, afmt }) => ({ name, qfmt, afmt })),
      css: m.css as string,
      latexPre: m.latexPre as string,
      latexPost: m.latexPost as string,
    }));
    const decks = Object.values(JSON.parse(col.decks) as Record<string, { id: number; name: string }>).map(({ id, name }) => ({ id, name }));
    const notes = (db.prepare('SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id').all() as { id: number; guid: string; mid: number; mod: number; tags: string; flds: string }[]).map(
      (n) => ({ ...n, flds: n.flds.split('\x1f') }),
    );
    const cards = db.prepare('SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, data FROM cards ORDER BY id').all() as ReadPackage['cards'];
    const revlog = db.prepare('SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id').all() as ReadPackage['revlog'];
    const map = JSON.parse(new TextDecoder().decode(files.media ?? new TextEncoder().encode('{}'))) as Record<string, string>;
    const media = new Map(Object.entries(map).map(([index, name]) => [name, files[index]!]));
    return { noteTypes, decks, notes, cards, revlog, media };
  } finally {
    db.close();
  }
}

// --- a package as a current Anki writes it ----------------------------------------------------------

/**
 * Zstandard compression as Anki's exporter does it: a streaming encoder at the default level, so the
 * frame declares no content size and has no checksum, with real compressed blocks. Uses the zstd
 * command (Debian: apt-get install zstd); Node 20 has no Zstandard encoder of its own.
 */
export function zstdCompress(bytes: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(execFileSync('zstd', ['-q', '-c', '-3', '--no-check', '--no-content-size'], { input: bytes, maxBuffer: 1 << 30 }));
  } catch (err) {
    throw new Error(`The zstd command is needed to build the current-Anki test package (Debian: apt-get install zstd): ${(err as Error).message}`);
  }
}

/** The placeholder collection.anki2 Anki puts beside the real one: one Basic note in Default saying the file needs a newer Anki. */
function placeholderCollection(): Uint8Array {
  const base = sampleCollection();
  const basic = base.noteTypes.find((t) => t.id === NT.basic)!;
  const id = 1_700_000_000_000;
  return legacyCollectionBytes({
    ...base,
    noteTypes: [basic],
    decks: [{ id: 1, name: 'Default' }],
    notes: [{ id, guid: 'placeholder', mid: basic.id, mod: id / 1000, tags: [], fields: ['This file requires a newer version of Anki.', ''] }],
    cards: [{ id: id + 1, nid: id, did: 1, ord: 0, type: 0, queue: 0, due: 1 }],
    revlog: [],
    media: [],
  });
}

/**
 * A package laid out as a current Anki (23.10 and later) exports one, following
 * proto/anki/import_export.proto and rslib's package writer: every entry stored (not deflated);
 * `meta` = PackageMetadata { version: VERSION_LATEST (3) }; `collection.anki21b` = the schema-18
 * collection in one zstd stream; `collection.anki2` = the placeholder for old Ankis; media files under
 * "0", "1", … each in its own zstd stream; `media` = zstd of MediaEntries { repeated MediaEntry
 * entries = 1 } with MediaEntry { name = 1, size = 2, sha1 = 3 } (no legacy zip name).
 */
export function currentAnkiPackage(col: FxCollection): Uint8Array {
  const stored = { level: 0 as const };
  const files: Zippable = {
    meta: [proto([[1, 3]]), stored],
    'collection.anki21b': [zstdCompress(modernCollectionBytes(col)), stored],
    'collection.anki2': [placeholderCollection(), stored],
  };
  const entries: [number, Uint8Array][] = col.media.map((m, i) => {
    files[String(i)] = [zstdCompress(m.bytes), stored];
    return [1, proto([[1, m.name.normalize('NFC')], [2, m.bytes.length], [3, new Uint8Array(createHash('sha1').update(m.bytes).digest())]])];
  });
  files.media = [zstdCompress(proto(entries)), stored];
  return zipSync(files);
}

/** What a zstd frame header says: whether it declares its size and has a checksum, and its first block's type. */
export function zstdFrameHeader(frame: Uint8Array): { declaresSize: boolean; checksum: boolean; firstBlockType: number } {
  const fhd = frame[4]!;
  const single = (fhd >> 5) & 1;
  const fcsFlag = fhd >> 6;
  const fcsBytes = fcsFlag === 0 ? (single ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
  const headerEnd = 5 + (single ? 0 : 1) + [0, 1, 2, 4][fhd & 3]! + fcsBytes;
  return { declaresSize: fcsBytes > 0, checksum: ((fhd >> 2) & 1) === 1, firstBlockType: (frame[headerEnd]! >> 1) & 3 };
}

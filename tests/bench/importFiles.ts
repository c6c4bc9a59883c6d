// The files the import cases read: a CSV of N notes (Front, Back, Tags) and a legacy Anki package
// (schema 11 `collection.anki21`, what "Support older Anki versions" exports) with a shared deck's
// note types, subdecks, review history and media. Made from the same seeded text as the collection,
// written once and cached beside it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { makeContent, plainText, type NoteKind } from './content';
import { cacheRoot } from './generate';
import { writeMedia } from './media';
import { makeRng } from './rng';
import { ANKI_SCHEMA_11 } from '../../electron/core/transfer/anki/schema11';

const FILES_VERSION = 3;

function cached(name: string, make: (file: string) => void): string {
  const dir = path.join(cacheRoot(), 'import-files');
  fs.mkdirSync(dir, { recursive: true });
  // Files an older version of this module made are of no further use.
  for (const old of fs.readdirSync(dir)) {
    if (!old.startsWith(`v${FILES_VERSION}-`) && !old.endsWith('.partial')) fs.rmSync(path.join(dir, old), { force: true });
  }
  const file = path.join(dir, `v${FILES_VERSION}-${name}`);
  if (!fs.existsSync(file)) {
    const partial = `${file}.${process.pid}.partial`;
    make(partial);
    fs.renameSync(partial, file);
  }
  return file;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A comma-separated file of `rows` notes: Front, Back, Tags (HTML allowed, quoted where needed). */
export function csvFile(rows: number): string {
  return cached(`notes-${rows}.csv`, (file) => {
    const rng = makeRng(101);
    const content = makeContent(rng, []);
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      const note = content.note(rng.chance(0.8) ? 'basic' : 'reversed', 1);
      // Distinct first fields: a real word list has no duplicates, and the importer must add every row.
      lines.push([`${note.fields[0]} (${i + 1})`, note.fields[1], note.tags.join(' ')].map(csvCell).join(','));
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  });
}

/** Splits the CSV csvFile() writes into rows of cells (quotes, doubled quotes, newlines in quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let cell: string;
    if (text[i] === '"') {
      // Quoted: up to the quote not followed by another quote; doubled quotes stand for one.
      let j = i + 1;
      let parts = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) throw new Error('unterminated quote');
        if (text[q + 1] === '"') {
          parts += text.slice(j, q + 1);
          j = q + 2;
        } else {
          parts += text.slice(j, q);
          i = q + 1;
          break;
        }
      }
      cell = parts;
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\n') j++;
      cell = text.slice(i, j);
      i = j;
    }
    row.push(cell);
    if (text[i] === ',') i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

const CSS = '.card { font-family: arial; font-size: 20px; text-align: center; color: black; background-color: white; }';

function model(id: number, name: string, kind: NoteKind) {
  const cloze = kind === 'cloze';
  const fields = cloze ? ['Text', 'Back Extra'] : ['Front', 'Back'];
  const templates = cloze
    ? [{ name: 'Cloze', qfmt: '{{cloze:Text}}', afmt: '{{cloze:Text}}<br>\n{{Back Extra}}' }]
    : [
        { name: 'Card 1', qfmt: '{{Front}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}' },
        ...(kind === 'reversed' ? [{ name: 'Card 2', qfmt: '{{Back}}', afmt: '{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}' }] : []),
      ];
  return {
    id,
    name,
    type: cloze ? 1 : 0,
    mod: 1_700_000_000,
    usn: -1,
    sortf: 0,
    did: 1,
    tmpls: templates.map((t, ord) => ({ ...t, ord, bqfmt: '', bafmt: '', did: null, bfont: '', bsize: 0 })),
    flds: fields.map((f, ord) => ({ name: f, ord, sticky: false, rtl: false, font: 'Arial', size: 20, media: [] })),
    css: CSS,
    latexPre: '\\documentclass[12pt]{article}\n\\begin{document}\n',
    latexPost: '\\end{document}',
    latexsvg: false,
    req: templates.map((_, ord) => [ord, 'any', [ord]]),
    tags: [],
    vers: [],
  };
}


export interface ApkgInfo {
  file: string;
  notes: number;
  cards: number;
  reviews: number;
  media: number;
}

/**
 * A shared deck of `notes` notes (basic, reversed, cloze) in 12 subdecks, 40% of its cards with
 * review history (SM-2 fields, as Anki keeps them), and 60 media files.
 */
export function apkgFile(notes: number): ApkgInfo {
  let info: Omit<ApkgInfo, 'file'> | null = null;
  const infoFile = () => path.join(cacheRoot(), 'import-files', `v${FILES_VERSION}-deck-${notes}.json`);
  const file = cached(`deck-${notes}.apkg`, (out) => {
    const rng = makeRng(202);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-bench-apkg-'));
    try {
      const mediaNames = writeMedia(rng.fork('media'), 60, path.join(tmp, 'media'), 'anki');
      const content = makeContent(rng.fork('content'), mediaNames, 'anki');
      const db = new Database(path.join(tmp, 'collection.anki21'));
      db.pragma('journal_mode = OFF');
      db.exec(ANKI_SCHEMA_11);
      const crt = 1_640_995_200; // 2022-01-01, seconds
      const base = 1_650_000_000_000;
      const models = { basic: 1_650_000_000_001, reversed: 1_650_000_000_002, cloze: 1_650_000_000_003 };
      const deckIds = Array.from({ length: 13 }, (_, i) => (i === 0 ? 1_650_000_000_100 : 1_650_000_000_100 + i));
      const deckNames = deckIds.map((_, i) => (i === 0 ? 'Shared PM Deck' : `Shared PM Deck::Section ${String(i).padStart(2, '0')}`));
      const decks: Record<string, unknown> = {
        '1': { id: 1, name: 'Default', mod: 0, usn: 0, collapsed: false, browserCollapsed: false, desc: '', dyn: 0, conf: 1, extendNew: 0, extendRev: 0, newToday: [0, 0], revToday: [0, 0], lrnToday: [0, 0], timeToday: [0, 0] },
      };
      deckIds.forEach((id, i) => {
        decks[String(id)] = { id, name: deckNames[i], mod: 1_700_000_000, usn: -1, collapsed: false, browserCollapsed: false, desc: '', dyn: 0, conf: 1, extendNew: 0, extendRev: 0, newToday: [0, 0], revToday: [0, 0], lrnToday: [0, 0], timeToday: [0, 0] };
      });
      const dconf = {
        '1': {
          id: 1, name: 'Default', mod: 0, usn: 0, maxTaken: 60, autoplay: true, timer: 0, replayq: true, dyn: false,
          new: { bury: false, delays: [1, 10], initialFactor: 2500, ints: [1, 4, 0], order: 1, perDay: 20 },
          rev: { bury: false, ease4: 1.3, ivlFct: 1, maxIvl: 36500, perDay: 200, hardFactor: 1.2 },
          lapse: { delays: [10], leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
        },
      };
      db.prepare('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)').run(
        crt, 1_700_000_000_000, 1_700_000_000_000,
        JSON.stringify({ nextPos: notes * 2 + 1, schedVer: 2, sched2021: true, activeDecks: [1], curDeck: 1, collapseTime: 1200 }),
        JSON.stringify({
          [models.basic]: model(models.basic, 'Basic', 'basic'),
          [models.reversed]: model(models.reversed, 'Basic (and reversed card)', 'reversed'),
          [models.cloze]: model(models.cloze, 'Cloze', 'cloze'),
        }),
        JSON.stringify(decks), JSON.stringify(dconf), '{}',
      );
      const insNote = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, \'\')');
      const insCard = db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, \'\')');
      const insRev = db.prepare('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)');
      let cardId = base + 10_000_000;
      let revId = 1_680_000_000_000;
      let cardCount = 0;
      let reviewCount = 0;
      let position = 0;
      const today = 1_700_000_000; // seconds: when the deck was exported
      db.transaction(() => {
        for (let n = 0; n < notes; n++) {
          const x = rng.next();
          const kind: NoteKind = x < 0.6 ? 'basic' : x < 0.75 ? 'reversed' : 'cloze';
          const note = content.note(kind, kind === 'cloze' ? rng.int(1, 3) : 1);
          const id = base + n;
          const first = plainText(note.fields[0]);
          const csum = crypto.createHash('sha1').update(first).digest().readUInt32BE(0);
          const guid = crypto.createHash('sha1').update(`bench-${n}`).digest('base64').slice(0, 10);
          insNote.run(id, guid, models[kind], today, note.tags.length ? ` ${note.tags.join(' ')} ` : '', note.fields.join('\x1f'), first, csum);
          const did = deckIds[1 + (n % 12)]!;
          for (const ord of note.ords) {
            cardId++;
            cardCount++;
            position++;
            if (!rng.chance(0.4)) {
              insCard.run(cardId, id, did, ord, today, 0, 0, position, 0, 0, 0, 0);
              continue;
            }
            // SM-2 history: intervals growing ~2.5x, an occasional lapse.
            const reviews = rng.int(2, 9);
            let ivl = 0;
            let lapses = 0;
            let at = (crt + rng.int(0, 300) * 86_400) * 1000;
            for (let r = 0; r < reviews; r++) {
              const lapse = r > 1 && rng.chance(0.08);
              const lastIvl = ivl;
              ivl = r === 0 ? -600 : lapse ? 1 : Math.max(1, Math.round(Math.max(lastIvl, 1) * 2.5));
              if (lapse) lapses++;
              revId = Math.max(revId + 1, at);
              insRev.run(revId, cardId, lapse ? 1 : 3, ivl, lastIvl, 2500, rng.int(2000, 15000), r === 0 ? 0 : lapse ? 2 : 1);
              reviewCount++;
              at += Math.max(1, ivl) * 86_400_000;
            }
            const dueDay = Math.round((at / 1000 - crt) / 86_400);
            insCard.run(cardId, id, did, ord, today, 2, 2, dueDay, Math.max(1, ivl), 2500, reviews, lapses);
          }
        }
      })();
      db.close();
      const zip: Zippable = { 'collection.anki21': fs.readFileSync(path.join(tmp, 'collection.anki21')) };
      const map: Record<string, string> = {};
      mediaNames.forEach((name, i) => {
        map[String(i)] = name;
        zip[String(i)] = fs.readFileSync(path.join(tmp, 'media', name));
      });
      zip.media = strToU8(JSON.stringify(map));
      fs.writeFileSync(out, zipSync(zip, { level: 6 }));
      info = { notes, cards: cardCount, reviews: reviewCount, media: mediaNames.length };
      fs.writeFileSync(infoFile(), JSON.stringify(info));
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
  info ??= JSON.parse(fs.readFileSync(infoFile(), 'utf8')) as Omit<ApkgInfo, 'file'>;
  return { file, ...info };
}

// A deck tree as an Anki package in the legacy layout (collection.anki2, schema 11, JSON note types and
// decks in `col`), which every Anki version can import. With scheduling, cards keep their state, due
// date, FSRS memory state (cards.data s/d, as Anki stores it) and review history; Cadence's exact due
// and last-review times ride along in the card's custom data so a round trip through Cadence loses
// nothing. Media the notes refer to go in under their original names, in Anki's own syntax (<img src>,
// [sound:]); notes written in Markdown go out as the HTML Anki shows. What Cadence keeps only for Anki
// goes back: a note type's LaTeX header and footer, each card's ease factor.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { usesCloze } from '../../../../shared/ankiTemplate';
import type { NoteType } from '../../../../shared/contract/flashcards';
import { studyDayNumber, studyDayStart, studyDayEnd } from '../../../../shared/studyDay';
import { ankiExportPreset } from '../../fsrs/ankiParams';
import type { CoreContext } from '../../context';
import { openSqlite } from '../../db/sqlite';
import { plainText } from '../../flashcards/notes';
import { makeSettingsStore } from '../../settings';
import type { Job } from '../jobs';
import { makeExportMediaNames, type MediaStore } from '../media';
import type { CadenceCustomData } from '../anki/schedule';
import { exportFields, exportFileName, makeDeckContentReader, type ExportCard, type ExportReview } from './deckContent';
import { ANKI_SCHEMA_11 } from '../anki/schema11';

const DAY_MS = 86_400_000;
const STANDARD_CSS = '.card {\n  font-family: arial;\n  font-size: 20px;\n  text-align: center;\n  color: black;\n  background-color: white;\n}\n';
const CLOZE_CSS = `${STANDARD_CSS}\n.cloze {\n  font-weight: bold;\n  color: blue;\n}\n`;
const ANSWER = '{{FrontSide}}\n\n<hr id=answer>\n\n';
/** LaTeX header and footer for note types that have none of their own: a plain article with the AMS packages. */
const LATEX_PRE =
  '\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n';
const LATEX_POST = '\\end{document}';
/** Anki's deck 1, which every collection has. */
const DEFAULT_DECK = 'Default';


/** Stable Anki ids for Cadence's note types and decks, so exporting twice reuses them in Anki. */
function modelId(type: NoteType, sourceKey: string | null): number {
  const fromAnki = sourceKey?.match(/^anki:(\d+):/)?.[1];
  return fromAnki ? Number(fromAnki) : 1_000_000_000_000 + type.id;
}
const deckAnkiId = (deckId: number) => 1_000_001_000_000 + deckId;

function templatesOf(type: NoteType): { name: string; qfmt: string; afmt: string }[] {
  const [f0 = 'Front', f1 = 'Back'] = type.fields;
  switch (type.kind) {
    case 'basic':
      return [{ name: 'Card 1', qfmt: `{{${f0}}}`, afmt: `${ANSWER}{{${f1}}}` }];
    case 'reversed':
      return [
        { name: 'Card 1', qfmt: `{{${f0}}}`, afmt: `${ANSWER}{{${f1}}}` },
        { name: 'Card 2', qfmt: `{{${f1}}}`, afmt: `${ANSWER}{{${f0}}}` },
      ];
    case 'cloze':
      return [{ name: 'Cloze', qfmt: `{{cloze:${f0}}}`, afmt: `{{cloze:${f0}}}<br>\n{{${f1}}}` }];
    case 'custom':
      return type.templates.map((t) => ({ name: t.name, qfmt: t.front, afmt: t.back }));
  }
}

/** A unique id near `wanted` (Anki ids are epoch ms and must not repeat). */
function uniqueIds() {
  const used = new Set<number>();
  return (wanted: number) => {
    let id = Math.max(1, Math.round(wanted));
    while (used.has(id)) id++;
    used.add(id);
    return id;
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Anki notes have no place for a source outside their fields, so it is appended to the field shown only
 * on the answer side: Back of a Basic note, Extra of a Cloze note. A Reversed note's Back is also the
 * question of its second card, and a custom type's layout is unknown, so theirs is left out.
 */
function withSource(fields: string[], type: NoteType, source: string): void {
  if (!source || (type.kind !== 'basic' && type.kind !== 'cloze') || fields.length < 2) return;
  const last = fields.length - 1;
  fields[last] = `${fields[last]}<div class="source">Source: ${escapeHtml(source)}</div>`;
}

/** SHA-1 of the first field's text, first 4 bytes as a number: Anki's duplicate-check checksum. */
function fieldChecksum(text: string): number {
  return Number.parseInt(crypto.createHash('sha1').update(text).digest('hex').slice(0, 8), 16);
}

/** FSRS difficulty (1-10) as Anki records it in review log factors (100-1100). */
const difficultyFactor = (d: number) => Math.round(((Math.min(10, Math.max(1, d)) - 1) / 9) * 1000 + 100);

export interface ApkgOptions {
  includeScheduling: boolean;
  includeMedia: boolean;
}

export function makeApkgExporter(ctx: CoreContext, media: MediaStore) {
  const content = makeDeckContentReader(ctx);
  const settings = makeSettingsStore(ctx.db);
  const ankiExtras = ctx.db.prepare<[number], { source_key: string | null; latex_pre: string | null; latex_post: string | null }>(
    'SELECT source_key, latex_pre, latex_post FROM note_types WHERE id = ?',
  );

  async function exportDeck(deckId: number, options: ApkgOptions, job: Job) {
    const now = ctx.clock.now();
    const rollover = settings.get().dayRolloverHour;
    await job.step('packing', 0, 3);
    const deck = content.read(deckId);
    const reviews: ExportReview[] = options.includeScheduling ? content.reviews(deckId) : [];

    // Day 0 of Anki's due numbers: the start of the study day of the earliest moment exported.
    const earliest = Math.min(now, ...deck.notes.map((n) => n.created_at), ...deck.cards.map((c) => c.due), ...reviews.map((r) => r.reviewed_at));
    const crtMs = studyDayStart(earliest, rollover);
    const crt = Math.floor(crtMs / 1000);
    const dayNumber = (ms: number) => Math.max(0, Math.floor((ms - crtMs) / DAY_MS));
    const today = studyDayNumber(now, rollover);
    const endOfToday = studyDayEnd(now, rollover);

    // Media: references use the names the files had (also without media in the package, so they
    // point at the files already in the user's Anki); the files go in when chosen.
    const mediaNames = makeExportMediaNames(media.originalNames());
    const exportHtml = mediaNames.html;

    const db = openSqlite(':memory:');
    try {
      db.exec(ANKI_SCHEMA_11);
      const models: Record<string, unknown> = {};
      const mids = new Map<number, number>();
      for (const type of deck.noteTypes.values()) {
        const extras = ankiExtras.get(type.id);
        const mid = modelId(type, extras?.source_key ?? null);
        mids.set(type.id, mid);
        const cloze = type.kind === 'cloze' || (type.kind === 'custom' && usesCloze(type.templates));
        const templates = templatesOf(type);
        models[String(mid)] = {
          id: mid,
          name: type.name,
          type: cloze ? 1 : 0,
          mod: Math.floor(now / 1000),
          usn: -1,
          sortf: 0,
          did: null,
          tmpls: templates.map((t, ord) => ({
            name: t.name,
            ord,
            qfmt: exportHtml(t.qfmt),
            afmt: exportHtml(t.afmt),
            bqfmt: '',
            bafmt: '',
            did: null,
            bfont: '',
            bsize: 0,
          })),
          flds: type.fields.map((name, ord) => ({ name, ord, sticky: false, rtl: false, font: 'Arial', size: 20, description: '', plainText: false })),
          css: type.kind === 'custom' ? exportHtml(type.css) : cloze ? CLOZE_CSS : STANDARD_CSS,
          latexPre: extras?.latex_pre ?? LATEX_PRE,
          latexPost: extras?.latex_post ?? LATEX_POST,
          latexsvg: false,
          req: cloze ? [] : templates.map((_, ord) => [ord, 'any', [ord === 1 && type.kind === 'reversed' ? 1 : 0]]),
          tags: [],
          vers: [],
        };
      }
      // The decks' options preset: Anki's Default, or one carrying the fitted FSRS parameters.
      const preset = ankiExportPreset(ctx.db, deckId);
      const deckJson = (id: number, name: string, desc = '') => ({
        id,
        name,
        mod: Math.floor(now / 1000),
        usn: -1,
        collapsed: false,
        browserCollapsed: false,
        desc,
        dyn: 0,
        conf: id === 1 ? 1 : preset.id,
        extendNew: 0,
        extendRev: 0,
        newToday: [0, 0],
        revToday: [0, 0],
        lrnToday: [0, 0],
        timeToday: [0, 0],
      });
      // A deck of Cadence's named "Default" is Anki's deck 1 (two decks of one name would clash in Anki).
      const ankiDeckIds = new Map([...deck.deckPaths].map(([id, p]) => [id, p.toLowerCase() === DEFAULT_DECK.toLowerCase() ? 1 : deckAnkiId(id)]));
      const decksJson: Record<string, unknown> = { 1: deckJson(1, DEFAULT_DECK) };
      // A deck's description goes with it (a starter deck's carries its licence and attribution).
      for (const [id, p] of deck.deckPaths) {
        decksJson[String(ankiDeckIds.get(id)!)] = deckJson(ankiDeckIds.get(id)!, p, escapeHtml(deck.descriptions.get(id) ?? ''));
      }
      const dconfJson = (id: number, name: string) => ({
        id,
        name,
        mod: 0,
        usn: 0,
        maxTaken: 60,
        autoplay: true,
        timer: 0,
        replayq: true,
        dyn: false,
        new: { bury: false, delays: [1, 10], initialFactor: 2500, ints: [1, 4, 0], order: 1, perDay: 20 },
        rev: { bury: false, ease4: 1.3, ivlFct: 1, maxIvl: 36500, perDay: 200, hardFactor: 1.2 },
        lapse: { delays: [10], leechAction: 1, leechFails: 8, minInt: 1, mult: 0 },
      });
      // The fitted FSRS parameters where Anki keeps them, so an Anki user keeps the fit.
      const dconf = { 1: dconfJson(1, 'Default'), [preset.id]: { ...dconfJson(preset.id, preset.name), ...preset.fields } };
      const conf = { activeDecks: [1], curDeck: 1, newSpread: 0, collapseTime: 1200, timeLim: 0, estTimes: true, dueCounts: true, curModel: null, nextPos: deck.cards.length + 1, sortType: 'noteFld', sortBackwards: false, addToCur: true, schedVer: 2, sched2021: true };
      db.prepare('INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, ?)').run(
        crt,
        now,
        now,
        JSON.stringify(conf),
        JSON.stringify(models),
        JSON.stringify(decksJson),
        JSON.stringify(dconf),
        '{}',
      );
      await job.step('packing', 1, 3);

      const noteId = uniqueIds();
      const nids = new Map<number, number>();
      const insertNote = db.prepare('INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, ?)');
      for (const n of deck.notes) {
        const id = noteId(n.created_at);
        nids.set(n.id, id);
        const fields = exportFields(n).map(exportHtml);
        const type = deck.noteTypes.get(n.note_type_id)!;
        withSource(fields, type, n.source);
        const sort = plainText(fields[0] ?? '', type.kind === 'cloze');
        insertNote.run(id, n.guid, mids.get(n.note_type_id)!, Math.floor(n.updated_at / 1000), n.tags, fields.join('\x1f'), sort, fieldChecksum(sort), '');
      }

      const cardId = uniqueIds();
      const cids = new Map<number, number>();
      const insertCard = db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?)');
      // New cards keep their order: position = rank by Cadence's new-card position.
      const newRank = new Map(
        [...new Set(deck.cards.filter((c) => c.state === 0).map((c) => c.new_position))].sort((a, b) => a - b).map((pos, i) => [pos, i + 1]),
      );
      for (const c of deck.cards) {
        const id = cardId(c.created_at);
        cids.set(c.id, id);
        const s = options.includeScheduling ? ankiSchedule(c, { dayNumber, today, endOfToday }) : null;
        insertCard.run(
          id,
          nids.get(c.note_id)!,
          ankiDeckIds.get(c.deck_id) ?? deckAnkiId(c.deck_id),
          c.ord,
          Math.floor(c.updated_at / 1000),
          s?.type ?? 0,
          s?.queue ?? 0,
          s && s.type !== 0 ? s.due : (newRank.get(c.new_position) ?? 0),
          s?.ivl ?? 0,
          s?.factor ?? 0,
          s ? c.reps : 0,
          s ? c.lapses : 0,
          s?.left ?? 0,
          s?.data ?? '',
        );
      }

      const reviewId = uniqueIds();
      const insertReview = db.prepare('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)');
      for (const r of reviews) {
        const cid = cids.get(r.card_id);
        if (cid === undefined) continue;
        insertReview.run(reviewId(r.reviewed_at), cid, r.rating, ...ankiReview(r));
      }
      await job.step('packing', 2, 3);

      const files: Zippable = { 'collection.anki2': db.serialize() };
      const map: Record<string, string> = {};
      let index = 0;
      for (const [stored, name] of options.includeMedia ? mediaNames.names : []) {
        const file = path.join(ctx.paths.mediaDir, stored);
        if (!fs.existsSync(file)) continue;
        map[String(index)] = name;
        files[String(index)] = [fs.readFileSync(file), { level: 0 }];
        index++;
      }
      files.media = new TextEncoder().encode(JSON.stringify(map));
      const bytes = zipSync(files, { level: 6 });
      await job.step('packing', 3, 3);
      return { bytes, fileName: exportFileName(deck.rootPath, 'apkg'), notes: deck.notes.length, cards: deck.cards.length, media: index };
    } finally {
      db.close();
    }
  }

  return { exportDeck };
}

/** A card's schedule in Anki's columns (for new cards `due` is filled in with the queue position). */
function ankiSchedule(c: ExportCard, t: { dayNumber: (ms: number) => number; today: number; endOfToday: number }) {
  // Suspended and buried cards sit in their own queues whatever their state.
  const hold = (queue: number) => (c.suspended ? -1 : c.buried_day !== null && c.buried_day === t.today ? -3 : queue);
  if (c.state === 0) return { type: 0, queue: hold(0), due: 0, ivl: 0, factor: 0, left: 0, data: '' };
  const steps = c.state === 1 ? 2 : 1;
  const remaining = Math.max(1, steps - c.learning_steps);
  let queue: number;
  let due: number;
  if (c.state === 2) {
    queue = 2;
    due = t.dayNumber(c.due);
  } else if (c.due < t.endOfToday) {
    queue = 1;
    due = Math.floor(c.due / 1000);
  } else {
    queue = 3;
    due = t.dayNumber(c.due);
  }
  const custom: CadenceCustomData = { cdue: c.due, ...(c.last_review !== null ? { clr: c.last_review } : {}) };
  const data = {
    s: Math.round(c.stability * 10_000) / 10_000,
    d: Math.round(c.difficulty * 1000) / 1000,
    ...(c.last_review !== null ? { lrt: Math.floor(c.last_review / 1000) } : {}),
    cd: custom,
  };
  return {
    type: c.state,
    queue: hold(queue),
    due,
    ivl: c.state === 1 ? 0 : Math.max(1, c.scheduled_days),
    // The ease the card came from Anki with; Anki's starting ease for cards that never had one.
    factor: c.ease_factor > 0 ? c.ease_factor : 2500,
    left: c.state === 2 ? 0 : remaining * 1000 + remaining,
    data: JSON.stringify(data),
  };
}

/** ivl, lastIvl, factor, time and type of an Anki review log row (intervals: days, or negative seconds). */
function ankiReview(r: ExportReview): [number, number, number, number, number] {
  const interval = (state: number, due: number, days: number, from: number) =>
    state === 2 ? Math.max(1, days) : state === 0 ? 0 : -Math.max(1, Math.round((due - from) / 1000));
  const ivl = interval(r.state_after, r.due_after, r.scheduled_days_after, r.reviewed_at);
  const lastIvl = interval(r.state_before, r.due_before, r.scheduled_days_before, r.last_review_before ?? r.reviewed_at);
  const type = r.rating === 0 ? 4 : r.state_before === 2 ? 1 : r.state_before === 3 ? 2 : 0;
  return [ivl, lastIvl, r.rating === 0 ? 0 : difficultyFactor(r.difficulty_after), Math.min(r.duration_ms, 2_147_483_647), type];
}

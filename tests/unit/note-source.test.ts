// A note's source travels with it: shown with the answer, listed in Browse, exported with the deck
// (CSV column, Anki answer side), and the Scrum Guide deck's licence goes with its export.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { seedStarterDecks } from '../../electron/core/flashcards/starterDecks';
import { parseCsv } from '../../electron/core/transfer/csv/parse';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const ATTRIBUTION = 'Based on The Scrum Guide 2020 © Ken Schwaber and Jeff Sutherland, licensed CC BY-SA 4.0';
const deckId = (c: TestCore, p: string) => {
  const deck = (c.ctx.db.prepare('SELECT id, name, parent_id FROM decks').all() as { id: number; name: string; parent_id: number | null }[]);
  const byId = new Map(deck.map((d) => [d.id, d]));
  const pathOf = (d: { name: string; parent_id: number | null }): string => (d.parent_id ? `${pathOf(byId.get(d.parent_id)!)}::${d.name}` : d.name);
  return deck.find((d) => pathOf(d) === p)!.id;
};
const noteId = (c: TestCore, guid: string) => (c.ctx.db.prepare('SELECT id FROM notes WHERE guid = ?').get(`starter:${guid}`) as { id: number }).id;

describe('note sources', () => {
  it('come with the study card (for the answer side) and with the Browse row', async () => {
    core = await makeTestCore();
    seedStarterDecks(core.ctx);
    const card = core.ctx.db.prepare('SELECT id, deck_id FROM cards WHERE note_id = ? ORDER BY ord LIMIT 1').get(noteId(core, 'sg2020-053')) as { id: number; deck_id: number };
    const next = await core.call('study.next', { deckId: card.deck_id, cardId: card.id });
    expect(next.card!.source).toBe('The Scrum Guide 2020 (Ken Schwaber and Jeff Sutherland), section “Scrum Events › The Sprint” (scrumguides.org/scrum-guide.html)');
    const rows = await core.call('browse.search', { text: 'cancel a Sprint' });
    expect(rows.rows[0]!.source).toContain('The Sprint');
    // A note of the user's own has no source, and says nothing.
    const mine = await core.call('notes.create', { noteTypeId: 1, deckId: card.deck_id, fields: ['My question', 'My answer'] });
    const own = await core.call('study.next', { deckId: card.deck_id, cardId: mine.note.cards[0]!.id });
    expect(own.card!.source).toBe('');
  });

  it('are exported with the deck, and the Scrum Guide deck keeps its licence statement in the export', async () => {
    core = await makeTestCore();
    seedStarterDecks(core.ctx);
    const scrum = deckId(core, 'Starter::Scrum Guide 2020');

    const csv = await core.call('export.csv', { deckId: scrum });
    const text = fs.readFileSync(path.join(core.ctx.paths.exportsDir, csv.downloadName), 'utf8');
    const row = text.split('\n').find((l) => l.startsWith('starter:sg2020-053,'))!;
    expect(row.endsWith(',"The Scrum Guide 2020 (Ken Schwaber and Jeff Sutherland), section “Scrum Events › The Sprint” (scrumguides.org/scrum-guide.html)"')).toBe(true);
    // The licence statement goes along as a comment line, which reading the file back skips.
    expect(text).toContain(`\n# ${ATTRIBUTION} (https://creativecommons.org/licenses/by-sa/4.0/), adapted into flashcards.`);
    const back = parseCsv(text);
    expect(back.rows.length).toBe(csv.notes);
    expect(back.rows.every((r) => r.cells.length === back.columnCount)).toBe(true);

    const apkg = await core.call('export.apkg', { deckId: scrum, includeScheduling: false, includeMedia: false });
    const files = unzipSync(fs.readFileSync(path.join(core.ctx.paths.exportsDir, apkg.downloadName)));
    const db = new Database(Buffer.from(files['collection.anki2']!));
    try {
      const decks = Object.values(JSON.parse((db.prepare('SELECT decks FROM col').get() as { decks: string }).decks) as Record<string, { name: string; desc: string }>);
      expect(decks.find((d) => d.name === 'Starter::Scrum Guide 2020')!.desc).toContain(ATTRIBUTION);
      const flds = (guid: string) => (db.prepare('SELECT flds FROM notes WHERE guid = ?').get(`starter:${guid}`) as { flds: string }).flds.split('\x1f');
      // Basic: on the Back. Cloze: in Extra. Reversed: left out, its Back is also a question.
      expect(flds('sg2020-053')[1]).toContain('<div class="source">Source: The Scrum Guide 2020 (Ken Schwaber and Jeff Sutherland), section “Scrum Events › The Sprint”');
      expect(flds('sg2020-011')[1]).toContain('Source: The Scrum Guide 2020');
      expect(flds('sg2020-008').join('')).not.toContain('Source:');
    } finally {
      db.close();
    }
  });
});

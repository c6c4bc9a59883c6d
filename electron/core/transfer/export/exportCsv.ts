// A deck tree as CSV with Anki's header lines, so Anki (2.1.54+) and Cadence both read it back with
// every column in place: note id, note type, deck, the fields (as many columns as the widest note
// type), then tags, then (when any note has one) the note's source. Importing it again updates the same
// notes by their id.
import type { CoreContext } from '../../context';
import { csvCell } from '../csv/parse';
import { exportFileName, makeDeckContentReader } from './deckContent';

export function makeCsvExporter(ctx: CoreContext) {
  const content = makeDeckContentReader(ctx);

  function exportDeck(deckId: number) {
    const deck = content.read(deckId);
    const widest = Math.max(1, ...[...deck.noteTypes.values()].map((t) => t.fields.length));
    const deckOf = new Map<number, number>();
    for (const c of deck.cards) if (!deckOf.has(c.note_id)) deckOf.set(c.note_id, c.deck_id);
    const sep = ',';
    const lines = [
      '#separator:Comma',
      '#html:true',
      '#guid column:1',
      '#notetype column:2',
      '#deck column:3',
      `#tags column:${widest + 4}`,
    ];
    // Note sources (where a card's facts come from) go in one more column after the tags, only when a
    // note has one: Anki leaves an extra column unmapped, Cadence's import ignores it.
    const withSource = deck.notes.some((n) => n.source !== '');
    // Deck descriptions travel as comment lines, which Anki and Cadence skip: a starter deck's carries
    // its licence and attribution.
    for (const [id, description] of deck.descriptions) {
      for (const line of `${deck.deckPaths.get(id) ?? deck.rootPath}: ${description}`.split('\n')) lines.push(`# ${line}`.trimEnd());
    }
    for (const n of deck.notes) {
      const fields = JSON.parse(n.fields) as string[];
      const padded = Array.from({ length: widest }, (_, i) => fields[i] ?? '');
      const cells = [n.guid, deck.noteTypes.get(n.note_type_id)?.name ?? '', deck.deckPaths.get(deckOf.get(n.id)!) ?? deck.rootPath, ...padded, n.tags.trim()];
      if (withSource) cells.push(n.source);
      lines.push(cells.map((c) => csvCell(c, sep)).join(sep));
    }
    return { text: `${lines.join('\n')}\n`, fileName: exportFileName(deck.rootPath, 'csv'), notes: deck.notes.length, cards: deck.cards.length };
  }

  return { exportDeck };
}

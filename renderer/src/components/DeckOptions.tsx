import type { Deck } from '../../../shared/contract/decks';

const INDENT = '\u00a0\u00a0';

/** The <option>s of a deck picker: every deck in tree order, indented by depth. */
export function DeckOptions<D extends Deck>({ decks, label = (d) => d.name }: { decks: readonly D[]; label?: (deck: D) => string }) {
  return (
    <>
      {decks.map((d) => (
        <option key={d.id} value={d.id}>
          {INDENT.repeat(d.depth)}
          {label(d)}
        </option>
      ))}
    </>
  );
}

import type { NoteType } from '../../../shared/contract/flashcards';

/** What a note's card `ord` is called (the editor's previews, Browse's rows): "Cloze 2", "Card 2 (back → front)". */
export function cardName(type: Pick<NoteType, 'kind' | 'templates'>, ord: number): string {
  if (type.kind === 'cloze') return `Cloze ${ord + 1}`;
  if (type.kind === 'reversed') return ord === 0 ? 'Card 1 (front → back)' : 'Card 2 (back → front)';
  if (type.kind === 'custom') return type.templates[ord]?.name ?? `Card ${ord + 1}`;
  return 'Card';
}

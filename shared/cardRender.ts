// From a note's fields to its cards: which cards a note has, and each card's question and answer as
// source text (Markdown, possibly with HTML) for the renderer to turn into sanitised HTML.
// Shared by the note store (card generation), study, and the editor's live preview.
import { customCardOrdinals, customTemplateFor, renderTemplateCard, type CardTemplate } from './ankiTemplate';
import { clozeNumbers, renderCloze } from './cloze';

export type NoteKind = 'basic' | 'reversed' | 'cloze' | 'custom';

/** What rendering needs to know about a note type. */
export interface NoteTypeShape {
  kind: NoteKind;
  /** Field names, in order. */
  fields: string[];
  /** Card templates (custom note types only). */
  templates: CardTemplate[];
}

export interface CardSources {
  question: string;
  /** The whole answer side: for basic cards the question, a divider, then the answer. */
  answer: string;
}

/** Separates the question from the answer on the answer side; styled by the renderer. */
export const ANSWER_DIVIDER = '<hr class="answer-divider">';

const joinSides = (front: string, back: string) => (back.trim() === '' ? front : `${front}\n\n${ANSWER_DIVIDER}\n\n${back}`);

/**
 * The card ordinals a note of this type gets: basic [0], reversed [0, 1], cloze one per cloze number
 * (number - 1), custom as its templates say (see customCardOrdinals). A cloze note without deletions has none.
 */
export function cardOrdinals(type: NoteTypeShape, values: string[]): number[] {
  switch (type.kind) {
    case 'basic':
      return [0];
    case 'reversed':
      return [0, 1];
    case 'cloze':
      return clozeNumbers(values[0] ?? '').map((n) => n - 1);
    case 'custom':
      return customCardOrdinals(type.templates, type.fields, values);
  }
}

/** Question and answer source of card `ord` of a note. */
export function renderCard(type: NoteTypeShape, values: string[], ord: number): CardSources {
  const field = (i: number) => values[i] ?? '';
  switch (type.kind) {
    case 'basic':
      return { question: field(0), answer: joinSides(field(0), field(1)) };
    case 'reversed':
      return ord === 1
        ? { question: field(1), answer: joinSides(field(1), field(0)) }
        : { question: field(0), answer: joinSides(field(0), field(1)) };
    case 'cloze': {
      const number = ord + 1;
      return {
        question: renderCloze(field(0), number, 'question'),
        answer: joinSides(renderCloze(field(0), number, 'answer'), field(1)),
      };
    }
    case 'custom': {
      const template = customTemplateFor(type.templates, ord);
      if (!template) return { question: '', answer: '' };
      return renderTemplateCard(template, type.fields, values, ord);
    }
  }
}

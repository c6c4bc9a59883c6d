// A question of an attempt as a Basic flashcard: the stem and its lettered options on the front, the
// right answer, the explanation and the source on the back (Markdown, like every card field).
import { OPTION_LETTERS } from '../../../shared/contract/exams';
import type { Snapshot } from './attempts';

export function flashcardFields(q: Snapshot): [string, string] {
  const options = q.kind === 'truefalse' ? '*True or false?*' : q.options.map((o, i) => `${OPTION_LETTERS[i]}. ${o}`).join('  \n');
  const choose = q.kind === 'multiple' ? `\n\n*(Choose ${q.correct.length})*` : '';
  const front = `${q.stem}${choose}\n\n${options}`;
  const answer = q.correct.map((i) => (q.kind === 'truefalse' ? q.options[i] : `${OPTION_LETTERS[i]}. ${q.options[i]}`)).join('  \n');
  const source = `Source: ${q.source.document}, “${q.source.section}”`;
  const back = `**${answer}**${q.explanation ? `\n\n${q.explanation}` : ''}\n\n${source}`;
  return [front, back];
}

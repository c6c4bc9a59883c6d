// The content check every bundled question must pass (tests/unit/exams-content.test.ts runs it over
// every bank). It cannot know whether an answer is true, but it refuses a question whose marked answer
// is not the one its own explanation and source argue for. "Supported" means, checkably:
//
// 1. The source is real and precise: source.document is one of the bank's sources and source.section
//    is one of that source's listed sections (so every answer points at a place to look it up).
// 2. The explanation argues for the marked answer:
//    - true/false: the explanation opens with the verdict ("True." / "False.") that is marked correct;
//    - single choice and multiple select: every correct option's key terms are at least half present
//      in the explanation, and no wrong option has more of its key terms there than a correct one.
//    Key terms are an option's words of two or more letters (or any number) that are not common
//    words and not already in the question's stem (numbers keep their decimals: "0.5" is one term), compared by a crude stem (plural "s" dropped, first
//    six letters), so "inspects" matches "inspection". Marking a distractor as correct fails rule 2.
// 3. Multiple select says how many to choose ("(Choose 2)") and that number is the correct count.
import type { QuestionSource } from '../../../shared/contract/exams';
import type { BankFile, BankQuestion } from './bankFile';

const COMMON = new Set(
  ('the and for are but not nor with that this from into onto only any all its their they them has have had was were will would ' +
    'should can could may might must does did each every who whom what when where which why how than then there these those also ' +
    'being been our your you his her she him about other more most same such own out over under per via upon own just very much ' +
    'many some ones both either neither none no yes its it\'s way ways thing things something anything everything instead ' +
    'rather after before during while within without between because since until unless whether often usually always never ' +
    'able do done doing make makes made take takes taken get gets use used uses using let lets need needs needed become becomes')
    .split(/\s+/),
);

/** Two-letter words that carry no meaning; other two-letter words are terms (AC, EV, PV, PO). */
const COMMON_SHORT = new Set('of to in is as at by it on or an be we us if do no so up my me he am go vs'.split(' '));

/** The crude stem the check compares by. */
export function stemOf(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w.slice(0, 6);
}

/** The key terms of a text: stems of its meaningful words. */
export function keyTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text.toLowerCase().match(/\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{N}]+/gu) ?? []) {
    if (/^\p{N}/u.test(word) || (word.length >= 3 && !COMMON.has(word)) || (word.length === 2 && !COMMON_SHORT.has(word))) terms.add(stemOf(word));
  }
  return terms;
}

/** Share (0–1) of an option's key terms, less those of the stem, found in the explanation. */
export function support(option: string, stem: string, explanation: string): number {
  const all = keyTerms(option);
  const stemTerms = keyTerms(stem);
  const own = new Set([...all].filter((t) => !stemTerms.has(t)));
  const terms = own.size > 0 ? own : all;
  if (terms.size === 0) return 0;
  const said = keyTerms(explanation);
  let found = 0;
  for (const t of terms) if (said.has(t)) found++;
  return found / terms.size;
}

const NUMBER_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 };

/** The N of "(Choose N)" / "choose N" in a stem, or null. */
export function chooseCount(stem: string): number | null {
  const m = /\bchoose\s+(\d|two|three|four|five|six|seven)\b/i.exec(stem);
  if (!m) return null;
  const n = m[1]!.toLowerCase();
  return NUMBER_WORDS[n] ?? Number(n);
}

export const MIN_EXPLANATION = 40;

/** Why the question's marked answer is not supported by its explanation and source; empty when it is. */
export function supportProblems(q: Pick<BankQuestion, 'kind' | 'stem' | 'options' | 'correct' | 'explanation'> & { source: QuestionSource }, sources: BankFile['sources']): string[] {
  const problems: string[] = [];
  const source = sources.find((s) => s.id === q.source.document);
  if (!source) problems.push(`cites "${q.source.document}", which is not one of the bank's sources`);
  else if (!source.sections.includes(q.source.section)) problems.push(`cites section "${q.source.section}", which ${source.title} does not list`);
  if (q.explanation.trim().length < MIN_EXPLANATION) problems.push(`has an explanation under ${MIN_EXPLANATION} characters`);

  if (q.kind === 'truefalse') {
    const verdict = /^\s*(true|false)\b/i.exec(q.explanation)?.[1];
    const marked = q.options[q.correct[0] ?? -1];
    if (!verdict) problems.push('has a true/false explanation that does not open with "True." or "False."');
    else if (verdict.toLowerCase() !== marked?.toLowerCase()) problems.push(`is marked ${marked} but its explanation says ${verdict}`);
    return problems;
  }

  const scores = q.options.map((o) => support(o, q.stem, q.explanation));
  const correct = new Set(q.correct);
  const weakestCorrect = Math.min(...q.correct.map((i) => scores[i] ?? 0));
  for (const i of q.correct) {
    if ((scores[i] ?? 0) < 0.5) problems.push(`marks option ${i + 1} ("${q.options[i]}") correct, but the explanation does not mention its key terms`);
  }
  scores.forEach((s, i) => {
    if (!correct.has(i) && s > weakestCorrect) problems.push(`has wrong option ${i + 1} ("${q.options[i]}") better supported by the explanation than a correct one`);
  });
  if (q.kind === 'multiple') {
    const n = chooseCount(q.stem);
    if (n === null) problems.push('is multiple select but its stem does not say how many to choose ("(Choose 2)")');
    else if (n !== q.correct.length) problems.push(`says choose ${n} but marks ${q.correct.length} options correct`);
  }
  return problems;
}

/** Every problem of a bank: schema-level rules are the schema's; these are the content rules. */
export function bankProblems(bank: BankFile): string[] {
  const problems: string[] = [];
  const topics = new Set(bank.topics.map((t) => t.id));
  const guids = new Set<string>();
  const stems = new Map<string, string>();
  for (const q of bank.questions) {
    const at = `${bank.id}/${q.guid}`;
    if (guids.has(q.guid)) problems.push(`${at}: guid used twice`);
    guids.add(q.guid);
    const key = q.stem.toLowerCase().replace(/\W+/g, ' ').trim();
    if (stems.has(key)) problems.push(`${at}: same stem as ${stems.get(key)}`);
    stems.set(key, q.guid);
    for (const t of q.topics) if (!topics.has(t)) problems.push(`${at}: topic "${t}" is not one of the bank's topics`);
    for (const p of supportProblems(q, bank.sources)) problems.push(`${at}: ${p}`);
  }
  for (const t of bank.topics) if (!bank.questions.some((q) => q.topics[0] === t.id)) problems.push(`${bank.id}: topic "${t.id}" has no questions`);
  for (const s of bank.sources) {
    for (const section of s.sections) {
      if (!bank.questions.some((q) => q.source.document === s.id && q.source.section === section)) problems.push(`${bank.id}: no question cites "${s.title}", section "${section}"`);
    }
  }
  return problems;
}

// Editorial checks on the starter decks: a card must not give its answer away. Pure functions over the
// deck files' notes, so the content test can run them on the shipped decks and on crafted bad notes.

const CLOZE = /\{\{c(\d+)::([^{}]*?)(?:::[^{}]*)?\}\}/g;
const STOP = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'and', 'or', 'for', 'vs', 'with', 'by', 'at', 'is']);

/** Lowercase words of a text, Markdown emphasis and punctuation dropped ("Work-package" -> work, package). */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[*_`"“”'’()[\]{}]/g, ' ')
    .split(/[^\p{L}\p{N}%]+/u)
    .filter(Boolean);
}

/** A word's stem, enough to match "accept" with "acceptance" and "risk" with "risks". */
function stem(word: string): string {
  const w = word.replace(/(ances?|ences?|ations?|ments?|ing|ive|ies|es|s|ed|ly)$/, '');
  return w.length >= 4 ? w : word;
}

const containsWord = (haystack: string[], word: string) => {
  const s = stem(word);
  return haystack.some((h) => h === word || h.startsWith(s));
};

/** Words whose initials spell `acronym` in a row ("Scrum Education Unit" for SEU), allowing "/" between them. */
function spellsOut(text: string, acronym: string): boolean {
  const initials = words(text.replace(/\//g, ' ')).filter((w) => !STOP.has(w) || w.length > 3);
  const letters = acronym.toLowerCase().replace(/[^a-z]/g, '');
  if (letters.length < 2) return false;
  for (let i = 0; i + letters.length <= initials.length; i++) {
    if (initials.slice(i, i + letters.length).every((w, j) => w[0] === letters[j])) return true;
  }
  return false;
}

/**
 * The key term a reversed card's front names: the text before a parenthesis ("Lean thinking (in Scrum
 * theory)" -> "Lean thinking"), and, when the parenthesis is the term's acronym or expansion, that too.
 */
export function keyTerms(front: string): { term: string; acronyms: string[] } {
  const match = /^(.*?)\s*\(([^)]*)\)\s*(.*)$/.exec(front.trim());
  const main = match ? `${match[1]} ${match[3]}`.trim() : front.trim();
  const paren = match?.[2]?.trim() ?? '';
  const acronyms: string[] = [];
  const isAcronym = (s: string) => /^[A-Z][A-Z0-9/&-]{1,9}$/.test(s);
  for (const token of main.split(/\s+/)) if (isAcronym(token)) acronyms.push(token);
  // "Actual cost (AC)": the parenthesis is the term's acronym. "100% rule (WBS)": it only says where the term belongs.
  if (isAcronym(paren) && spellsOut(main, paren)) acronyms.push(paren);
  return { term: main, acronyms };
}

/** Why a reversed note's back gives its front away, or null: the reverse card would ask what it shows. */
export function reversedGiveAway(front: string, back: string): string | null {
  const { term, acronyms } = keyTerms(front);
  const backWords = words(back);
  const significant = words(term).filter((w) => !STOP.has(w));
  if (significant.length > 0 && significant.every((w) => containsWord(backWords, w))) return `its back contains "${term}"`;
  for (const acronym of acronyms) {
    if (new RegExp(`\\b${acronym.replace(/[/&-]/g, '\\$&')}\\b`).test(back)) return `its back contains "${acronym}"`;
    // Two-letter acronyms match too many phrases by chance ("code into" for CI); their words are checked above.
    for (const part of acronym.split('/')) if (part.length >= 3 && spellsOut(back, part)) return `its back spells out "${part}"`;
  }
  return null;
}

/**
 * Cloze answers that can be read on their own card: the answer of deletion N appears in the text of
 * card N outside that deletion (other deletions shown as their answers). Compared as words, plurals
 * folded ("Promoter" gives away "promoters").
 */
export function clozeGiveAways(text: string): string[] {
  const found: string[] = [];
  const deletions = [...text.matchAll(CLOZE)].map((m) => ({ n: Number(m[1]), answer: m[2]!.trim() }));
  for (const n of new Set(deletions.map((d) => d.n))) {
    const visible = text.replace(CLOZE, (_all, num: string, answer: string) => (Number(num) === n ? ' ' : answer));
    const seen = words(visible);
    for (const d of deletions.filter((x) => x.n === n)) {
      const answer = words(d.answer);
      if (answer.length === 0) continue;
      const fold = (w: string) => w.replace(/s$/, '');
      const joined = ` ${seen.map(fold).join(' ')} `;
      if (joined.includes(` ${answer.map(fold).join(' ')} `)) found.push(`c${n} "${d.answer}" is visible outside its deletion`);
    }
  }
  return found;
}

/** Cloze numbers in the order they appear, when they do not rise as the text is read. */
export function clozeOrderProblem(text: string): string | null {
  const order: number[] = [];
  for (const m of text.matchAll(CLOZE)) {
    const n = Number(m[1]);
    if (!order.includes(n)) order.push(n);
  }
  return order.every((n, i) => i === 0 || n > order[i - 1]!) ? null : `deletions are numbered ${order.join(', ')} in reading order`;
}

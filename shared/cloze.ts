// Cloze deletions: "{{c1::answer}}" or "{{c1::answer::hint}}". Every distinct number becomes one card;
// on card N the deletions numbered N are hidden, all others show their text. Deletions may nest
// ("{{c1::the {{c2::Product Owner}} orders it}}"), so the text is parsed into a small tree rather than
// matched with one regular expression. Pure: used by the note store and the editor's live preview.

export interface ClozeNode {
  number: number;
  /** What the deletion hides: text and nested deletions. */
  content: ClozePart[];
  /** Shown in place of the hidden text ("[hint]"); null when none was given. */
  hint: string | null;
}
export type ClozePart = string | ClozeNode;

export interface ParsedCloze {
  parts: ClozePart[];
  /** Distinct cloze numbers in ascending order. */
  numbers: number[];
  /** Problems a person can fix, empty when the text is valid. */
  errors: string[];
}

const OPEN = /\{\{c(\d+)::/y;
/** "{", "}" and ":": the only characters a deletion's markers begin with. */
const MARK_CHARS = new Set([0x7b, 0x7d, 0x3a]);

/** Parses cloze text. Never throws: problems are listed in `errors`. */
export function parseCloze(text: string): ParsedCloze {
  const root: ClozePart[] = [];
  const errors: string[] = [];
  const numbers = new Set<number>();
  // Open deletions, innermost last; each collects into `content` until "::" switches it to the hint.
  const stack: { node: ClozeNode; start: number; inHint: boolean }[] = [];
  let buffer = '';

  const target = (): ClozePart[] => stack[stack.length - 1]?.node.content ?? root;
  const flush = () => {
    if (buffer === '') return;
    const top = stack[stack.length - 1];
    if (top?.inHint) top.node.hint = (top.node.hint ?? '') + buffer;
    else target().push(buffer);
    buffer = '';
  };

  let i = 0;
  while (i < text.length) {
    // Text up to the next "{", "}" or ":" cannot start or end a deletion: take it in one slice.
    let j = i;
    while (j < text.length && !MARK_CHARS.has(text.charCodeAt(j))) j++;
    if (j > i) {
      buffer += text.slice(i, j);
      i = j;
      continue;
    }
    OPEN.lastIndex = i;
    const open = OPEN.exec(text);
    const top = stack[stack.length - 1];
    if (open && !top?.inHint) {
      flush();
      const number = Number(open[1]);
      const node: ClozeNode = { number, content: [], hint: null };
      target().push(node);
      stack.push({ node, start: i, inHint: false });
      i += open[0].length;
    } else if (top && text.startsWith('}}', i)) {
      flush();
      stack.pop();
      checkNode(top.node, errors);
      if (top.node.number >= 1) numbers.add(top.node.number);
      i += 2;
    } else if (top && !top.inHint && text.startsWith('::', i)) {
      flush();
      top.inHint = true;
      top.node.hint = '';
      i += 2;
    } else {
      buffer += text[i];
      i++;
    }
  }
  flush();
  for (const open of stack) {
    errors.push(`The cloze starting "${text.slice(open.start, open.start + 20)}…" is not closed with "}}".`);
  }
  return { parts: root, numbers: [...numbers].sort((a, b) => a - b), errors };
}

function checkNode(node: ClozeNode, errors: string[]): void {
  if (!Number.isSafeInteger(node.number) || node.number < 1 || node.number > 500) {
    errors.push(`Cloze numbers run from c1 to c500; "c${node.number}" is not allowed.`);
  }
  if (plain(node.content).trim() === '') errors.push(`Cloze c${node.number} has nothing to hide: write the answer after "c${node.number}::".`);
}

function plain(parts: ClozePart[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : plain(p.content))).join('');
}

/** The cloze numbers in `text`, ascending; empty when it has none. */
export function clozeNumbers(text: string): number[] {
  return parseCloze(text).numbers;
}

/**
 * The text of cloze card `number`: on the question side its deletions read "[...]" (or "[hint]"),
 * on the answer side they show their text; both marked with class "cloze" for styling.
 */
export function renderCloze(text: string, number: number, side: 'question' | 'answer'): string {
  return renderParts(parseCloze(text).parts, number, side);
}

function renderParts(parts: ClozePart[], number: number, side: 'question' | 'answer'): string {
  let out = '';
  for (const part of parts) {
    if (typeof part === 'string') out += part;
    else if (part.number !== number) out += renderParts(part.content, number, side);
    else if (side === 'question') out += `<span class="cloze">[${part.hint?.trim() || '...'}]</span>`;
    else out += `<span class="cloze">${renderParts(part.content, number, side)}</span>`;
  }
  return out;
}

/**
 * The answers of cloze `number` only, in order (deletions of other numbers read through): what a
 * {{type:cloze:Field}} card asks to be typed, joined with ", " as Anki does.
 */
export function clozeAnswers(text: string, number: number): string[] {
  return answersIn(parseCloze(text).parts, number);
}

function answersIn(parts: ClozePart[], number: number): string[] {
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') continue;
    if (part.number === number) out.push(plain(part.content));
    else out.push(...answersIn(part.content, number));
  }
  return out;
}

/** Text with every deletion replaced by its answer: what search and duplicate checks compare. */
export function clozeAnswersText(text: string): string {
  return plain(parseCloze(text).parts);
}

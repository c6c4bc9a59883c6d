// Type-in-the-answer cards ({{type:Field}} in a card's front template, as in Anki, or {{type:cloze:Field}}
// for the card's own cloze answers): which field the learner types, and how what they typed compares
// with it, character by character.

/** The field a front template asks to be typed in (and whether its cloze answers are), or null. */
export function typedField(frontTemplate: string): { name: string; cloze: boolean } | null {
  const m = /\{\{\s*type:\s*(?:(cloze)\s*:)?([^}:]+?)\s*\}\}/.exec(frontTemplate);
  return m ? { name: m[2]!.trim(), cloze: m[1] !== undefined } : null;
}

export interface TypedPart {
  /** good: typed and right; bad: typed but wrong (or extra); missing: in the answer, not typed. */
  kind: 'good' | 'bad' | 'missing';
  text: string;
}

/** Spacing does not count; Unicode forms are made alike, so "é" typed either way matches. */
const tidy = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/**
 * What was typed against the answer: the longest run of characters both share in order is right, the
 * rest of what was typed is wrong, the rest of the answer missing. Case counts, as in Anki.
 */
export function compareTyped(typedRaw: string, expectedRaw: string): { exact: boolean; parts: TypedPart[] } {
  const typed = [...tidy(typedRaw)];
  const expected = [...tidy(expectedRaw)];
  // Longest common subsequence table (answers are short: a few hundred characters at most).
  const n = typed.length;
  const m = expected.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = typed[i] === expected[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const parts: TypedPart[] = [];
  const push = (kind: TypedPart['kind'], ch: string) => {
    const last = parts[parts.length - 1];
    if (last?.kind === kind) last.text += ch;
    else parts.push({ kind, text: ch });
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && typed[i] === expected[j]) {
      push('good', typed[i]!);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      push('missing', expected[j]!);
      j++;
    } else {
      push('bad', typed[i]!);
      i++;
    }
  }
  return { exact: typed.join('') === expected.join(''), parts };
}

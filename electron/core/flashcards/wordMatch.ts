// The word index (notes_fts: FTS5's unicode61 tokenizer with remove_diacritics 2) read the way it reads
// text, for the notes not in it yet: after an import they wait for the background fill
// (searchIndexFill.ts), and search tests them here instead, so a word search finds the same notes
// before and after they are indexed. tests/unit/word-fill.test.ts holds this to the index itself.
//
// How the tokenizer reads (SQLite's fts5_tokenize.c, default categories "L* N* Co"): a word is a run of
// letters, digits and private-use characters; a combining accent in U+0300–U+0331 (the ones it lists)
// continues a word and is dropped; everything else separates words. Each character is lower-cased, and a
// Latin letter that is an ASCII letter with accents ("é", "ǖ", "Ṩ") becomes that ASCII letter; other
// letters keep their marks ("ø", "ά", "й").

/** The combining accents SQLite's tokenizer lets continue a word (sqlite3Fts5UnicodeIsdiacritic). */
function isDiacritic(code: number): boolean {
  if (code < 768 || code > 817) return false;
  return code < 800 ? ((0x08029fdf >>> (code - 768)) & 1) === 1 : ((0x000361f8 >>> (code - 800)) & 1) === 1;
}

const WORD_CHAR = /[\p{L}\p{N}\p{Co}]/u;
const MARK = /^\p{M}+$/u;

/** Unicode's simple case folding ("ς", "ſ" and "µ" fold to "σ", "s" and "μ"), as the tokenizer folds. */
function caseFold(ch: string): string {
  // Dotless i has no folding of its own: through "I" it would become "i".
  if (ch === 'ı') return ch;
  const upper = ch.toUpperCase();
  return [...upper].length === 1 ? upper.toLowerCase() : ch.toLowerCase();
}

const folded = new Map<string, string>();
/** One word character as the index stores it. */
function fold(ch: string): string {
  let out = folded.get(ch);
  if (out === undefined) {
    const parts = ch.normalize('NFD');
    const base = parts.codePointAt(0)!;
    const asciiLetter = (base >= 65 && base <= 90) || (base >= 97 && base <= 122);
    out = asciiLetter && (parts.length === 1 || MARK.test(parts.slice(1))) ? String.fromCharCode(base).toLowerCase() : caseFold(ch);
    folded.set(ch, out);
  }
  return out;
}

/** The words of `text` as the word index holds them, in order. */
export function indexWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  for (const ch of text) {
    if (WORD_CHAR.test(ch)) word += fold(ch);
    else if (word !== '' && isDiacritic(ch.codePointAt(0)!)) continue;
    else if (word !== '') {
      words.push(word);
      word = '';
    }
  }
  if (word !== '') words.push(word);
  return words;
}

/** Whether `phrase` (indexed words) occurs in `words`, its last word as a word prefix when `prefix`. */
function hasPhrase(words: readonly string[], phrase: readonly string[], prefix: boolean): boolean {
  const last = phrase.length - 1;
  for (let i = 0; i + last < words.length; i++) {
    let k = 0;
    while (k < last && words[i + k] === phrase[k]) k++;
    if (k === last && (prefix ? words[i + last]!.startsWith(phrase[last]!) : words[i + last] === phrase[last])) return true;
  }
  return false;
}

const ASCII = /^[\x00-\x7f]*$/;

/** The words of one column's text; for plain ASCII text (most notes) without reading it character by character. */
function columnWords(text: string): string[] {
  return ASCII.test(text) ? text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '') : indexWords(text);
}

/**
 * Whether stored text may hold the word `first` (folded): always, unless the text is plain ASCII and
 * does not contain it. That holds for the stored JSON of the fields too, unless it has a \u escape
 * (which may stand for a letter): its other escapes only stand for characters that are not in words.
 */
const mayHold = (stored: string, first: string) => !ASCII.test(stored) || stored.includes('\\u') || stored.toLowerCase().includes(first);

/**
 * The fields' text as the index's triggers join it. Stored fields are always a JSON array; a row that is
 * not (a damaged file) is read as it stands, so one such note can never make a search fail.
 */
function fieldsText(stored: string): string {
  try {
    const values: unknown = JSON.parse(stored);
    return Array.isArray(values) ? values.map(String).join(' ') : stored;
  } catch {
    return stored;
  }
}

/** The last phrase asked for, read once for all the notes one search tests. */
let lastPhrase = { text: '', words: [] as string[] };

/**
 * What `notes_fts MATCH '"<text>"'` (or `'"<text>"*'` with `prefix`) says of one note: the phrase in its
 * fields (`fields`, the stored JSON array, joined with spaces as the index's triggers join them) or in
 * its tags. A text with no word in it matches nothing.
 */
export function notesFtsPhraseMatches(fields: string, tags: string, text: string, prefix: boolean): boolean {
  if (lastPhrase.text !== text) lastPhrase = { text, words: indexWords(text) };
  const phrase = lastPhrase.words;
  if (phrase.length === 0) return false;
  const first = phrase[0]!;
  if (mayHold(fields, first) && hasPhrase(columnWords(fieldsText(fields)), phrase, prefix)) return true;
  return mayHold(tags, first) && hasPhrase(columnWords(tags), phrase, prefix);
}

/** The SQL function search calls for a note not yet in the word index: notes_fts_phrase(fields, tags, text, prefix). */
export function registerWordTest(db: { function(name: string, options: { deterministic: boolean }, fn: (...args: never[]) => unknown): unknown }): void {
  db.function('notes_fts_phrase', { deterministic: true }, (fields: string, tags: string, text: string, prefix: number) =>
    notesFtsPhraseMatches(fields, tags, text, prefix === 1) ? 1 : 0,
  );
}

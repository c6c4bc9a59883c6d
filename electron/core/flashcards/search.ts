// Anki's search syntax for the card browser, parsed into a tree and compiled into one SQL condition
// over cards `c` and notes `n`. User text only ever reaches SQL as a bound parameter: the compiler
// writes fixed SQL fragments and names a parameter for each value (`@s0`, `@s1`, ...).
//
// Supported (anki-manual searching.md): words (all must match, each as a word prefix; `*` and `_`
// wildcards inside a word), "quoted phrases", `-` negation, `or`, parentheses; `tag:` (and its child
// tags, `tag:none`), `deck:` (with its subdecks, `*` wildcards), `preset:`, `note:`, `card:`, `is:due`,
// `is:new`, `is:learn`, `is:review`, `is:suspended`, `is:buried`, `flag:N`, `prop:ivl/due/reps/lapses/
// s/d/r/pos` with = != < > <= >=, `rated:N[:ease]`, `added:N`, `edited:N`, `introduced:N`, `nid:`,
// `cid:`, and field search `front:*word*` (a field's whole content, wildcards allowed).
import type { StudyConfig } from './studyConfig';
import type { NoteType } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import { recallSql } from './retrievability';
import { likeEscape } from './tags';
import { substringCandidates, wordMatches } from './searchIndexFill';

const DAY_MS = 86_400_000;

type Node =
  | { type: 'and' | 'or'; items: Node[] }
  | { type: 'not'; item: Node }
  | { type: 'text'; value: string; phrase: boolean }
  | { type: 'term'; key: string; value: string; raw: string };

/** A clear message for a search that cannot be read, in the user's terms. */
function bad(message: string): never {
  throw new AppError('invalid_input', `Search: ${message}`);
}

// -------------------------------------------------------------------------------------------------
// Reading the text

interface Token {
  kind: 'word' | 'open' | 'close' | 'not' | 'or' | 'and';
  text: string;
  /** The word had quotes in it ("a dog", deck:"a b"). */
  quoted: boolean;
  /** Where in `text` the first quote opened, or -1. */
  quoteAt?: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'open' : 'close', text: ch, quoted: false });
      i++;
      continue;
    }
    if (ch === '-' && (i + 1 >= input.length || /[\s)]/.test(input[i + 1]!))) bad('a "-" must be followed by what to leave out, like -tag:done.');
    if (ch === '-') {
      tokens.push({ kind: 'not', text: ch, quoted: false });
      i++;
      continue;
    }
    // A word runs to the next space or parenthesis outside quotes; quotes group, \" is a quote.
    let text = '';
    let quoted = false;
    let quoteAt = -1;
    let inQuote = false;
    while (i < input.length) {
      const c = input[i]!;
      if (c === '\\' && i + 1 < input.length && (input[i + 1] === '"' || input[i + 1] === '\\')) {
        text += input[i + 1];
        i += 2;
        continue;
      }
      if (c === '"') {
        inQuote = !inQuote;
        if (!quoted) quoteAt = text.length;
        quoted = true;
        i++;
        continue;
      }
      if (!inQuote && (/\s/.test(c) || c === '(' || c === ')')) break;
      text += c;
      i++;
    }
    if (inQuote) bad('a quote (") is not closed.');
    const lower = text.toLowerCase();
    if (!quoted && lower === 'or') tokens.push({ kind: 'or', text, quoted });
    else if (!quoted && lower === 'and') tokens.push({ kind: 'and', text, quoted });
    else tokens.push({ kind: 'word', text, quoted, quoteAt });
  }
  return tokens;
}

function parse(input: string): Node | null {
  const tokens = tokenize(input);
  let at = 0;
  const peek = () => tokens[at];

  function expr(): Node {
    const items = [conjunction()];
    while (peek()?.kind === 'or') {
      at++;
      if (!peek() || peek()!.kind === 'close' || peek()!.kind === 'or') bad('"or" must have something on both sides.');
      items.push(conjunction());
    }
    return items.length === 1 ? items[0]! : { type: 'or', items };
  }
  function conjunction(): Node {
    const items = [unary()];
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'close' || t.kind === 'or') break;
      if (t.kind === 'and') {
        at++;
        if (!peek() || peek()!.kind === 'close' || peek()!.kind === 'or') bad('"and" must have something on both sides.');
      }
      items.push(unary());
    }
    return items.length === 1 ? items[0]! : { type: 'and', items };
  }
  function unary(): Node {
    const t = peek();
    if (!t) bad('the search ends too early.');
    if (t.kind === 'not') {
      at++;
      return { type: 'not', item: unary() };
    }
    if (t.kind === 'open') {
      at++;
      if (peek()?.kind === 'close') bad('"()" has nothing inside.');
      const inner = expr();
      if (peek()?.kind !== 'close') bad('a "(" has no matching ")".');
      at++;
      return inner;
    }
    if (t.kind === 'close') bad('a ")" has no matching "(".');
    if (t.kind === 'or' || t.kind === 'and') bad(`"${t.text}" must have something on both sides.`);
    at++;
    return word(t);
  }

  if (tokens.length === 0) return null;
  const tree = expr();
  if (at < tokens.length) bad('a ")" has no matching "(".');
  return tree;
}

function word(t: Token): Node {
  // key:value when a name comes before the colon, outside quotes ("a: b" and "it's 10:30" are text).
  const colon = t.text.indexOf(':');
  const quoteAt = t.quoteAt ?? -1;
  if (colon > 0 && (quoteAt < 0 || quoteAt > colon) && /^[\p{L}\p{N}_-]+$/u.test(t.text.slice(0, colon))) {
    const key = t.text.slice(0, colon).toLowerCase();
    const value = t.text.slice(colon + 1);
    if (value === '') bad(`"${t.text}" needs something after the colon, like tag:scrum.`);
    return { type: 'term', key, value, raw: t.text };
  }
  if (t.text === '') bad('"" has nothing inside.');
  return { type: 'text', value: t.text, phrase: t.quoted && /\s/.test(t.text) };
}

// -------------------------------------------------------------------------------------------------
// Writing SQL

export interface SearchContext {
  config: StudyConfig;
  noteTypes: readonly NoteType[];
  /** The study day, and until when learning cards count as due (the learn-ahead window, queue.ts). */
  today: { start: number; end: number; number: number; learnCutoff: number };
  now: number;
  /**
   * Notes are waiting for the word index (an import's, filled in the background): then words are not
   * looked up in the index alone, and the waiting notes are tested one by one (wordMatch.ts).
   */
  wordsWaiting: boolean;
}

export interface CompiledSearch {
  /**
   * One FTS5 query for the words every result must have, to drive the search from the index; or null
   * (always while notes wait for the index).
   */
  match: string | null;
  /** The rest, as one SQL condition (or null for none). */
  where: string | null;
  params: Record<string, string | number>;
  /** Whether the condition reads the note (n.*), so the note must be joined. */
  readsNote: boolean;
  /**
   * Whether the cards should be read before their notes: a deck, preset or card/note ids narrow them
   * through their own index, or a condition on the card alone usually leaves few of them (see
   * fewCards), so only the cards that pass read their note.
   */
  narrowsCards: boolean;
}

/**
 * A condition on the card alone that usually leaves few cards: due, learning, suspended or buried,
 * answered, introduced or added lately, flagged, due in a range. (is:new, is:review and most prop:
 * comparisons can hold for most of a collection.)
 */
function fewCards(node: Node): boolean {
  if (node.type !== 'term') return false;
  const value = node.value.toLowerCase();
  switch (node.key) {
    case 'is':
      return ['due', 'learn', 'suspended', 'buried'].includes(value);
    case 'rated':
    case 'introduced':
    case 'added':
      return true;
    case 'flag':
      return value !== '0';
    case 'prop':
      return value.startsWith('due');
    default:
      return false;
  }
}

/** Anki's wildcards in a pattern as a LIKE pattern: `*` any text, `_` one character; the rest literal. */
function likePattern(value: string): string {
  return likeEscape(value).replace(/\\_/g, '_').replace(/\*/g, '%');
}

/** The same wildcards as a case-insensitive test on names (deck paths, note types, presets). */
function nameMatcher(value: string): (name: string) => boolean {
  const re = new RegExp(`^${value.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/_/g, '.')}$`, 'iu');
  return (name) => re.test(name);
}

/** The longest run of a pattern's characters between its wildcards (`*`, `_`). */
function longestRun(value: string): string {
  return value.split(/[*_]/).reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * The substring index's query for text containing `run`: each of its three-character pieces must be
 * there (the index keeps no positions, so their order is left to the exact test). Null for a run of
 * fewer than three characters, which the index cannot look up.
 */
export function trigramQuery(run: string): string | null {
  const chars = [...run];
  if (chars.length < 3) return null;
  const pieces = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) pieces.add(`"${chars.slice(i, i + 3).join('').replace(/"/g, '""')}"`);
  return [...pieces].join(' AND ');
}

/** A word as FTS5 text: quoted (so nothing in it is an operator), as a prefix unless `exact`. */
function ftsWord(value: string, exact: boolean): string | null {
  if (!/[\p{L}\p{N}]/u.test(value)) return null;
  return `"${value.replace(/"/g, '""')}"${exact ? '' : '*'}`;
}

const COMPARISONS = new Set(['=', '!=', '<', '>', '<=', '>=']);

export function compileSearch(input: string, ctx: SearchContext): CompiledSearch {
  const tree = parse(input);
  const params: Record<string, string | number> = {};
  let readsNote = false;
  let n = 0;
  const param = (value: string | number) => {
    const name = `s${n++}`;
    params[name] = value;
    return `@${name}`;
  };
  const note = (sql: string) => {
    readsNote = true;
    return sql;
  };
  /**
   * The notes whose stored text (notes.fields, a JSON array) contains `run`, case folded, from the
   * substring index (searchIndexFill.ts), with the notes not in it yet; null when the run is too short for
   * it. A superset for any test of that text: the exact test still follows.
   */
  const containing = (run: string): string | null => {
    const query = trigramQuery(run);
    return query === null ? null : `n.id IN (${substringCandidates(param(query))})`;
  };
  const since = (days: string, what: string) => {
    const count = Number(days);
    if (!/^\d+$/.test(days) || count < 1 || count > 36_500) bad(`${what} needs a number of days from 1, like ${what}1 for today.`);
    return ctx.today.start - (count - 1) * DAY_MS;
  };
  const idList = (value: string, what: string) => {
    if (!/^\d+(,\d+)*$/.test(value)) bad(`${what} needs ids separated by commas, like ${what}1700000000000.`);
    return param(JSON.stringify(value.split(',').map(Number)));
  };

  function text(node: { value: string; phrase: boolean }): string {
    // Wildcards inside a word: the field text itself, as a pattern.
    if (!node.phrase && /[*_]/.test(node.value.replace(/\*$/, ''))) {
      const found = containing(longestRun(node.value));
      return note(`(${found ? `${found} AND ` : ''}n.fields LIKE ${param(`%${likePattern(node.value)}%`)} ESCAPE '\\')`);
    }
    const word = node.value.replace(/\*$/, '');
    const fts = ftsWord(word, node.phrase);
    // Nothing searchable (punctuation only) matches no note (and its negation every note).
    if (fts === null) return '0';
    if (ctx.wordsWaiting) return `c.note_id IN (${wordMatches(param(fts), param(word), node.phrase ? 0 : 1)})`;
    return `c.note_id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ${param(fts)})`;
  }

  function decksWhere(match: (d: { path: string; presetId: number }) => boolean): string {
    const ids = new Set<number>();
    for (const d of ctx.config.decks) {
      if (!match(d)) continue;
      for (const sub of ctx.config.subtree(d.id)?.decks ?? []) ids.add(sub.id);
    }
    return `c.deck_id IN (SELECT value FROM json_each(${param(JSON.stringify([...ids]))}))`;
  }

  function prop(value: string, raw: string): string {
    const m = /^([a-z]+)(!=|<=|>=|=|<|>)(-?\d+(\.\d+)?)$/i.exec(value);
    if (!m || !COMPARISONS.has(m[2]!)) bad(`"${raw}" should look like prop:ivl>=10 (a property, a comparison, a number).`);
    const [, name, op, num] = m as unknown as [string, string, string, string];
    const v = Number(num);
    switch (name.toLowerCase()) {
      case 'ivl':
        return `(c.state = 2 AND c.scheduled_days ${op} ${param(v)})`;
      case 'reps':
        return `c.reps ${op} ${param(v)}`;
      case 'lapses':
        return `c.lapses ${op} ${param(v)}`;
      case 'pos':
        return `(c.state = 0 AND c.new_position ${op} ${param(v)})`;
      case 's':
        return `(c.stability > 0 AND c.stability ${op} ${param(v)})`;
      case 'd':
        return `(c.stability > 0 AND c.difficulty ${op} ${param(v)})`;
      case 'r':
        return `(${recallSql('c.stability', 'c.last_review', param(ctx.now))} ${op} ${param(v)})`;
      case 'due': {
        // Days from today: due=0 is today, due=1 tomorrow, due=-1 overdue since yesterday.
        if (!Number.isInteger(v)) bad('prop:due needs a whole number of days.');
        const from = (d: number) => param(ctx.today.start + d * DAY_MS);
        const range: Record<string, string> = {
          '=': `c.due >= ${from(v)} AND c.due < ${from(v + 1)}`,
          '!=': `(c.due < ${from(v)} OR c.due >= ${from(v + 1)})`,
          '<': `c.due < ${from(v)}`,
          '<=': `c.due < ${from(v + 1)}`,
          '>': `c.due >= ${from(v + 1)}`,
          '>=': `c.due >= ${from(v)}`,
        };
        return `(c.state <> 0 AND ${range[op]})`;
      }
      default:
        return bad(`"prop:${name}" is not a property Cadence knows; use ivl, due, reps, lapses, pos, s, d or r.`);
    }
  }

  function term(node: { key: string; value: string; raw: string }): string {
    const { key, value, raw } = node;
    switch (key) {
      case 'tag': {
        if (value.toLowerCase() === 'none') return note(`n.tags = ''`);
        const p = likePattern(value);
        return note(`(n.tags LIKE ${param(`% ${p} %`)} ESCAPE '\\' OR n.tags LIKE ${param(`% ${p}::%`)} ESCAPE '\\')`);
      }
      case 'deck': {
        const matches = nameMatcher(value);
        return decksWhere((d) => matches(d.path));
      }
      case 'preset': {
        const matches = nameMatcher(value);
        const presets = new Set([...ctx.config.presets.values()].filter((p) => matches(p.name)).map((p) => p.id));
        return decksWhere((d) => presets.has(d.presetId));
      }
      case 'note': {
        const matches = nameMatcher(value);
        const ids = ctx.noteTypes.filter((t) => matches(t.name)).map((t) => t.id);
        return note(`n.note_type_id IN (SELECT value FROM json_each(${param(JSON.stringify(ids))}))`);
      }
      case 'card': {
        if (/^\d+$/.test(value)) return `c.ord = ${param(Number(value) - 1)}`;
        // A template by name: the built-in types call theirs Card 1 and Card 2.
        const matches = nameMatcher(value);
        const pairs: [number, number][] = [];
        for (const t of ctx.noteTypes) {
          const names = t.kind === 'custom' ? t.templates.map((x) => x.name) : t.kind === 'reversed' ? ['Card 1', 'Card 2'] : t.kind === 'basic' ? ['Card 1'] : [];
          names.forEach((name, ord) => matches(name) && pairs.push([t.id, ord]));
        }
        return note(
          `EXISTS (SELECT 1 FROM json_each(${param(JSON.stringify(pairs))}) p WHERE p.value ->> 0 = n.note_type_id AND p.value ->> 1 = c.ord)`,
        );
      }
      case 'is':
        switch (value.toLowerCase()) {
          case 'due':
            return `(c.suspended = 0 AND c.buried_day IS NOT ${param(ctx.today.number)} AND ((c.state = 2 AND c.due < ${param(ctx.today.end)}) OR (c.state IN (1, 3) AND c.due <= ${param(ctx.today.learnCutoff)})))`;
          case 'new':
            return 'c.state = 0';
          case 'learn':
            return 'c.state IN (1, 3)';
          case 'review':
            return 'c.state IN (2, 3)';
          case 'suspended':
            return 'c.suspended = 1';
          case 'buried':
            return `c.buried_day = ${param(ctx.today.number)}`;
          default:
            return bad(`"is:${value}" is not something Cadence can find; use is:due, is:new, is:learn, is:review, is:suspended or is:buried.`);
        }
      case 'flag':
        if (!/^[0-7]$/.test(value)) bad('flag: needs a number from 0 (no flag) to 7, like flag:1 for red.');
        return `c.flag = ${param(Number(value))}`;
      case 'prop':
        return prop(value, raw);
      case 'rated': {
        const [days = '', ease] = value.split(':');
        const from = since(days, 'rated:');
        if (ease !== undefined && !/^[1-4]$/.test(ease)) bad('rated:N:E needs an answer from 1 (Again) to 4 (Easy), like rated:7:1.');
        const rating = ease === undefined ? 'r.rating > 0' : `r.rating = ${param(Number(ease))}`;
        return `c.id IN (SELECT r.card_id FROM revlog r WHERE r.reviewed_at >= ${param(from)} AND ${rating})`;
      }
      case 'introduced':
        return `c.id IN (SELECT r.card_id FROM revlog r WHERE r.reviewed_at >= ${param(since(value, 'introduced:'))} AND r.state_before = 0 AND r.rating > 0)`;
      case 'added':
        return `c.created_at >= ${param(since(value, 'added:'))}`;
      case 'edited':
        return note(`n.updated_at >= ${param(since(value, 'edited:'))}`);
      case 'nid':
        return `c.note_id IN (SELECT value FROM json_each(${idList(value, 'nid:')}))`;
      case 'cid':
        return `c.id IN (SELECT value FROM json_each(${idList(value, 'cid:')}))`;
      case 're':
      case 'nc':
      case 'w':
      case 'sc':
      case 'dupe':
      case 'has-cd':
        return bad(`"${key}:" searches are not supported; use * wildcards or quotes instead.`);
      default:
        return field(key, value);
    }
  }

  /**
   * `front:*word*`: the whole content of every field of that name, with wildcards. Field positions are
   * numbers Cadence read from the note types, written into the JSON path; note types go as a parameter.
   */
  function field(name: string, value: string): string {
    const typesAt = new Map<number, number[]>();
    for (const t of ctx.noteTypes) {
      t.fields.forEach((f, i) => {
        if (f.toLowerCase() === name) typesAt.set(i, [...(typesAt.get(i) ?? []), t.id]);
      });
    }
    if (typesAt.size === 0) return '0';
    const pattern = param(likePattern(value));
    // First the notes whose stored text (a JSON array) has the longest run without wildcards, where JSON
    // writes it as it is (no quote, backslash or control character in it): from the substring index
    // when the run is long enough, else a quick test that passes most notes over without parsing them.
    const core = longestRun(value);
    const plain = !/["\\\u0000-\u001f]/.test(core);
    const indexed = plain ? containing(core) : null;
    const quick = indexed
      ? `${indexed} AND `
      : plain && core.length >= 2
        ? `n.fields LIKE ${param(`%${likeEscape(core)}%`)} ESCAPE '\\' AND `
        : '';
    const parts = [...typesAt].map(
      ([index, types]) =>
        `(n.note_type_id IN (SELECT value FROM json_each(${param(JSON.stringify(types))})) AND json_extract(n.fields, '$[${Math.trunc(index)}]') LIKE ${pattern} ESCAPE '\\')`,
    );
    return note(`(${quick}(${parts.join(' OR ')}))`);
  }

  function sql(node: Node): string {
    switch (node.type) {
      case 'and':
        return `(${node.items.map((i) => sql(i)).join(' AND ')})`;
      case 'or':
        return `(${node.items.map((i) => sql(i)).join(' OR ')})`;
      case 'not':
        return `NOT ${sql(node.item)}`;
      case 'text':
        return text(node);
      case 'term':
        return term(node);
    }
  }

  if (!tree) return { match: null, where: null, params, readsNote, narrowsCards: false };
  // The full-text index drives the search whenever it can narrow it: words every result must have,
  // "or" groups of words, and tags (their names are in the index too, so a tag narrows to the notes
  // that mention it; the exact tag test still runs on those). One FTS5 query, then one index lookup
  // of cards per matching note; everything else is a condition on those cards.
  const top = tree.type === 'and' ? tree.items : [tree];
  const words: string[] = [];
  const rest: string[] = [];
  for (const item of top) {
    const fts = ctx.wordsWaiting ? null : ftsOf(item);
    if (fts) words.push(fts);
    if (!fts || !exactInFts(item)) rest.push(sql(item));
  }
  const narrowsCards = top.some((i) => (i.type === 'term' && ['deck', 'preset', 'nid', 'cid'].includes(i.key) && !/^\*+$/.test(i.value)) || fewCards(i));
  return { match: words.length ? words.join(' AND ') : null, where: rest.length ? rest.join(' AND ') : null, params, readsNote, narrowsCards };
}

/** Plain words (not wildcards inside a word): what the full-text index answers exactly. */
function plainWord(node: { value: string }): boolean {
  return !/[*_]/.test(node.value.replace(/\*$/, ''));
}

/** A search node as an FTS5 expression matching at least its notes, or null when the index cannot help. */
function ftsOf(node: Node): string | null {
  switch (node.type) {
    case 'text':
      return plainWord(node) ? ftsWord(node.value.replace(/\*$/, ''), node.phrase) : null;
    case 'term': {
      if (node.key !== 'tag' || node.value.toLowerCase() === 'none') return null;
      // tag:name and tag:name* (its tokens are in the tags column); wildcards inside the name are not.
      const prefix = node.value.endsWith('*');
      const name = prefix ? node.value.slice(0, -1) : node.value;
      if (/[*_]/.test(name)) return null;
      const word = ftsWord(name, !prefix);
      return word && `tags : ${word}`;
    }
    case 'and':
    case 'or': {
      const parts = node.items.map(ftsOf);
      return parts.every((p) => p !== null) ? `(${parts.join(node.type === 'and' ? ' AND ' : ' OR ')})` : null;
    }
    case 'not':
      return null;
  }
}

/** Whether ftsOf(node) finds exactly the node's notes (words only), so no further test is needed. */
function exactInFts(node: Node): boolean {
  if (node.type === 'text') return true;
  if (node.type === 'and' || node.type === 'or') return node.items.every(exactInFts);
  return false;
}

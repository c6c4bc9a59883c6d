// Cards of imported (custom) note types, rendered from their Anki-style templates: {{Field}},
// {{FrontSide}}, sections {{#Field}}..{{/Field}} and {{^Field}}..{{/Field}}, and the filters cloze:,
// text:, hint: and type: (a typed answer is shown as the plain answer; Cadence has no typing box).
// The output is HTML source; the renderer sanitises it like any card. The note type's CSS is scoped to
// the card with scopeCss so it cannot restyle the rest of the app. Pure: used by both sides.
import { clozeAnswers, parseCloze, renderCloze } from './cloze';

export interface CardTemplate {
  name: string;
  front: string;
  back: string;
}

export interface RenderedCard {
  question: string;
  answer: string;
}

/** What the special fields {{Tags}}, {{Deck}}, {{Subdeck}}, {{Type}} and {{Card}} show. */
export interface TemplateContext {
  tags?: readonly string[];
  deck?: string;
  noteType?: string;
  flag?: number;
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string; filters: string[]; raw: string }
  | { kind: 'section'; name: string; inverted: boolean; children: Node[] };

/** Field names the template system provides itself; a template may use them without such a field. */
const SPECIAL_FIELDS = new Set(['FrontSide', 'Tags', 'Type', 'Deck', 'Subdeck', 'Card', 'CardFlag', 'CardID']);

const TAG = /\{\{([\s\S]*?)\}\}/g;

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: { name: string; children: Node[] }[] = [];
  const target = () => stack[stack.length - 1]?.children ?? root;
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const index = match.index ?? 0;
    if (index > last) target().push({ kind: 'text', text: source.slice(last, index) });
    last = index + match[0].length;
    const inner = (match[1] ?? '').trim();
    const head = inner[0];
    if (head === '#' || head === '^') {
      const node: Node = { kind: 'section', name: inner.slice(1).trim(), inverted: head === '^', children: [] };
      target().push(node);
      stack.push(node);
    } else if (head === '/') {
      const name = inner.slice(1).trim();
      const open = stack.findLastIndex((s) => s.name === name);
      if (open >= 0) stack.length = open;
      else target().push({ kind: 'text', text: match[0] }); // a stray closing tag shows as written
    } else {
      const parts = inner.split(':');
      const name = (parts.pop() ?? '').trim();
      target().push({ kind: 'field', name, filters: parts.map((f) => f.trim()), raw: match[0] });
    }
  }
  if (last < source.length) target().push({ kind: 'text', text: source.slice(last) });
  return root;
}

/** True when a field has nothing worth showing: only whitespace, line breaks or empty divs. */
export function fieldIsEmpty(value: string): boolean {
  return value.replace(/<br\s*\/?>|<\/?div>|&nbsp;|\s/gi, '') === '';
}

function stripHtml(value: string): string {
  return value.replace(/<[^>]*>/g, '');
}

function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface RenderState {
  fields: Map<string, string>;
  /** Lower-cased names, for templates that spell a field with other capitals. */
  fieldsFolded: Map<string, string>;
  side: 'question' | 'answer';
  clozeNumber: number;
  frontSide: string;
  templateName: string;
  context: TemplateContext;
}

function lookup(state: RenderState, name: string): string | undefined {
  if (state.fields.has(name)) return state.fields.get(name);
  const folded = state.fieldsFolded.get(name.toLowerCase());
  if (folded !== undefined) return folded;
  const deck = state.context.deck ?? '';
  switch (name) {
    case 'FrontSide':
      return state.side === 'answer' ? state.frontSide : '';
    case 'Tags':
      return (state.context.tags ?? []).join(' ');
    case 'Type':
      return state.context.noteType ?? '';
    case 'Deck':
      return deck;
    case 'Subdeck':
      return deck.split('::').at(-1) ?? '';
    case 'Card':
      return state.templateName;
    case 'CardFlag':
      return state.context.flag ? `flag${state.context.flag}` : '';
    default:
      return undefined;
  }
}

function applyFilter(filter: string, value: string, fieldName: string, state: RenderState): string {
  switch (filter) {
    case 'text':
      return stripHtml(value);
    case 'cloze':
      return renderCloze(value, state.clozeNumber, state.side);
    case 'hint':
      return fieldIsEmpty(value) ? '' : `<details class="hint"><summary>Show ${escapeHtml(fieldName)}</summary>${value}</details>`;
    case 'type':
      // Shown as the plain answer on the back; the front has nothing to type into.
      return state.side === 'answer' && !fieldIsEmpty(value) ? `<div class="typed-answer">${value}</div>` : '';
    default:
      // Filters Cadence does not know (furigana, kana, ...) leave the text as it is.
      return value;
  }
}

function renderNodes(nodes: Node[], state: RenderState): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') {
      out += node.text;
    } else if (node.kind === 'section') {
      const value = lookup(state, node.name) ?? '';
      const present = !fieldIsEmpty(value);
      if (present !== node.inverted) out += renderNodes(node.children, state);
    } else {
      if (node.filters.some((f) => f.startsWith('tts'))) continue; // text-to-speech: nothing to show
      const value = lookup(state, node.name);
      if (value === undefined) {
        out += `<span class="template-error">(unknown field ${escapeHtml(node.name)})</span>`;
        continue;
      }
      let text = value;
      // {{type:cloze:Text}} types the cloze answers; otherwise filters apply nearest-the-field first.
      if (node.filters[0] === 'type' && node.filters[1] === 'cloze') {
        text = clozeAnswers(value, state.clozeNumber).join(', ');
        text = applyFilter('type', text, node.name, state);
      } else {
        for (const filter of [...node.filters].reverse()) text = applyFilter(filter, text, node.name, state);
      }
      out += text;
    }
  }
  return out;
}

function makeState(fieldNames: readonly string[], fieldValues: readonly string[], ord: number, templateName: string, context: TemplateContext) {
  const fields = new Map<string, string>();
  const fieldsFolded = new Map<string, string>();
  fieldNames.forEach((name, i) => {
    fields.set(name, fieldValues[i] ?? '');
    if (!fieldsFolded.has(name.toLowerCase())) fieldsFolded.set(name.toLowerCase(), fieldValues[i] ?? '');
  });
  const state: RenderState = { fields, fieldsFolded, side: 'question', clozeNumber: ord + 1, frontSide: '', templateName, context };
  return state;
}

/**
 * Question and answer HTML of one card. `ord` is the card's ordinal: the template index for a standard
 * note type, the cloze number minus one for a cloze one.
 */
export function renderTemplateCard(
  template: CardTemplate,
  fieldNames: readonly string[],
  fieldValues: readonly string[],
  ord: number,
  context: TemplateContext = {},
): RenderedCard {
  const state = makeState(fieldNames, fieldValues, ord, template.name, context);
  const question = renderNodes(parse(template.front), state);
  state.side = 'answer';
  state.frontSide = question;
  const answer = renderNodes(parse(template.back), state);
  return { question, answer };
}

function collect(nodes: Node[], out: { fields: Set<string>; cloze: Set<string> }): void {
  for (const node of nodes) {
    if (node.kind === 'section') {
      out.fields.add(node.name);
      collect(node.children, out);
    } else if (node.kind === 'field' && !node.filters.some((f) => f.startsWith('tts'))) {
      out.fields.add(node.name);
      if (node.filters.includes('cloze')) out.cloze.add(node.name);
    }
  }
}

/** Field names a template uses (sections and replacements), special fields excluded. */
export function templateFieldReferences(source: string): string[] {
  const found = { fields: new Set<string>(), cloze: new Set<string>() };
  collect(parse(source), found);
  return [...found.fields].filter((name) => !SPECIAL_FIELDS.has(name));
}

/** Every place a template uses a field the note type does not have. Empty when the templates are sound. */
export function missingTemplateFields(
  templates: readonly CardTemplate[],
  fieldNames: readonly string[],
): { template: string; side: 'front' | 'back'; field: string }[] {
  const known = new Set(fieldNames.map((n) => n.toLowerCase()));
  const out: { template: string; side: 'front' | 'back'; field: string }[] = [];
  for (const t of templates) {
    for (const side of ['front', 'back'] as const) {
      for (const field of templateFieldReferences(t[side])) {
        if (!known.has(field.toLowerCase())) out.push({ template: t.name, side, field });
      }
    }
  }
  return out;
}

/** True when the note type makes one card per cloze number (its template uses a cloze: filter). */
export function usesCloze(templates: readonly CardTemplate[]): boolean {
  return templates.some((t) => /\{\{[^}]*\bcloze:/.test(t.front));
}

/**
 * The card ordinals a note of a custom type gets. Cloze designs: one per cloze number in the fields
 * their front uses with cloze:. Standard designs: one per template whose front shows something for
 * this note (a front that reads the same with every field empty makes no card, as in Anki).
 */
export function customCardOrdinals(templates: readonly CardTemplate[], fieldNames: readonly string[], values: readonly string[]): number[] {
  const first = templates[0];
  if (!first) return [];
  if (usesCloze(templates)) {
    const found = { fields: new Set<string>(), cloze: new Set<string>() };
    collect(parse(first.front), found);
    const numbers = new Set<number>();
    fieldNames.forEach((name, i) => {
      if (found.cloze.has(name)) for (const n of parseCloze(values[i] ?? '').numbers) numbers.add(n);
    });
    return [...numbers].sort((a, b) => a - b).map((n) => n - 1);
  }
  const blank = fieldNames.map(() => '');
  const ords: number[] = [];
  templates.forEach((t, i) => {
    const front = renderTemplateCard(t, fieldNames, values, i).question;
    const empty = renderTemplateCard(t, fieldNames, blank, i).question;
    if (front !== empty) ords.push(i);
  });
  return ords;
}

/** The template card `ord` is rendered with: cloze designs have one template for every card. */
export function customTemplateFor(templates: readonly CardTemplate[], ord: number): CardTemplate | undefined {
  return usesCloze(templates) ? templates[0] : templates[ord];
}

// CSS scoping -------------------------------------------------------------------------------------

/** Classes Anki puts on the card's own element (and the page around it); they land on the scope root. */
const ROOT_CLASS = /^\.(card\d*|nightMode|night_mode|mobile|win|mac|linux|iphone|ipad|android)$/;

/** Splits at `sep` outside strings, brackets and parentheses. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** One selector, rewritten so it only matches the card root (`scope`) and what is inside it. */
function scopeSelector(selector: string, scope: string): string {
  const parts = selector.trim().split(/\s+/);
  let rootExtra = '';
  let i = 0;
  // Leading compounds that name the card itself (".card", "body", ".nightMode .card") merge into the root.
  for (; i < parts.length; i++) {
    const [, element, classes = '', tail = ''] = parts[i]!.match(/^(html|body|:root)?((?:\.[\w-]+)*)(.*)$/i) ?? [];
    const classList = classes ? classes.split(/(?=\.)/) : [];
    if (!element && classList.length === 0) break;
    if (!classList.every((c) => ROOT_CLASS.test(c))) break;
    rootExtra += classes + tail;
    if (tail) {
      i++;
      break;
    }
  }
  const rest = parts.slice(i).join(' ');
  return rest ? `${scope}${rootExtra} ${rest}` : `${scope}${rootExtra}`;
}

/** Finds the index of the `}` closing the block that opens at `open` (a `{`), skipping strings. */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < css.length; i++) {
    const c = css[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return css.length;
}

function scopeRules(css: string, scope: string): string {
  let out = '';
  let p = 0;
  while (p < css.length) {
    const open = css.indexOf('{', p);
    const semi = css.indexOf(';', p);
    const head = css.slice(p, open < 0 ? css.length : open).trim();
    if (head.startsWith('@') && semi >= 0 && (open < 0 || semi < open)) {
      // @import would fetch from elsewhere and @charset means nothing here: both are dropped.
      p = semi + 1;
      continue;
    }
    if (open < 0) break;
    const close = blockEnd(css, open);
    const body = css.slice(open + 1, close);
    if (/^@(media|supports|container|layer)\b/i.test(head)) {
      out += `${head} {\n${scopeRules(body, scope)}}\n`;
    } else if (/^@(font-face|keyframes|-webkit-keyframes|counter-style|property)\b/i.test(head)) {
      out += `${head} {${body}}\n`;
    } else if (head.startsWith('@')) {
      // Other at-rules (@page, ...) have no meaning inside a card.
    } else if (head !== '') {
      const selectors = splitTop(head, ',').map((s) => scopeSelector(s, scope));
      out += `${selectors.join(', ')} {${body}}\n`;
    }
    p = close + 1;
  }
  return out;
}

/**
 * A note type's CSS rewritten to apply only inside one card: every selector is prefixed with `scope`
 * (a selector for the element wrapping the card), and rules aimed at the page or at Anki's card
 * element (html, body, .card, .nightMode .card, ...) land on that element. The card element should
 * carry the classes "card card<N>" (N = ord + 1) as in Anki.
 */
export function scopeCss(css: string, scope: string): string {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  return scopeRules(withoutComments, scope);
}

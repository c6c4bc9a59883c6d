// What a note's fields are written in: Markdown (notes written in Cadence) or HTML (notes imported from
// Anki or an HTML CSV file). HTML is shown as it is; only Markdown goes through the Markdown pass, and
// math in it is set aside first so Markdown cannot eat its backslashes or turn "a_{0}" into italics.
// Pure (marked needs no DOM): the renderer uses it before sanitising, exports to turn Markdown into
// the HTML Anki shows.
import { Marked } from 'marked';
import { findMath, unwrapMathMarkup } from './math';

export type NoteFormat = 'markdown' | 'html';
export const NOTE_FORMATS: readonly NoteFormat[] = ['markdown', 'html'];

const markdown = new Marked({ gfm: true, breaks: true, async: false });

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// Private-use characters around a number: Markdown leaves them alone, and typed text never has them.
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARK = /\uE000(\d+)\uE001/g;

/** Markdown source -> HTML, math segments passed through as written (HTML-escaped). */
export function markdownToHtml(source: string): string {
  const segments = findMath(source);
  if (segments.length === 0) return markdown.parse(source) as string;
  let protectedText = '';
  let last = 0;
  segments.forEach((seg, i) => {
    protectedText += source.slice(last, seg.start) + MARK_OPEN + i + MARK_CLOSE;
    last = seg.end;
  });
  protectedText += source.slice(last);
  const html = markdown.parse(protectedText) as string;
  return html.replace(MARK, (whole, n: string) => {
    const seg = segments[Number(n)];
    return seg ? escapeHtml(source.slice(seg.start, seg.end)) : whole;
  });
}

/** A card side's source as HTML ready to sanitise, whichever format its note is in. */
export function sourceToHtml(source: string, format: NoteFormat): string {
  return format === 'markdown' ? markdownToHtml(source) : unwrapMathMarkup(source);
}

/**
 * One field as the HTML Anki keeps in its notes: Markdown is converted, and a single paragraph is
 * unwrapped (Anki's own fields have no <p> around one line of text). HTML is returned as it is.
 */
export function fieldAsHtml(value: string, format: NoteFormat): string {
  if (format === 'html' || value === '') return value;
  const html = markdownToHtml(value).trim();
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes('<p>') ? single[1]! : html;
}

/**
 * Whether a note's stored fields read the same as `incoming` HTML fields: a Markdown note that went out
 * in an export (as HTML) and comes back is unchanged, not an edit.
 */
export function sameFields(stored: readonly string[], format: NoteFormat, incoming: readonly string[]): boolean {
  if (stored.length !== incoming.length) return false;
  return stored.every((value, i) => value === incoming[i] || (format === 'markdown' && fieldAsHtml(value, format) === incoming[i]));
}

// Where math is in card text, in the notations Anki decks use: MathJax's \(…\) (inline), \[…\] and
// $$…$$ (display), and Anki's LaTeX blocks [$]…[/$] (inline), [$$]…[/$$] (display) and
// [latex]…[/latex] (a piece of a LaTeX document). Pure text functions: the Markdown pass keeps these
// segments away from Markdown, and the renderer draws them with KaTeX.

export type MathKind = 'inline' | 'display' | 'latex';

export interface MathSegment {
  /** Where the segment starts and ends in the text (delimiters included). */
  start: number;
  end: number;
  kind: MathKind;
  /** The TeX between the delimiters, as written. */
  tex: string;
}

// Longer openers first, so "[$$]" is not read as "[$]" and "$$" is checked before anything else.
const MATH = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]|\$\$([\s\S]+?)\$\$|\[\$\$\]([\s\S]*?)\[\/\$\$\]|\[\$\]([\s\S]*?)\[\/\$\]|\[latex\]([\s\S]*?)\[\/latex\]/gi;

/** Quick test before the full scan: most fields have no math at all. */
export function mayHaveMath(text: string): boolean {
  return text.includes('\\(') || text.includes('\\[') || text.includes('$$') || text.includes('[$') || /\[latex\]/i.test(text);
}

/** Every math segment in `text`, in order, not overlapping. */
export function findMath(text: string): MathSegment[] {
  if (!mayHaveMath(text)) return [];
  const out: MathSegment[] = [];
  for (const m of text.matchAll(MATH)) {
    const start = m.index ?? 0;
    const [, paren, bracket, dollars, blockDisplay, blockInline, latex] = m;
    let kind: MathKind;
    let tex: string;
    if (paren !== undefined) [kind, tex] = ['inline', paren];
    else if (bracket !== undefined) [kind, tex] = ['display', bracket];
    else if (dollars !== undefined) [kind, tex] = ['display', dollars];
    else if (blockDisplay !== undefined) [kind, tex] = ['display', blockDisplay];
    else if (blockInline !== undefined) [kind, tex] = ['inline', blockInline];
    else [kind, tex] = ['latex', latex ?? ''];
    out.push({ start, end: start + m[0].length, kind, tex });
  }
  return out;
}

/**
 * The body of a [latex] block as something KaTeX may draw: a single $…$, $$…$$ or \[…\] inside is
 * unwrapped (inline for $…$); anything else (an environment, bare commands) is tried as display math.
 * Anki sends these blocks to a real LaTeX; whatever KaTeX cannot parse is shown as written.
 */
export function latexBlockMath(body: string): { tex: string; display: boolean } {
  const text = body.trim();
  const wrapped = /^\$\$([\s\S]*)\$\$$/.exec(text) ?? /^\\\[([\s\S]*)\\\]$/.exec(text);
  if (wrapped) return { tex: wrapped[1]!, display: true };
  const inline = /^\$([^$]*)\$$/.exec(text) ?? /^\\\(([\s\S]*)\\\)$/.exec(text);
  if (inline) return { tex: inline[1]!, display: false };
  return { tex: text, display: true };
}

/**
 * Inside HTML fields, the math segments with the editor's markup taken out: Anki's editor puts <br>
 * and <div> into multi-line math and may wrap parts in <span>s; the TeX is the text. Line breaks
 * stay line breaks, other tags go, entities stay (the HTML parser decodes them).
 */
export function unwrapMathMarkup(html: string): string {
  if (!mayHaveMath(html) || !html.includes('<')) return html;
  let out = '';
  let last = 0;
  for (const seg of findMath(html)) {
    out += html.slice(last, seg.start);
    out += html
      .slice(seg.start, seg.end)
      .replace(/<br\s*\/?>|<\/?div\b[^>]*>/gi, '\n')
      .replace(/<[^>]*>/g, '');
    last = seg.end;
  }
  return out + html.slice(last);
}

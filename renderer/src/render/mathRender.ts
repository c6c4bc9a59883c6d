// Draws the math in a card with KaTeX, bundled with the app (no network). This module and its fonts
// are a separate chunk, loaded the first time a card has math in it (see CardView), so cards without
// math never pay for it. KaTeX builds DOM nodes and sets their sizes through the style properties
// (CSSOM), not through style="" markup, so it needs nothing from the Content-Security-Policy beyond
// what cards already have; its fonts are served from the app itself (font-src 'self').
import katex from 'katex';
import katexCss from 'katex/dist/katex.min.css?raw';
import { findMath, latexBlockMath, mayHaveMath } from '../../../shared/math';

// Only the woff2 fonts are shipped (every Chromium reads them); the CSS's woff/ttf fallbacks are dropped.
const FONT_URLS = import.meta.glob('../../../node_modules/katex/dist/fonts/*.woff2', { query: '?url', import: 'default', eager: true }) as Record<
  string,
  string
>;
const fontUrl = new Map(Object.entries(FONT_URLS).map(([file, url]) => [file.slice(file.lastIndexOf('/') + 1, -'.woff2'.length), url]));

/** KaTeX's styles with font sources pointing at the app's copies. */
export const KATEX_CSS = katexCss.replace(/src:url\(fonts\/([\w-]+)\.woff2\)[^;}]*/g, (whole, name: string) => {
  const url = fontUrl.get(name);
  return url ? `src:url(${url}) format("woff2")` : whole;
});

const FONT_FACES = (KATEX_CSS.match(/@font-face\{[^}]*\}/g) ?? []).join('\n');

/**
 * Fonts declared inside a shadow root are not used by the browser, so the @font-face rules go into
 * the document once; the rest of KaTeX's styles go into each card's shadow root (styleFor).
 */
function ensureFonts(): void {
  if (document.getElementById('katex-fonts')) return;
  const style = document.createElement('style');
  style.id = 'katex-fonts';
  style.textContent = FONT_FACES;
  document.head.append(style);
}

const SKIP = new Set(['CODE', 'PRE', 'TEXTAREA', 'SCRIPT', 'STYLE']);

const OPTIONS = {
  throwOnError: true,
  // No \href, \url, \includegraphics or \htmlClass: imported decks are untrusted.
  trust: false,
  strict: 'ignore' as const,
  // Bounds on what one formula can make the page do.
  maxSize: 20,
  maxExpand: 500,
};

function shownAsWritten(raw: string, note: string): HTMLElement {
  const wrap = document.createElement('span');
  wrap.className = 'math-unrendered';
  const code = document.createElement('code');
  code.textContent = raw;
  const small = document.createElement('small');
  small.className = 'math-note';
  small.textContent = note;
  wrap.append(code, ' ', small);
  return wrap;
}

function drawSegment(raw: string, kind: 'inline' | 'display' | 'latex', tex: string): HTMLElement {
  const { tex: body, display } = kind === 'latex' ? latexBlockMath(tex) : { tex, display: kind === 'display' };
  const el = document.createElement(display ? 'div' : 'span');
  el.className = display ? 'math math-display' : 'math math-inline';
  try {
    katex.render(body, el, { ...OPTIONS, displayMode: display });
    return el;
  } catch {
    return shownAsWritten(raw, kind === 'latex' || raw.startsWith('[') ? '(LaTeX Cadence cannot draw; shown as written)' : '(math Cadence cannot read; shown as written)');
  }
}

/** Replaces every math segment in the text under `root` with KaTeX's drawing. Returns how many. */
export function renderMath(root: Node): number {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let p = node.parentElement; p && p !== root; p = p.parentElement) {
        if (SKIP.has(p.tagName) || p.classList.contains('katex')) return NodeFilter.FILTER_REJECT;
      }
      return mayHaveMath(node.nodeValue ?? '') ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    },
  });
  const texts: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n as Text);
  let drawn = 0;
  for (const node of texts) {
    const text = node.nodeValue ?? '';
    const segments = findMath(text);
    if (segments.length === 0) continue;
    const parts: (string | Node)[] = [];
    let last = 0;
    for (const seg of segments) {
      if (seg.start > last) parts.push(text.slice(last, seg.start));
      parts.push(drawSegment(text.slice(seg.start, seg.end), seg.kind, seg.tex));
      last = seg.end;
      drawn++;
    }
    if (last < text.length) parts.push(text.slice(last));
    node.replaceWith(...parts);
  }
  if (drawn) ensureFonts();
  return drawn;
}

/** KaTeX's styles for one card's shadow root, plus how unreadable math is shown. */
export function styleFor(): HTMLStyleElement {
  const style = document.createElement('style');
  style.textContent = `${KATEX_CSS}
.math-display { margin: 0.6em 0; overflow-x: auto; overflow-y: hidden; }
.math-unrendered code { white-space: pre-wrap; }
.math-note { color: var(--muted); }`;
  return style;
}

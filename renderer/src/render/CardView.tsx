// Shows one side of a card. The sanitised content lives in a shadow root, so an imported note type's
// CSS styles its cards and nothing else in the app, and app styles do not leak into cards. Math is
// drawn by KaTeX, loaded the first time a card needs it (mathRender.ts); until it is drawn the card
// stays hidden, so the raw TeX never flashes on screen.
import { useLayoutEffect, useMemo, useRef } from 'react';
import { mayHaveMath } from '../../../shared/math';
import type { NoteFormat } from '../../../shared/noteFormat';
import { withoutRemoteCss } from '../../../shared/remoteContent';
import { cardFragment } from './cardHtml';

const loadMath = () => import('./mathRender');

const BASE_CSS = `
:host { display: block; }
.card {
  font-size: var(--card-font-size, 1.3rem);
  line-height: 1.55;
  color: var(--text);
  text-align: center;
  overflow-wrap: anywhere;
}
.card > :first-child { margin-top: 0; }
.card > :last-child { margin-bottom: 0; }
.card ul, .card ol { display: inline-block; text-align: left; margin: 0.5em 0; }
.card table { margin: 0.5em auto; border-collapse: collapse; }
.card th, .card td { border: 1px solid var(--border); padding: 0.3em 0.6em; text-align: left; }
.card img, .card video { max-width: 100%; height: auto; }
.card a { color: var(--accent); }
.card code { font-family: var(--mono); font-size: 0.9em; background: var(--surface-2); padding: 0.1em 0.3em; border-radius: 4px; }
.card pre { text-align: left; background: var(--surface-2); padding: 0.75em 1em; border-radius: 8px; overflow-x: auto; }
.card pre code { background: none; padding: 0; }
.card blockquote { margin: 0.5em auto; padding-left: 1em; border-left: 3px solid var(--border); text-align: left; color: var(--muted); }
.card .cloze { font-weight: 700; color: var(--accent); }
.card hr.answer-divider { border: 0; border-top: 1px solid var(--border); margin: 1.25em 0; }
.card .remote-image {
  display: inline-block; padding: 0.4em 0.7em; margin: 0.2em; border: 1px dashed var(--border);
  border-radius: 6px; color: var(--muted); font-size: 0.8em; background: var(--surface-2);
}
.card.math-pending { visibility: hidden; }
`;

export function CardView({
  source,
  format = 'markdown',
  css = '',
  label,
  className,
}: {
  source: string;
  /** How the note's fields are written: Markdown (Cadence) or HTML (imported). */
  format?: NoteFormat;
  css?: string;
  label: string;
  className?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const fragment = useMemo(() => cardFragment(source, format), [source, format]);
  useLayoutEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    // Note type CSS is text inside a <style>: it can restyle the card but never run code, and it loses
    // any url() that would fetch from the network.
    style.textContent = `${BASE_CSS}\n${withoutRemoteCss(css)}`;
    const body = document.createElement('div');
    body.className = 'card';
    body.append(fragment.cloneNode(true));
    root.replaceChildren(style, body);
    if (!mayHaveMath(body.textContent ?? '')) return;
    body.classList.add('math-pending');
    let current = true;
    loadMath()
      .then((math) => {
        if (!current) return;
        if (math.renderMath(body) > 0) root.prepend(math.styleFor());
      })
      .catch(() => undefined) // the TeX stays readable as text
      .finally(() => body.classList.remove('math-pending'));
    return () => {
      current = false;
    };
  }, [fragment, css]);
  // The wrapper is outside the shadow root, so no card CSS can undo it: `contain: paint` and the
  // clipping keep even position:fixed content inside the card's box, never over the app.
  return (
    <div className="card-frame">
      <div ref={host} className={className} role="region" aria-label={label} />
    </div>
  );
}

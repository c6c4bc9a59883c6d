// The "?" beside the browser's search box: Anki's search syntax, with examples a user can click to try.
import { useEffect, useId, useRef, useState } from 'react';
import './searchHelp.css';

const EXAMPLES: [string, string][] = [
  ['sprint review', 'cards with both words (each also as the start of a longer word)'],
  ['"sprint review"', 'the exact phrase'],
  ['sprint or okr', 'either word'],
  ['-roadmap', 'leave out cards with the word'],
  ['(sprint or okr) -tag:pm', 'group with parentheses'],
  ['tag:scrum', 'tagged scrum, or a tag below it such as scrum::events; tag:none for no tags'],
  ['deck:Starter::*', 'in a deck (with its subdecks); * matches any text'],
  ['note:Cloze card:2', 'by note type, and by card (2 = the reverse or the second cloze)'],
  ['is:due', 'also is:new, is:learn, is:review, is:suspended, is:buried'],
  ['prop:ivl>=10', 'interval of 10 days or more; also prop:due=1, prop:reps, prop:lapses, prop:r<0.8'],
  ['rated:7:1', 'answered Again in the last 7 days (rated:7 for any answer)'],
  ['added:3', 'added in the last 3 days; also edited:N, introduced:N'],
  ['flag:1', 'flagged red (1 red … 7 purple, 0 no flag)'],
  ['front:*risk*', 'a field by name: its whole content, with * wildcards'],
];

export function SearchHelp({ onTry }: { onTry: (query: string) => void }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', close);
    document.addEventListener('mousedown', close);
    return () => {
      document.removeEventListener('keydown', close);
      document.removeEventListener('mousedown', close);
    };
  }, [open]);
  return (
    <div className="search-help" ref={box}>
      <button type="button" className="small" aria-expanded={open} aria-controls={id} onClick={() => setOpen(!open)} title="Search syntax">
        ?<span className="visually-hidden"> Search syntax</span>
      </button>
      {open ? (
        <div id={id} className="search-help-panel card" role="dialog" aria-label="Search syntax">
          <p className="muted small">Cadence reads Anki's search syntax. Words match fields and tags, ignoring case. Click an example to try it.</p>
          <dl>
            {EXAMPLES.map(([query, meaning]) => (
              <div key={query}>
                <dt>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      onTry(query);
                      setOpen(false);
                    }}
                  >
                    <code>{query}</code>
                  </button>
                </dt>
                <dd>{meaning}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
    </div>
  );
}

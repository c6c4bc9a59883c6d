// Type-in-the-answer cards on the review screen: a box to type into under the question, and on the
// answer side what was typed compared with the answer (right, wrong, missing), as Anki shows it.
import { useMemo } from 'react';
import { compareTyped } from '../../../shared/typeAnswer';

export function TypeAnswerInput({ value, onChange, onDone }: { value: string; onChange: (text: string) => void; onDone: () => void }) {
  return (
    <label className="type-answer">
      <span className="visually-hidden">Type the answer</span>
      <input
        autoFocus
        value={value}
        placeholder="Type the answer, then press Enter"
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onDone();
          }
        }}
      />
    </label>
  );
}

export function TypedComparison({ typed, expected }: { typed: string; expected: string }) {
  const result = useMemo(() => compareTyped(typed, expected), [typed, expected]);
  return (
    <div className="typed-comparison" role="status" aria-label="Your answer compared">
      {typed.trim() === '' ? (
        <p className="muted">Nothing was typed. The answer: <strong>{expected}</strong></p>
      ) : result.exact ? (
        <p>
          <span className="typed-good">{expected}</span> <span className="muted">· exactly right</span>
        </p>
      ) : (
        <>
          <p className="typed-line">
            {result.parts.map((p, i) => (
              <span key={i} className={`typed-${p.kind}`} title={p.kind === 'good' ? 'right' : p.kind === 'bad' ? 'typed, not in the answer' : 'missing'}>
                {p.kind === 'missing' ? p.text.replace(/ /g, '\u00a0') : p.text}
              </span>
            ))}
          </p>
          <p className="muted small">
            ↓ The answer: <strong>{expected}</strong>
          </p>
        </>
      )}
    </div>
  );
}

// A timed mock exam (#/exam?attempt=N). Every choice and flag is sent to Cadence the moment it is made
// (in order, one at a time), so closing the window or a crash loses nothing the page showed as saved;
// reopening the page resumes the attempt. The countdown runs on Cadence's clock (the page measures
// its offset once) and there is no pause, as in the real exams. At zero the attempt is submitted.
//
// Keys: 1–8 choose an option (toggle for multiple select), Enter confirms and moves on (on the last
// question it asks to submit), F flags, ← → move, Home/End jump to the first/last question.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Attempt, AttemptQuestion } from '../../../../shared/contract/exams';
import { call } from '../../api';
import { ConfirmDialog, EmptyState, ErrorMessage, Loading } from '../../components/ui';
import { href, navigate, useRoute } from '../../router';
import { clock, letter } from './format';
import './exams.css';

type Save = { state: 'saved' | 'saving' | 'failed'; message?: string };

function useCountdown(attempt: Attempt | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  // Measured once per attempt: Cadence's clock decides, whatever this machine's clock says.
  const serverNow = attempt?.now;
  const offset = useMemo(() => (serverNow === undefined ? 0 : serverNow - Date.now()), [attempt?.id]); // not on every answer
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, []);
  return attempt ? attempt.deadlineAt - (now + offset) : null;
}

function Options({ q, onPick }: { q: AttemptQuestion; onPick: (i: number) => void }) {
  const multiple = q.kind === 'multiple';
  const name = `q${q.position}`;
  return (
    <fieldset className="exam-options">
      <legend className="visually-hidden">{multiple ? `Choose ${q.choose}` : 'Choose one'}</legend>
      {q.options.map((option, i) => {
        const checked = q.chosen?.includes(i) ?? false;
        return (
          <label key={i} className={`exam-option ${checked ? 'chosen' : ''}`}>
            <input type={multiple ? 'checkbox' : 'radio'} name={name} checked={checked} onChange={() => onPick(i)} />
            <kbd aria-hidden="true">{i + 1}</kbd>
            <span className="exam-option-letter" aria-hidden="true">
              {letter(i)}.
            </span>
            <span>{option}</span>
          </label>
        );
      })}
    </fieldset>
  );
}

function Navigator({ questions, current, onGo }: { questions: AttemptQuestion[]; current: number; onGo: (i: number) => void }) {
  return (
    <nav className="exam-navigator" aria-label="Questions">
      <ol>
        {questions.map((q) => {
          const answered = q.chosen !== null && q.chosen.length > 0;
          const state = [answered ? 'answered' : 'unanswered', q.flagged ? 'flagged' : ''].filter(Boolean).join(', ');
          return (
            <li key={q.position}>
              <button
                type="button"
                className={`exam-nav-item ${answered ? 'answered' : ''} ${q.flagged ? 'flagged' : ''}`}
                aria-current={q.position === current ? 'step' : undefined}
                aria-label={`Question ${q.position + 1}, ${state}`}
                onClick={() => onGo(q.position)}
              >
                {q.position + 1}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function ExamSessionPage() {
  const { params } = useRoute();
  const attemptId = Number(params.attempt);
  const [attempt, setAttemptState] = useState<Attempt>();
  // The newest state, for changes made faster than React renders (a key held down, 1 then F at once).
  const latest = useRef<Attempt | undefined>(undefined);
  const setAttempt = useCallback((a: Attempt) => {
    latest.current = a;
    setAttemptState(a);
  }, []);
  const [error, setError] = useState<string>();
  const [current, setCurrent] = useState(0);
  const [save, setSave] = useState<Save>({ state: 'saved' });
  const [confirmSubmit, setConfirmSubmit] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const pending = useRef(0);
  const submitted = useRef(false);
  const remaining = useCountdown(attempt);

  useEffect(() => {
    if (!Number.isInteger(attemptId) || attemptId <= 0) return;
    call('exams.attempt', { id: attemptId })
      .then((a) => {
        if (a.submitted) navigate('exam-review', { attempt: String(a.id) });
        setAttempt(a);
        // Resume at the first unanswered question.
        const first = a.questions.findIndex((q) => q.chosen === null);
        setCurrent(first < 0 ? 0 : first);
      })
      .catch((err: Error) => setError(err.message));
  }, [attemptId, setAttempt]);

  /** Shows the change at once and saves it; saves run one after another, in the order made. */
  const update = useCallback(
    (position: number, change: (q: AttemptQuestion) => AttemptQuestion) => {
      const attempt = latest.current;
      if (!attempt || submitted.current) return;
      const next = change(attempt.questions[position]!);
      setAttempt({ ...attempt, questions: attempt.questions.map((q) => (q.position === position ? next : q)) });
      pending.current++;
      setSave({ state: 'saving' });
      queue.current = queue.current.then(async () => {
        try {
          await call('exams.answer', { attemptId: attempt.id, position, chosen: next.chosen, flagged: next.flagged });
          if (--pending.current === 0) setSave({ state: 'saved' });
        } catch (err) {
          pending.current--;
          setSave({ state: 'failed', message: (err as Error).message });
        }
      });
    },
    [setAttempt],
  );

  const pick = useCallback(
    (i: number) =>
      update(current, (q) => {
        if (i >= q.options.length) return q;
        if (q.kind !== 'multiple') return { ...q, chosen: [i] };
        const chosen = q.chosen ?? [];
        const toggled = chosen.includes(i) ? chosen.filter((c) => c !== i) : [...chosen, i].sort((a, b) => a - b);
        return { ...q, chosen: toggled.length ? toggled : null };
      }),
    [current, update],
  );
  const flag = useCallback(() => update(current, (q) => ({ ...q, flagged: !q.flagged })), [current, update]);

  const submit = useCallback(async () => {
    if (!attempt || submitted.current) return;
    submitted.current = true;
    setSubmitting(true);
    try {
      await queue.current; // every answer given is saved before the score is taken
      await call('exams.submit', { attemptId: attempt.id });
      navigate('exam-review', { attempt: String(attempt.id) });
    } catch (err) {
      submitted.current = false;
      setSubmitting(false);
      setError((err as Error).message);
    }
  }, [attempt]);

  // Time is up: submit what was given.
  useEffect(() => {
    if (remaining !== null && remaining <= 0 && !submitted.current) void submit();
  }, [remaining, submit]);

  const count = attempt?.questions.length ?? 0;
  const go = useCallback((i: number) => setCurrent(Math.max(0, Math.min(count - 1, i))), [count]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!attempt || confirmSubmit || e.ctrlKey || e.metaKey || e.altKey) return;
      const target = e.target as HTMLElement;
      if (target.closest('dialog')) return;
      const onControl = target.tagName === 'BUTTON' || target.tagName === 'A';
      if (/^[1-8]$/.test(e.key)) {
        e.preventDefault();
        pick(Number(e.key) - 1);
      } else if (e.key === 'f' || e.key === 'F') {
        e.preventDefault();
        flag();
      } else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') {
        e.preventDefault();
        go(current + 1);
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') {
        e.preventDefault();
        go(current - 1);
      } else if (e.key === 'Home') {
        e.preventDefault();
        go(0);
      } else if (e.key === 'End') {
        e.preventDefault();
        go(count - 1);
      } else if (e.key === 'Enter' && !onControl) {
        e.preventDefault();
        if (current === count - 1) setConfirmSubmit(true);
        else go(current + 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [attempt, confirmSubmit, current, count, pick, flag, go]);

  // The question's heading gets focus when it changes, so screen readers read it.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), [current]);

  // Leaving with saves still in flight: the browser asks first.
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (pending.current > 0) e.preventDefault();
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, []);

  if (!Number.isInteger(attemptId) || attemptId <= 0) {
    return (
      <EmptyState title="No exam chosen" action={<a className="button primary" href={href('exams')}>Go to Exams</a>}>
        Start a mock exam from the Exams page.
      </EmptyState>
    );
  }
  if (!attempt) return error ? <ErrorMessage error={error} /> : <Loading label="Opening the exam…" />;

  const q = attempt.questions[current]!;
  const answered = attempt.questions.filter((x) => x.chosen !== null).length;
  const flagged = attempt.questions.filter((x) => x.flagged).length;
  const low = remaining !== null && remaining < 5 * 60_000;
  const minutesLeft = remaining === null ? 0 : Math.ceil(remaining / 60_000);

  return (
    <section className="page exam-session" aria-labelledby="exam-title">
      <header className="exam-bar">
        <h1 id="exam-title">{attempt.formatName} mock exam</h1>
        <p className={`exam-clock ${low ? 'low' : ''}`} role="timer" aria-label={`Time left: ${minutesLeft} minutes`}>
          <span aria-hidden="true">{clock(remaining ?? 0)}</span>
        </p>
        <p className="muted small exam-progress" aria-live="polite">
          {answered} of {count} answered{flagged ? ` · ${flagged} flagged` : ''} ·{' '}
          <span className={`exam-save ${save.state}`}>{save.state === 'saving' ? 'Saving…' : save.state === 'saved' ? 'All answers saved' : 'Not saved'}</span>
        </p>
        <button type="button" className="primary" onClick={() => setConfirmSubmit(true)} disabled={submitting}>
          Submit exam
        </button>
      </header>
      <ErrorMessage error={save.state === 'failed' ? save.message : error} />
      <div className="exam-layout">
        <article className="card exam-question" aria-labelledby="exam-q-heading">
          <div className="exam-row">
            <h2 id="exam-q-heading" ref={heading} tabIndex={-1}>
              Question {current + 1} of {count}
            </h2>
            <button type="button" className={`small ${q.flagged ? 'flag-on' : ''}`} aria-pressed={q.flagged} onClick={flag}>
              {q.flagged ? '⚑ Flagged' : '⚐ Flag for review'} <kbd>F</kbd>
            </button>
          </div>
          <p className="exam-stem">{q.stem}</p>
          <p className="muted small">{q.kind === 'multiple' ? `Choose ${q.choose}.` : q.kind === 'truefalse' ? 'True or false?' : 'Choose the best answer.'}</p>
          <Options q={q} onPick={pick} />
          <div className="exam-move">
            <button type="button" onClick={() => go(current - 1)} disabled={current === 0}>
              ← Previous
            </button>
            {current < count - 1 ? (
              <button type="button" className="primary" onClick={() => go(current + 1)}>
                Next →
              </button>
            ) : (
              <button type="button" className="primary" onClick={() => setConfirmSubmit(true)}>
                Finish…
              </button>
            )}
          </div>
          <p className="muted small exam-keys">
            Keys: <kbd>1</kbd>–<kbd>{q.options.length}</kbd> choose · <kbd>Enter</kbd> next · <kbd>F</kbd> flag · <kbd>←</kbd> <kbd>→</kbd> move. The
            clock does not pause, as in the real exam; every answer is saved as you give it.
          </p>
        </article>
        <Navigator questions={attempt.questions} current={current} onGo={go} />
      </div>
      {confirmSubmit ? (
      <ConfirmDialog
        open
        title="Submit the exam?"
        confirmLabel="Submit and see my score"
        busy={submitting}
        onConfirm={() => {
          setConfirmSubmit(false);
          void submit();
        }}
        onCancel={() => setConfirmSubmit(false)}
      >
        <p>
          {count - answered === 0 ? 'Every question is answered.' : `${count - answered} of ${count} questions are unanswered and count as wrong.`}
          {flagged ? ` ${flagged} ${flagged === 1 ? 'is' : 'are'} flagged for review.` : ''}
        </p>
        <p className="muted small">After submitting, answers can no longer change.</p>
      </ConfirmDialog>
      ) : null}
    </section>
  );
}

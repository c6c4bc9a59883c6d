// The review screen: question, Space/Enter shows the answer, 1-4 rate it (each button shows the next
// interval), Ctrl/Cmd+Z undoes, "-" buries, "@" suspends, "e" edits. Ends with a summary of the session.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { StudyNext } from '../../../shared/contract/flashcards';
import { api } from '../api';
import { CustomStudyDialog } from '../components/CustomStudyDialog';
import { TypeAnswerInput, TypedComparison } from '../components/TypeAnswer';
import { EmptyState, ErrorMessage, Kbd, Loading, PageHeader, ProgressBar } from '../components/ui';
import { NoteSource } from '../components/NoteSource';
import { useApi } from '../hooks/useApi';
import { timeText } from '../dates';
import { CardView } from '../render/CardView';
import { cardFragment } from '../render/cardHtml';
import { href, navigate, useRoute } from '../router';
import './study.css';

const RATINGS = [
  { value: 1, label: 'Again', className: 'again' },
  { value: 2, label: 'Hard', className: 'hard' },
  { value: 3, label: 'Good', className: 'good' },
  { value: 4, label: 'Easy', className: 'easy' },
] as const;

const isMac = typeof navigator !== 'undefined' && navigator.platform.includes('Mac');

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Keys typed into a form field, or activating a focused button, are not study shortcuts. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.closest('dialog') !== null;
}

function DeckChooser() {
  const { data, error, loading } = useApi('decks.list', undefined, ['decks', 'cards', 'study']);
  const decks = data?.decks ?? [];
  return (
    <section className="page">
      <PageHeader title="Study" subtitle="Choose a deck; its subdecks are studied with it." />
      <ErrorMessage error={error} />
      {loading && !data ? <Loading /> : null}
      {data && decks.length === 0 ? (
        <EmptyState title="No decks yet" action={<a className="button primary" href={href('decks')}>Open the deck list</a>}>
          Create a deck and add notes, or restore the starter decks from Settings.
        </EmptyState>
      ) : null}
      {decks.length > 0 ? (
        <div className="card study-chooser">
          <div className="chooser-row chooser-head" aria-hidden="true">
            <span>Deck</span>
            <span className="chooser-counts">
              <span className="count-new">New</span>
              <span className="count-learn">Learning</span>
              <span className="count-due">Review</span>
            </span>
          </div>
          <ul>
            {decks.map((d) => {
              const due = d.counts.newDue + d.counts.learningDue + d.counts.reviewDue;
              return (
                <li key={d.id} className={`chooser-row ${d.depth === 0 ? 'top' : ''}`} style={{ paddingLeft: `${d.depth * 1.25}rem` }}>
                  <span className="chooser-name">
                    <a href={href('study', { deck: String(d.id) })}>{d.name}</a>
                    {due === 0 ? <span className="muted small"> · done for today</span> : null}
                  </span>
                  <span className="chooser-counts">
                    <span className="count-new">
                      {d.counts.newDue}
                      <span className="visually-hidden"> new</span>
                    </span>
                    <span className="count-learn">
                      {d.counts.learningDue}
                      <span className="visually-hidden"> learning</span>
                    </span>
                    <span className="count-due">
                      {d.counts.reviewDue}
                      <span className="visually-hidden"> to review</span>
                    </span>
                  </span>
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

function Summary({
  deckId,
  since,
  studied,
  nextLearningDue,
  onReload,
  onCustomStudy,
  session,
}: {
  deckId: number;
  since: number;
  studied: number;
  nextLearningDue: number | null;
  onReload: () => void;
  onCustomStudy: () => void;
  session?: StudyNext['session'];
}) {
  const summary = useApi('study.summary', { deckId, since }, []);
  // Learning cards come back later today: show them when they are due.
  useEffect(() => {
    if (nextLearningDue === null) return;
    const wait = Math.max(1000, nextLearningDue - Date.now() - 20 * 60_000);
    const timer = setTimeout(onReload, Math.min(wait, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [nextLearningDue, onReload]);
  const s = summary.data;
  // The card and its buttons are gone: focus goes to what replaced them, not to the page body.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="card study-summary" role="status">
      <h2 ref={heading} tabIndex={-1}>
        {session ? 'Custom study session complete' : studied > 0 ? 'Session complete' : 'Nothing to study right now'}
      </h2>
      {studied > 0 && s ? (
        <dl className="summary-facts">
          <div>
            <dt>Cards studied</dt>
            <dd>{s.cards}</dd>
          </div>
          <div>
            <dt>Answers</dt>
            <dd>{s.reviews}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>{formatDuration(s.durationMs)}</dd>
          </div>
          <div>
            <dt>Again</dt>
            <dd>{Math.round(s.againRate * 100)}%</dd>
          </div>
        </dl>
      ) : null}
      <p className="muted">
        {nextLearningDue !== null
          ? `Cards you are still learning come back at ${timeText(nextLearningDue)}; this page shows them when they are due.`
          : session
            ? 'Every card of this session is done. End it to go back to the deck; the cards stay where they are.'
            : 'Everything due today in this deck is done. New cards and reviews arrive with the next study day, or study more with Custom study.'}
      </p>
      <div className="summary-actions">
        {session ? (
          <EndSession sessionId={session.id} deckId={deckId} primary />
        ) : (
          <a className="button primary" href={href('decks')}>
            Back to decks
          </a>
        )}
        <button type="button" onClick={onCustomStudy}>
          Custom study…
        </button>
        <a className="button" href={href('browse', { deck: String(deckId) })}>
          Browse this deck
        </a>
      </div>
      <ErrorMessage error={summary.error} />
    </div>
  );
}

/** Ends a custom study session and goes back to the deck's own queue. */
function EndSession({ sessionId, deckId, primary }: { sessionId: number; deckId: number; primary?: boolean }) {
  const [error, setError] = useState<string>();
  return (
    <>
      <button
        type="button"
        className={primary ? 'primary' : 'small'}
        onClick={() => {
          api['customStudy.end']({ sessionId })
            .then(() => navigate('study', { deck: String(deckId) }))
            .catch((err: Error) => setError(err.message));
        }}
      >
        End custom study
      </button>
      <ErrorMessage error={error} />
    </>
  );
}

/**
 * Makes the sides of the cards announced ahead ready (Markdown and sanitising, kept by cardFragment)
 * once the page is idle, so a rating key only swaps the next card in.
 */
function warm(result: StudyNext): void {
  const cards = [result.card, result.upcoming?.card, result.upcoming?.then?.card];
  setTimeout(() => {
    for (const c of cards) if (c) for (const side of [c.question, c.answer]) cardFragment(side, c.format);
  }, 0);
}

function StudySession({ deckId, sessionId }: { deckId: number; sessionId?: number }) {
  const [customOpen, setCustomOpen] = useState(false);
  const [next, setNext] = useState<StudyNext>();
  const [deckPath, setDeckPath] = useState('');
  const [revealed, setRevealed] = useState(false);
  /** What was typed for a type-in-the-answer card. */
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [studied, setStudied] = useState(0);
  /** What is on screen, for actions that run after a render or two. */
  const latest = useRef<StudyNext>(undefined);
  /** Actions run one after another, in the order the keys were pressed. */
  const queue = useRef<Promise<void>>(Promise.resolve());
  const shownAt = useRef(Date.now());
  const since = useRef(Date.now());
  const answerButtons = useRef<HTMLDivElement>(null);

  /** Puts a card (or the end of the session) on screen, question side up. */
  const show = useCallback((result: StudyNext) => {
    warm(result);
    latest.current = result;
    setNext(result);
    setDeckPath(result.deckPath);
    setRevealed(false);
    setTyped('');
    shownAt.current = Date.now();
    setError(undefined);
  }, []);

  const load = useCallback(
    async (cardId?: number) => {
      try {
        show(await api['study.next']({ deckId, ...(cardId ? { cardId } : {}), ...(sessionId ? { sessionId } : {}) }));
      } catch (err) {
        setError((err as Error).message);
      }
    },
    [deckId, sessionId, show],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const card = next?.card ?? null;

  /**
   * Queues an action behind the ones before it. One aimed at a card (`cardId`, undefined when none is
   * shown) is dropped if that card is not on screen when its turn comes (a second "-" pressed while the
   * first bury was on its way); null aims at none.
   */
  const act = useCallback((cardId: number | null | undefined, fn: () => Promise<void>) => {
    const run = queue.current.then(async () => {
      if (cardId !== null && (cardId === undefined || latest.current?.card?.id !== cardId)) return;
      try {
        await fn();
      } catch (err) {
        setError((err as Error).message);
      }
    });
    queue.current = run;
    return run;
  }, []);

  const reveal = useCallback(() => {
    setRevealed(true);
    // Keep focus off the vanished "Show answer" button so keys keep working.
    requestAnimationFrame(() => answerButtons.current?.querySelector<HTMLButtonElement>('button.good')?.focus());
  }, []);

  const answer = useCallback(
    (rating: number) =>
      act(latest.current?.card?.id, async () => {
        const current = latest.current!;
        const answered = current.card!;
        const durationMs = Math.max(0, Date.now() - shownAt.current);
        // The card after this one came with it: show it now, and let the answer's reply confirm it.
        const up = current.upcoming;
        const at = Date.now();
        const ahead = up && at < up.until ? up.card : up?.then && at < up.then.until ? up.then.card : null;
        if (ahead) show({ ...current, card: ahead, upcoming: null });
        let result;
        try {
          result = await api['study.answer']({ cardId: answered.id, rating, durationMs, deckId, ...(sessionId ? { sessionId } : {}) });
        } catch (err) {
          if (!ahead) throw err;
          // The screen moved on but the answer was not recorded: say so and show the queue as it is.
          await load();
          setError(`Your answer to the previous card was not saved: ${(err as Error).message}`);
          return;
        }
        setStudied((n) => n + 1);
        setNotice(
          result.leech
            ? `This card is a leech: you have forgotten it ${answered.lapses + 1} times. It was tagged “leech”${result.suspended ? ' and suspended' : ''}; consider rewriting or splitting it.`
            : undefined,
        );
        if (!result.next) await load();
        else if (ahead && result.next.card?.id === ahead.id) {
          // As announced: take the fresh counts and the card after it, keeping the view as it is.
          warm(result.next);
          latest.current = result.next;
          setNext(result.next);
        } else show(result.next);
      }),
    [act, deckId, sessionId, load, show],
  );

  const undo = useCallback(
    () =>
      act(null, async () => {
        const result = await api['study.undo']();
        if (result.kind === 'answer') setStudied((n) => Math.max(0, n - 1));
        setNotice(result.kind === 'answer' ? 'Answer undone.' : result.kind === 'bury' ? 'Bury undone.' : 'Suspend undone.');
        await load(result.cardId);
      }),
    [act, load],
  );

  const bury = useCallback(
    () =>
      act(latest.current?.card?.id, async () => {
        await api['cards.bury']({ cardIds: [latest.current!.card!.id] });
        setNotice(`Card buried until the next study day (${isMac ? '⌘' : 'Ctrl+'}Z to undo).`);
        await load();
      }),
    [act, load],
  );

  const suspend = useCallback(
    () =>
      act(latest.current?.card?.id, async () => {
        await api['cards.suspend']({ cardIds: [latest.current!.card!.id] });
        setNotice(`Card suspended: it stays out of study until you unsuspend it in Browse (${isMac ? '⌘' : 'Ctrl+'}Z to undo).`);
        await load();
      }),
    [act, load],
  );

  const edit = useCallback(() => {
    if (card) navigate('editor', { note: String(card.noteId), back: '1' });
  }, [card]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        void undo();
        return;
      }
      // A key held down answers (or buries) one card, not one per repeat.
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || !card) return;
      const onButton = e.target instanceof HTMLButtonElement || e.target instanceof HTMLAnchorElement;
      if (e.key === ' ' || e.key === 'Enter') {
        // Enter activates a focused button, and so does Space on the answer buttons. Elsewhere Space is
        // the study key even on a button reached with Tab (Bury, Suspend...): it shows the answer, then means Good.
        if (onButton && (e.key === 'Enter' || (e.target as Element).closest('.study-actions'))) return;
        e.preventDefault();
        if (!revealed) reveal();
        else void answer(3);
      } else if (revealed && ['1', '2', '3', '4'].includes(e.key)) {
        e.preventDefault();
        void answer(Number(e.key));
      } else if (e.key === '-') {
        e.preventDefault();
        void bury();
      } else if (e.key === '@') {
        e.preventDefault();
        void suspend();
      } else if (e.key === 'e') {
        e.preventDefault();
        edit();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [card, revealed, reveal, answer, undo, bury, suspend, edit]);

  const counts = next?.counts;
  const remaining = counts ? counts.new + counts.learning + counts.review : 0;
  const current = card ? (card.state === 'new' ? 'new' : card.state === 'review' ? 'review' : 'learning') : null;
  const mod = isMac ? '⌘' : 'Ctrl';

  return (
    <section className="page study-page">
      <PageHeader
        title={next?.session ? `Custom study: ${deckPath.split('::').pop()!}` : deckPath ? deckPath.split('::').pop()! : 'Study'}
        subtitle={next?.session ? `${next.session.title}${next.session.reschedule ? '' : ' · answers do not change the cards'}` : card && card.deckPath !== deckPath ? card.deckPath : deckPath.includes('::') ? deckPath : undefined}
        actions={
          <>
            <button type="button" className="small" onClick={() => void undo()} title={`Undo the last answer (${mod}+Z)`}>
              Undo
            </button>
            {next?.session ? (
              <EndSession sessionId={next.session.id} deckId={deckId} />
            ) : (
              <button type="button" className="small" onClick={() => setCustomOpen(true)}>
                Custom study…
              </button>
            )}
            <a className="button small" href={href('decks')}>
              All decks
            </a>
          </>
        }
      />
      {counts ? (
        <div className="study-progress">
          <div className="study-counts" aria-label="Cards left today">
            <span className={`count-new ${current === 'new' ? 'current' : ''}`} title="New cards left">
              {counts.new} <span className="visually-hidden">new</span>
            </span>
            <span className={`count-learn ${current === 'learning' ? 'current' : ''}`} title="Learning cards due">
              {counts.learning} <span className="visually-hidden">learning</span>
            </span>
            <span className={`count-due ${current === 'review' ? 'current' : ''}`} title="Reviews due">
              {counts.review} <span className="visually-hidden">to review</span>
            </span>
          </div>
          <ProgressBar value={studied} max={studied + remaining || 1} label="Session progress" />
          <span className="muted small">{studied} studied</span>
        </div>
      ) : null}
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
      {notice ? (
        <p className="study-notice" role="status">
          {notice}
        </p>
      ) : null}
      {!next && !error ? <Loading /> : null}
      {!next && error ? (
        <EmptyState title="This deck cannot be studied" action={<a className="button primary" href={href('study')}>Choose a deck</a>}>
          It may have been deleted or renamed since this address was made.
        </EmptyState>
      ) : null}
      {next && !card ? (
        <Summary
          deckId={deckId}
          since={since.current}
          studied={studied}
          nextLearningDue={next.nextLearningDue}
          onReload={() => void load()}
          onCustomStudy={() => setCustomOpen(true)}
          session={next.session}
        />
      ) : null}
      {customOpen ? (
        <CustomStudyDialog
          deckId={deckId}
          deckName={deckPath.split('::').pop() ?? ''}
          open
          onClose={() => setCustomOpen(false)}
          onLimit={(message) => {
            setNotice(message);
            void load();
          }}
        />
      ) : null}
      {card ? (
        <>
          <article className="card study-card" aria-live="polite">
            <CardView key={`${card.id}-${revealed ? 'a' : 'q'}`} source={revealed ? card.answer : card.question} format={card.format} css={card.css} label={revealed ? 'Answer' : 'Question'} />
            {revealed ? <NoteSource source={card.source} /> : null}
          </article>
          {card.typeAnswer !== null ? (
            revealed ? (
              <TypedComparison typed={typed} expected={card.typeAnswer} />
            ) : (
              <TypeAnswerInput key={card.id} value={typed} onChange={setTyped} onDone={reveal} />
            )
          ) : null}
          <div className="study-actions" ref={answerButtons}>
            {!revealed ? (
              <button type="button" className="primary show-answer" onClick={reveal} autoFocus={card.typeAnswer === null}>
                Show answer <Kbd>Space</Kbd>
              </button>
            ) : (
              <div className="rating-buttons" role="group" aria-label="How well did you remember?">
                {RATINGS.map((r, i) => (
                  <button key={r.value} type="button" className={`rating ${r.className}`} onClick={() => void answer(r.value)} aria-keyshortcuts={String(r.value)}>
                    <span className="rating-interval">{card.intervals[i]}</span>
                    <span className="rating-label">{r.label}</span>
                    <Kbd>{r.value}</Kbd>
                  </button>
                ))}
              </div>
            )}
          </div>
          <div className="study-tools">
            <button type="button" className="small" onClick={() => void bury()} aria-keyshortcuts="-">
              Bury <Kbd>-</Kbd>
            </button>
            <button type="button" className="small" onClick={() => void suspend()} aria-keyshortcuts="@">
              Suspend <Kbd>@</Kbd>
            </button>
            <button type="button" className="small" onClick={edit} aria-keyshortcuts="e">
              Edit <Kbd>e</Kbd>
            </button>
            <span className="muted small">
              <Kbd>{mod}</Kbd>+<Kbd>Z</Kbd> undo
            </span>
          </div>
        </>
      ) : null}
    </section>
  );
}

export function StudyPage() {
  const { params } = useRoute();
  const deckId = Number(params.deck);
  if (!Number.isInteger(deckId) || deckId <= 0) return <DeckChooser />;
  const sessionId = Number(params.session);
  const session = Number.isInteger(sessionId) && sessionId > 0 ? sessionId : undefined;
  return <StudySession key={`${deckId}/${session ?? ''}`} deckId={deckId} sessionId={session} />;
}

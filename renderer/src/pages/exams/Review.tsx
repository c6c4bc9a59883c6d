// The result and review of a submitted attempt (#/exam-review?attempt=N): score against the pass
// mark, time used, per-topic scores, then every question with the learner's choice, the right answer,
// the explanation and the source, and a button that turns a question into a flashcard.
import { useState } from 'react';
import type { ReviewItem } from '../../../../shared/contract/exams';
import { call } from '../../api';
import { EmptyState, ErrorMessage, Loading, PageHeader, ProgressBar } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { href, useRoute } from '../../router';
import { dateTime, duration, letter, percent } from './format';
import './exams.css';

type Filter = 'all' | 'missed' | 'flagged';

function ItemCard({ item, attemptId }: { item: ReviewItem; attemptId: number }) {
  const [made, setMade] = useState<{ deckPath: string } | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const chosen = new Set(item.chosen ?? []);
  const correct = new Set(item.correct);
  const makeCard = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setMade(await call('exams.toFlashcard', { attemptId, position: item.position }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const hasCard = item.flashcardNoteId !== null || made !== null;
  return (
    <li className={`card review-item ${item.isCorrect ? 'right' : 'wrong'}`}>
      <div className="exam-row">
        <h3>
          Question {item.position + 1} <span className={`badge ${item.isCorrect ? 'ok' : 'bad'}`}>{item.isCorrect ? 'Right' : item.chosen ? 'Wrong' : 'Not answered'}</span>
          {item.flagged ? <span className="badge warn">Flagged</span> : null}
        </h3>
        <span className="muted small">{item.topicName}</span>
      </div>
      <p className="exam-stem">{item.stem}</p>
      <ul className="plain-list review-options">
        {item.options.map((o, i) => {
          const marks = [correct.has(i) ? 'right answer' : '', chosen.has(i) ? 'your choice' : ''].filter(Boolean);
          return (
            <li key={i} className={`${correct.has(i) ? 'is-correct' : ''} ${chosen.has(i) ? 'is-chosen' : ''}`}>
              <span className="exam-option-letter">{letter(i)}.</span> {o}
              {marks.length ? <span className="review-mark"> ({marks.join(', ')})</span> : null}
            </li>
          );
        })}
      </ul>
      {item.explanation ? <p className="review-explanation">{item.explanation}</p> : null}
      <p className="muted small">
        Source:{' '}
        {item.source.url ? (
          <a href={item.source.url} target="_blank" rel="noreferrer noopener">
            {item.source.document}
          </a>
        ) : (
          item.source.document
        )}
        , “{item.source.section}”
      </p>
      <ErrorMessage error={error} />
      {hasCard ? (
        <p className="small ok-text">{made ? `Flashcard added to ${made.deckPath}.` : 'This question is a flashcard.'}</p>
      ) : (
        <button type="button" className="small" onClick={() => void makeCard()} disabled={busy}>
          Make a flashcard
        </button>
      )}
    </li>
  );
}

export function ExamReviewPage() {
  const { params } = useRoute();
  const attemptId = Number(params.attempt);
  const valid = Number.isInteger(attemptId) && attemptId > 0;
  const { data, error } = useApi('exams.review', valid ? { attemptId } : undefined, []);
  const [filter, setFilter] = useState<Filter>('missed');
  if (!valid) {
    return (
      <EmptyState title="No attempt chosen" action={<a className="button primary" href={href('exams')}>Go to Exams</a>}>
        Open a finished attempt from the Exams page.
      </EmptyState>
    );
  }
  if (!data) return error ? <ErrorMessage error={error} /> : <Loading />;
  const { result, items } = data;
  const shown = items.filter((i) => filter === 'all' || (filter === 'missed' ? !i.isCorrect : i.flagged));
  return (
    <section className="page exam-review">
      <PageHeader
        title={`${result.formatName}: ${percent(result.score)}`}
        subtitle={`${dateTime(result.submittedAt)} · ${result.reason === 'time_up' ? 'time ran out' : 'submitted'}`}
        actions={
          <>
            <a className="button" href={href('exams')}>
              Back to Exams
            </a>
          </>
        }
      />
      <section className="card result-summary" aria-labelledby="result-heading">
        <h2 id="result-heading" className={result.passed ? 'ok-text' : 'bad-text'}>
          {result.passed ? 'Passed' : 'Not passed'}: {result.correct} of {result.total} right ({percent(result.score)}), pass mark {percent(result.passMark)}
        </h2>
        <p className="muted">
          Time used {duration(result.timeUsedMs)} of {result.minutes} min · {result.answered} answered. Multiple-select questions count only when every
          correct option and no other is chosen (all-or-nothing, as in the real exams).
        </p>
        <h3>By topic</h3>
        <ul className="plain-list topic-scores">
          {result.perTopic.map((t) => (
            <li key={t.topic}>
              <span>{t.name}</span>
              <ProgressBar value={t.correct} max={t.total} label={`${t.name}: ${t.correct} of ${t.total}`} tone={t.correct / t.total >= result.passMark ? 'ok' : 'warn'} />
              <span className="num">
                {t.correct}/{t.total}
              </span>
            </li>
          ))}
        </ul>
      </section>
      <div className="review-filter" role="group" aria-label="Show">
        {(['missed', 'flagged', 'all'] as const).map((f) => (
          <button key={f} type="button" className="small" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {f === 'missed' ? `Missed (${items.filter((i) => !i.isCorrect).length})` : f === 'flagged' ? `Flagged (${items.filter((i) => i.flagged).length})` : `All (${items.length})`}
          </button>
        ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">{filter === 'missed' ? 'Nothing missed. Well done.' : 'No flagged questions.'}</p>
      ) : (
        <ol className="plain-list review-list">
          {shown.map((item) => (
            <ItemCard key={item.position} item={item} attemptId={attemptId} />
          ))}
        </ol>
      )}
    </section>
  );
}

// Readiness for an exam: recent score against the pass mark, a small trend chart, the weakest topic,
// recall of the linked flashcards and the suggested next step. Also the one-line summary on Today.
import type { ExamFormat, Readiness } from '../../../../shared/contract/exams';
import { useApi } from '../../hooks/useApi';
import { href } from '../../router';
import { percent } from './format';

/** Scores of the last attempts as bars on a 0–100 % frame, the pass mark as a dashed line. */
function Trend({ r }: { r: Readiness }) {
  const w = 160;
  const h = 44;
  // One bar per attempt of at most 16 px, so one attempt reads as a bar, not as a progress bar.
  const slot = Math.min(16, w / Math.max(r.trend.length, 1));
  const label =
    r.trend.length === 1
      ? `Score of the one attempt so far: ${percent(r.trend[0]!.score)}`
      : `Scores of the last ${r.trend.length} attempts, oldest first: ${r.trend.map((t) => percent(t.score)).join(', ')}`;
  return (
    <figure className="trend-figure">
      <svg className="trend" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
        <rect className="frame" x={0.5} y={0.5} width={w - 1} height={h - 1} />
        {r.trend.map((t, i) => (
          <rect key={t.attemptId} x={i * slot + 2} width={Math.max(2, slot - 4)} y={h - t.score * h} height={Math.max(1, t.score * h)} className={t.passed ? 'pass' : 'fail'} />
        ))}
        {r.passMark !== null ? <line x1={0} x2={w} y1={h - r.passMark * h} y2={h - r.passMark * h} className="mark" /> : null}
      </svg>
      <figcaption className="muted small">
        Last {r.trend.length === 1 ? 'attempt' : `${r.trend.length} attempts`}
        {r.passMark !== null ? ' · dashed line: pass mark' : ''}
      </figcaption>
    </figure>
  );
}

export function ReadinessCard({ format, readiness: r, onStart }: { format: ExamFormat; readiness: Readiness | null; onStart: (() => void) | null }) {
  const headingId = `format-${format.key}`;
  return (
    <section className="card format-card" aria-labelledby={headingId}>
      <div className="exam-row">
        <h3 id={headingId}>{format.name}</h3>
        <span className="muted small">{format.body}</span>
      </div>
      <dl className="facts small">
        <dt>Questions</dt>
        <dd>{format.questions.note}</dd>
        <dt>Time</dt>
        <dd>{format.minutes.note}</dd>
        <dt>Pass mark</dt>
        <dd>{format.passMark.note}</dd>
      </dl>
      {r && r.attempts > 0 ? (
        <div className="readiness">
          <p>
            Recent score <strong>{percent(r.recentScore)}</strong>
            {r.passMark !== null ? <span className="muted"> · pass mark {percent(r.passMark)}</span> : null}
          </p>
          <Trend r={r} />
          {r.weakestTopic ? (
            <p className="small">
              Weakest topic: <strong>{r.weakestTopic.name}</strong> ({r.weakestTopic.correct} of {r.weakestTopic.total})
            </p>
          ) : null}
        </div>
      ) : null}
      {r && r.linkedCards > 0 ? (
        <p className="small muted">
          Linked flashcards: {r.reviewedCards} of {r.linkedCards} studied{r.cardRecall !== null ? `, recall now ${percent(r.cardRecall)}` : ''}
        </p>
      ) : null}
      {r ? <p className="small">{r.suggestion}</p> : null}
      {onStart ? (
        <button type="button" className="primary" onClick={onStart}>
          Start a mock exam
        </button>
      ) : null}
    </section>
  );
}

/**
 * Today's line per exam practised: "PSM I practice: 78 %, pass mark 85 %, weakest topic: Scrum events",
 * with the suggested next step. Nothing until an exam has been taken.
 */
export function TodayExamReadiness() {
  const { data } = useApi('exams.overview', undefined, ['exams', 'cards', 'study']);
  const practised = data?.readiness.filter((r) => r.attempts > 0) ?? [];
  if (!data) return null;
  return (
    <section className="card" aria-labelledby="today-exams">
      <h2 id="today-exams">Exam practice</h2>
      {data.running ? (
        <p>
          <a href={href('exam', { attempt: String(data.running.id) })}>Resume your {data.running.formatName} attempt</a>: its clock is running.
        </p>
      ) : null}
      {practised.length === 0 ? (
        <p className="muted">
          No mock exams yet. <a href={href('exams')}>Take a PSM I mock exam</a> to see how ready you are.
        </p>
      ) : (
        <ul className="plain-list">
          {practised.map((r) => (
            <li key={r.formatKey} className="today-exam">
              <strong>{r.formatName} practice:</strong> {percent(r.recentScore)}
              {r.passMark !== null ? `, pass mark ${percent(r.passMark)}` : ''}
              {r.weakestTopic ? `, weakest topic: ${r.weakestTopic.name}` : ''}
              <div className="muted small">{r.suggestion}</div>
            </li>
          ))}
        </ul>
      )}
      <a className="button small" href={href('exams')}>
        Exam practice
      </a>
    </section>
  );
}

// Exam practice (#/exams): the attempt still running, readiness per exam format, starting a mock exam
// (with the format's confirmed values, or the learner's own where a value is not confirmed) and the
// attempts taken so far.
import { useRef, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { ExamFormat, Readiness, Topic } from '../../../../shared/contract/exams';
import { call } from '../../api';
import { Dialog, EmptyState, ErrorMessage, FieldError, fieldProps, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useFocusFirstProblem, wholeNumberProblem } from '../../hooks/useFieldErrors';
import { href, navigate } from '../../router';
import { dateTime, duration, percent } from './format';
import { ReadinessCard } from './Readiness';
import './exams.css';

type Overview = ChannelOutput<'exams.overview'>;
const TOPICS = ['exams', 'cards', 'study'];

/** A number the learner may change; the official value's note below it, and what to enter when it is refused. */
function NumberField(props: { id: string; label: string; value: string; onChange: (v: string) => void; note: string; min: number; max: number; suffix: string; error?: string }) {
  const { id, label, value, onChange, note, min, max, suffix, error } = props;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <span className="input-with-suffix">
        <input id={id} type="number" inputMode="numeric" min={min} max={max} value={value} onChange={(e) => onChange(e.target.value)} {...fieldProps(`${id}-error`, error, `${id}-note`)} />
        <span aria-hidden="true">{suffix}</span>
      </span>
      <FieldError id={`${id}-error`} error={error} />
      <small id={`${id}-note`} className="muted">
        Official: {note}
      </small>
    </div>
  );
}

function StartDialog({ format, topics, counts, onClose }: { format: ExamFormat; topics: Topic[]; counts: Overview['topicCounts']; onClose: () => void }) {
  const [questions, setQuestions] = useState(String(format.questions.value ?? ''));
  const [minutes, setMinutes] = useState(String(format.minutes.value ?? ''));
  const [passMark, setPassMark] = useState(format.passMark.value === null ? '' : String(Math.round(format.passMark.value * 100)));
  const formatTopics = topics.filter((t) => t.id in format.topicWeights);
  const [chosen, setChosen] = useState<string[]>(formatTopics.map((t) => t.id));
  const [draw, setDraw] = useState<'all' | 'unmastered'>('all');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ questions?: string; minutes?: string; passMark?: string }>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, fieldErrors);

  const start = async () => {
    setError(undefined);
    // A value not confirmed for this exam is empty until the learner gives one: each is asked for beside its field.
    const problems = {
      questions: wholeNumberProblem(questions, { what: 'the number of questions', min: 1, max: 400, example: 80 }),
      minutes: wholeNumberProblem(minutes, { what: 'the time limit in minutes', min: 1, max: 600, example: 60 }),
      passMark: wholeNumberProblem(passMark, { what: 'the pass mark in per cent', min: 1, max: 100, example: 85 }),
    };
    setFieldErrors(problems);
    if (problems.questions || problems.minutes || problems.passMark) return;
    setBusy(true);
    const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
    const mark = num(passMark);
    try {
      const attempt = await call('exams.start', {
        formatKey: format.key,
        questions: num(questions),
        minutes: num(minutes),
        passMark: mark === undefined ? undefined : mark / 100,
        topics: chosen.length === formatTopics.length ? undefined : chosen,
        draw,
      });
      navigate('exam', { attempt: String(attempt.id) });
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      title={`Start a ${format.name} mock exam`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          {/* The form's submit button, so Enter in any field starts the exam. */}
          <button type="submit" form="start-exam-form" className="primary" disabled={busy || chosen.length === 0}>
            Start the clock
          </button>
        </>
      }
    >
      <form
        ref={form}
        id="start-exam-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <p className="small">{format.rules}</p>
        <div className="start-fields">
          <NumberField id="start-questions" label="Questions" value={questions} onChange={setQuestions} note={format.questions.note} min={1} max={400} suffix="" error={fieldErrors.questions} />
          <NumberField id="start-minutes" label="Time limit" value={minutes} onChange={setMinutes} note={format.minutes.note} min={1} max={600} suffix="min" error={fieldErrors.minutes} />
          <NumberField id="start-pass" label="Pass mark" value={passMark} onChange={setPassMark} note={format.passMark.note} min={1} max={100} suffix="%" error={fieldErrors.passMark} />
        </div>
        <fieldset className="start-topics">
          <legend>Topics</legend>
          {formatTopics.map((t) => (
            <label key={t.id} className="checkbox">
              <input type="checkbox" checked={chosen.includes(t.id)} onChange={(e) => setChosen(e.target.checked ? [...chosen, t.id] : chosen.filter((c) => c !== t.id))} />
              <span className="topic-choice">
                {t.name} <span className="muted small">({counts[t.id]?.questions ?? 0} questions, {counts[t.id]?.mastered ?? 0} mastered)</span>
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="start-draw">
          <legend>Draw from</legend>
          <label className="checkbox">
            <input type="radio" name="draw" checked={draw === 'all'} onChange={() => setDraw('all')} /> All questions
          </label>
          <label className="checkbox">
            <input type="radio" name="draw" checked={draw === 'unmastered'} onChange={() => setDraw('unmastered')} /> Only questions not yet mastered (not answered
            right twice in a row)
          </label>
        </fieldset>
        <ErrorMessage error={error} />
      </form>
    </Dialog>
  );
}

function Running({ running }: { running: NonNullable<Overview['running']> }) {
  const left = running.deadlineAt - Date.now();
  return (
    <section className="card running-attempt" aria-labelledby="running-heading">
      <h2 id="running-heading">Your {running.formatName} attempt is still running</h2>
      <p className="muted">
        Started {dateTime(running.startedAt)}, {running.questions} questions. {left > 0 ? `About ${duration(left)} left on the clock.` : 'Its time is up: open it to see your score.'}
      </p>
      <a className="button primary" href={href('exam', { attempt: String(running.id) })}>
        {left > 0 ? 'Resume the exam' : 'Finish and see the score'}
      </a>
    </section>
  );
}

export function ExamsPage() {
  const { data, error, loading } = useApi('exams.overview', undefined, TOPICS);
  const [starting, setStarting] = useState<ExamFormat | null>(null);
  if (!data) return error ? <ErrorMessage error={error} /> : loading ? <Loading /> : null;
  const readiness = new Map<string, Readiness>(data.readiness.map((r) => [r.formatKey, r]));
  return (
    <section className="page exams-page">
      <PageHeader
        title="Exam practice"
        subtitle="Timed mock exams drawn from question banks on the Scrum Guide, product ownership and technical project management."
        actions={
          <a className="button" href={href('questions')}>
            Questions
          </a>
        }
      />
      {data.running ? <Running running={data.running} /> : null}
      <h2 className="section-title">Exams</h2>
      <ul className="plain-list format-grid">
        {data.formats.map((f) => (
          <li key={f.key}>
            <ReadinessCard format={f} readiness={readiness.get(f.key) ?? null} onStart={data.running ? null : () => setStarting(f)} />
          </li>
        ))}
      </ul>
      <h2 className="section-title">Past attempts</h2>
      {data.recent.length === 0 ? (
        <EmptyState title="No attempts yet">Start a mock exam above: a full PSM I mock is 80 questions in 60 minutes.</EmptyState>
      ) : (
        <div className="card table-card">
          <table className="attempts-table">
            <thead>
              <tr>
                <th scope="col">Finished</th>
                <th scope="col">Exam</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Result</th>
                <th scope="col" className="num">
                  Time used
                </th>
                <th scope="col">
                  <span className="visually-hidden">Review</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.recent.map((a) =>
                a.result ? (
                  <tr key={a.id}>
                    <td>{dateTime(a.result.submittedAt)}</td>
                    <td>{a.formatName}</td>
                    <td className="num">
                      {percent(a.result.score)} ({a.result.correct}/{a.result.total})
                    </td>
                    <td>
                      <span className={`badge ${a.result.passed ? 'ok' : 'bad'}`}>{a.result.passed ? 'Passed' : 'Not passed'}</span>
                    </td>
                    <td className="num">{duration(a.result.timeUsedMs)}</td>
                    <td>
                      <a className="button small" href={href('exam-review', { attempt: String(a.id) })} aria-label={`Review the ${a.formatName} attempt of ${dateTime(a.result.submittedAt)}`}>
                        Review
                      </a>
                    </td>
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </div>
      )}
      {starting ? <StartDialog format={starting} topics={data.topics} counts={data.topicCounts} onClose={() => setStarting(null)} /> : null}
    </section>
  );
}

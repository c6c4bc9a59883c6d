// The question editor (#/question, #/question?id=N): kind, stem, 2–8 options with the correct ones
// marked, explanation, source (document and section) and topics. Shape problems show as you type;
// Cadence checks the whole question again when it is saved.
import { useEffect, useState } from 'react';
import {
  MAX_OPTIONS,
  MIN_OPTIONS,
  TRUE_FALSE_OPTIONS,
  questionShapeProblems,
  type Question,
  type QuestionKind,
} from '../../../../shared/contract/exams';
import { contract } from '../../../../shared/contract';
import { call } from '../../api';
import { ConfirmDialog, ErrorMessage, FieldError, fieldProps, Loading, PageHeader } from '../../components/ui';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { href, navigate, useRoute } from '../../router';
import { KIND_LABEL, letter } from './format';
import './exams.css';

interface Draft {
  kind: QuestionKind;
  stem: string;
  options: string[];
  correct: number[];
  explanation: string;
  document: string;
  section: string;
  topics: string;
}

const EMPTY: Draft = { kind: 'single', stem: '', options: ['', '', '', ''], correct: [], explanation: '', document: '', section: '', topics: '' };

function fromQuestion(q: Question): Draft {
  return { kind: q.kind, stem: q.stem, options: q.options, correct: q.correct, explanation: q.explanation, document: q.source.document, section: q.source.section, topics: q.topics.join(' ') };
}

export function QuestionEditorPage() {
  const { params } = useRoute();
  const id = params.id ? Number(params.id) : undefined;
  const [draft, setDraft] = useState<Draft | null>(id === undefined ? EMPTY : null);
  const [bank, setBank] = useState('mine');
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fields = useFieldErrors();

  useEffect(() => {
    if (id === undefined) return;
    call('questions.get', { id })
      .then((q) => {
        setDraft(fromQuestion(q));
        setBank(q.bank);
      })
      .catch((err: Error) => setError(err.message));
  }, [id]);

  if (!draft) return error ? <ErrorMessage error={error} /> : <Loading />;
  const set = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...draft, ...patch });
  };
  const setKind = (kind: QuestionKind) => {
    if (kind === 'truefalse') set({ kind, options: [...TRUE_FALSE_OPTIONS], correct: draft.correct.filter((c) => c < 2).slice(0, 1) });
    else set({ kind, options: draft.kind === 'truefalse' ? ['', '', '', ''] : draft.options, correct: kind === 'single' ? draft.correct.slice(0, 1) : draft.correct });
  };
  const toggleCorrect = (i: number) => {
    if (draft.kind !== 'multiple') set({ correct: [i] });
    else set({ correct: draft.correct.includes(i) ? draft.correct.filter((c) => c !== i) : [...draft.correct, i].sort((a, b) => a - b) });
  };
  const removeOption = (i: number) =>
    set({ options: draft.options.filter((_, j) => j !== i), correct: draft.correct.filter((c) => c !== i).map((c) => (c > i ? c - 1 : c)) });
  const problems = draft.options.some((o) => o.trim() === '') ? [] : questionShapeProblems(draft);

  const save = async () => {
    setError(undefined);
    // Checked with the channel's own schema first, so each problem shows beside its field.
    const input = fields.check(contract['questions.save'].input, {
      id,
      question: {
        kind: draft.kind,
        stem: draft.stem,
        options: draft.options,
        correct: draft.correct,
        explanation: draft.explanation,
        source: { document: draft.document, section: draft.section },
        topics: draft.topics.split(/[\s,;]+/).filter(Boolean),
      },
    });
    if (!input) return;
    try {
      const q = await call('questions.save', input);
      setSaved(true);
      if (id === undefined) navigate('question', { id: String(q.id) });
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const remove = async () => {
    try {
      await call('questions.delete', { id: id! });
      navigate('questions');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section className="page question-editor">
      <PageHeader
        title={id === undefined ? 'New question' : 'Edit question'}
        subtitle={id !== undefined && bank !== 'mine' ? `From the bundled bank “${bank}”. Your edits are kept.` : undefined}
        actions={
          <a className="button" href={href('questions')}>
            All questions
          </a>
        }
      />
      <form
        ref={fields.form}
        className="card"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset className="kind-choice">
          <legend>Kind</legend>
          {(['single', 'multiple', 'truefalse'] as const).map((k) => (
            <label key={k} className="checkbox">
              <input type="radio" name="kind" checked={draft.kind === k} onChange={() => setKind(k)} /> {KIND_LABEL[k]}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="q-stem">Question</label>
          <textarea id="q-stem" rows={3} value={draft.stem} onChange={(e) => set({ stem: e.target.value })} required {...fieldProps('q-stem-error', fields.errors.stem)} />
          <FieldError id="q-stem-error" error={fields.errors.stem} />
          {draft.kind === 'multiple' ? <small className="muted">Say how many to choose, e.g. “(Choose 2)”.</small> : null}
        </div>
        <fieldset className="option-editor">
          <legend>Options — mark the correct {draft.kind === 'multiple' ? 'ones' : 'one'}</legend>
          {draft.options.map((o, i) => (
            <div key={i} className="option-row">
              <input
                type={draft.kind === 'multiple' ? 'checkbox' : 'radio'}
                name="correct"
                checked={draft.correct.includes(i)}
                onChange={() => toggleCorrect(i)}
                aria-label={`Option ${letter(i)} is correct`}
              />
              <span className="exam-option-letter" aria-hidden="true">
                {letter(i)}.
              </span>
              <input
                type="text"
                value={o}
                aria-label={`Option ${letter(i)}`}
                {...fieldProps('q-options-error', o.trim() === '' ? fields.errors.options : undefined)}
                readOnly={draft.kind === 'truefalse'}
                onChange={(e) => set({ options: draft.options.map((x, j) => (j === i ? e.target.value : x)) })}
              />
              {draft.kind !== 'truefalse' && draft.options.length > MIN_OPTIONS ? (
                <button type="button" className="small" onClick={() => removeOption(i)} aria-label={`Remove option ${letter(i)}`}>
                  Remove
                </button>
              ) : null}
            </div>
          ))}
          <FieldError id="q-options-error" error={fields.errors.options} />
          {draft.kind !== 'truefalse' && draft.options.length < MAX_OPTIONS ? (
            <button type="button" className="small" onClick={() => set({ options: [...draft.options, ''] })}>
              Add an option
            </button>
          ) : null}
        </fieldset>
        <div className="field">
          <label htmlFor="q-explanation">Explanation</label>
          <textarea id="q-explanation" rows={3} value={draft.explanation} onChange={(e) => set({ explanation: e.target.value })} />
          <small className="muted">Why the answer is right, in the words of the source. Shown in review and on flashcards.</small>
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="q-document">Source document</label>
            <input id="q-document" type="text" value={draft.document} placeholder="The 2020 Scrum Guide" onChange={(e) => set({ document: e.target.value })} required {...fieldProps('q-document-error', fields.errors.document)} />
            <FieldError id="q-document-error" error={fields.errors.document} />
          </div>
          <div className="field">
            <label htmlFor="q-section">Section</label>
            <input id="q-section" type="text" value={draft.section} placeholder="Daily Scrum" onChange={(e) => set({ section: e.target.value })} required {...fieldProps('q-section-error', fields.errors.section)} />
            <FieldError id="q-section-error" error={fields.errors.section} />
          </div>
        </div>
        <div className="field">
          <label htmlFor="q-topics">Topics</label>
          <input id="q-topics" type="text" value={draft.topics} placeholder="scrum-events" onChange={(e) => set({ topics: e.target.value })} required {...fieldProps('q-topics-error', fields.errors.topics, 'q-topics-hint')} />
          <FieldError id="q-topics-error" error={fields.errors.topics} />
          <small id="q-topics-hint" className="muted">Lower-case words joined by hyphens, separated by spaces. The first topic is the one mock exams and scores use.</small>
        </div>
        {problems.length ? (
          <ul className="problems small" aria-live="polite">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <ErrorMessage error={error} />
        <div className="row-actions">
          <button type="submit" className="primary">
            Save question
          </button>
          {saved ? (
            <span className="small ok-text" role="status">
              Saved.
            </span>
          ) : null}
          {id !== undefined ? (
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          ) : null}
        </div>
      </form>
      {confirmDelete ? (
      <ConfirmDialog open title="Delete this question?" confirmLabel="Delete question" danger onConfirm={() => void remove()} onCancel={() => setConfirmDelete(false)}>
        <p>Past attempts keep the question as it was asked; it will not be drawn again.</p>
      </ConfirmDialog>
      ) : null}
    </section>
  );
}

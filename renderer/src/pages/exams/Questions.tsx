// Question notes (#/questions): browse and search every question by bank and topic, open one in the
// editor, write a new one, and import or export JSON and CSV question files.
import { useRef, useState } from 'react';
import { call, download } from '../../api';
import { EmptyState, ErrorMessage, Loading, PageHeader } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { href } from '../../router';
import { KIND_LABEL, letter } from './format';
import './exams.css';

const PAGE = 100;

function ImportExport({ bank }: { bank: string }) {
  const file = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const exportAs = async (format: 'json' | 'csv') => {
    setError(undefined);
    try {
      const out = await call('questions.export', { format, bank: bank || undefined });
      download(out.downloadName);
      setMessage(`Exported ${out.questions} questions as ${out.fileName}.`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const importFile = async (f: File) => {
    setError(undefined);
    setMessage(undefined);
    const format = f.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    try {
      const result = await call('questions.import', { format, text: await f.text() });
      setMessage(`Imported ${f.name}: ${result.added} new, ${result.updated} updated.`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <div className="question-transfer">
      <button type="button" onClick={() => file.current?.click()}>
        Import JSON or CSV…
      </button>
      <input
        ref={file}
        type="file"
        accept=".json,.csv,application/json,text/csv"
        hidden
        aria-label="Question file to import"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void importFile(f);
        }}
      />
      <button type="button" onClick={() => void exportAs('csv')}>
        Export CSV
      </button>
      <button type="button" onClick={() => void exportAs('json')}>
        Export JSON
      </button>
      {message ? (
        <p className="small ok-text" role="status">
          {message}
        </p>
      ) : null}
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
    </div>
  );
}

export function QuestionsPage() {
  const overview = useApi('exams.overview', undefined, ['exams']);
  const [bank, setBank] = useState('');
  const [topic, setTopic] = useState('');
  const [query, setQuery] = useState('');
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useApi('questions.list', { bank: bank || undefined, topic: topic || undefined, query, offset, limit: PAGE }, ['exams']);
  const topics = overview.data?.topics ?? [];
  const banks = [...(overview.data?.banks.map((b) => ({ id: b.id, name: b.name })) ?? []), { id: 'mine', name: 'My questions' }];
  const topicName = (id: string) => topics.find((t) => t.id === id)?.name ?? id;
  return (
    <section className="page questions-page">
      <PageHeader
        title="Questions"
        subtitle="Exam questions: single choice, multiple select and true/false, each with its explanation and source."
        actions={
          <>
            <a className="button" href={href('exams')}>
              Exam practice
            </a>
            <a className="button primary" href={href('question')}>
              New question
            </a>
          </>
        }
      />
      <div className="card question-filters">
        <div className="field">
          <label htmlFor="q-search">Search</label>
          <input id="q-search" type="search" value={query} placeholder="Words in the question, options or explanation" onChange={(e) => (setQuery(e.target.value), setOffset(0))} />
        </div>
        <div className="field">
          <label htmlFor="q-bank">Bank</label>
          <select id="q-bank" value={bank} onChange={(e) => (setBank(e.target.value), setOffset(0))}>
            <option value="">All banks</option>
            {banks.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="q-topic">Topic</label>
          <select id="q-topic" value={topic} onChange={(e) => (setTopic(e.target.value), setOffset(0))}>
            <option value="">All topics</option>
            {topics.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <ImportExport bank={bank} />
      </div>
      <ErrorMessage error={error} />
      {!data && loading ? <Loading /> : null}
      {data && data.total === 0 ? (
        <EmptyState title="No questions match" action={<a className="button primary" href={href('question')}>Write a question</a>}>
          Change the search or filters, or write a question of your own.
        </EmptyState>
      ) : null}
      {data && data.total > 0 ? (
        <>
          <p className="muted small" aria-live="polite">
            {data.total} question{data.total === 1 ? '' : 's'}
            {data.total > PAGE ? `, showing ${offset + 1}–${Math.min(offset + PAGE, data.total)}` : ''}
          </p>
          <ol className="plain-list question-list">
            {data.questions.map((q) => (
              <li key={q.id} className="card question-row">
                <a href={href('question', { id: String(q.id) })} className="question-stem">
                  {q.stem}
                </a>
                <div className="muted small">
                  {KIND_LABEL[q.kind]} · answer {q.correct.map(letter).join(', ')} · {topicName(q.topics[0]!)} · {q.source.document}, “{q.source.section}”
                </div>
              </li>
            ))}
          </ol>
          {data.total > PAGE ? (
            <div className="row-actions">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous page
              </button>
              <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
                Next page
              </button>
            </div>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

// A curriculum module's exam topics (shown inside the module's details on the Curriculum page): the
// topics it links, its recent mock exam result on them, and linking another topic. The module's
// mastery then needs that result to reach the recall threshold too.
import { useState } from 'react';
import type { CurriculumModule } from '../../../../shared/contract/curriculum';
import { call } from '../../api';
import { ErrorMessage } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { percent } from './format';

export function ModuleExamTopics({ module }: { module: CurriculumModule }) {
  const overview = useApi('exams.overview', undefined, ['exams']);
  const [topic, setTopic] = useState('');
  const [error, setError] = useState<string>();
  const topics = overview.data?.topics ?? [];
  const name = (id: string) => topics.find((t) => t.id === id)?.name ?? id;
  const exam = module.mastery.exam;
  const run = async (fn: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await fn();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const free = topics.filter((t) => !module.examTopics.includes(t.id));
  const selectId = `exam-topic-${module.id}`;
  return (
    <div>
      <h4>Exam topics</h4>
      {module.examTopics.length === 0 ? <p className="muted small">No exam topic linked: mock exam results do not count toward this module.</p> : null}
      {module.examTopics.map((t) => (
        <span key={t} className="link-chip">
          {name(t)}
          <button type="button" className="small link" aria-label={`Unlink exam topic ${name(t)}`} onClick={() => void run(() => call('modules.unlinkExamTopic', { moduleId: module.id, topic: t }))}>
            ×
          </button>
        </span>
      ))}
      {exam ? (
        <p className="small">{exam.total === 0 ? 'No mock exam answers on these topics yet.' : `Mock exams lately: ${exam.correct} of ${exam.total} right (${percent(exam.share)}).`}</p>
      ) : null}
      {free.length ? (
        <div className="exam-topic-link">
          <label htmlFor={selectId} className="visually-hidden">
            Exam topic to link
          </label>
          <select id={selectId} value={topic} onChange={(e) => setTopic(e.target.value)}>
            <option value="">Choose an exam topic…</option>
            {free.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="small"
            disabled={!topic}
            onClick={() =>
              void run(async () => {
                await call('modules.linkExamTopic', { moduleId: module.id, topic });
                setTopic('');
              })
            }
          >
            Link exam topic
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
    </div>
  );
}

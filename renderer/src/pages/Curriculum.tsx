// Curricula: start one from a template or from scratch, follow its modules (status, mastery, pace),
// reorder and edit them, import and export them, and keep mentor check-ins.
// #/curriculum?id=N shows one curriculum; &tab=checkins the check-ins.
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { contract } from '../../../shared/contract';
import type { CurriculumDetail, CurriculumSummary } from '../../../shared/contract/curriculum';
import { api, download, stageFile } from '../api';
import { ConfirmDialog, Dialog, EmptyState, ErrorMessage, FieldError, fieldProps, Loading, PageHeader, ProgressBar } from '../components/ui';
import { useFieldErrors, useFocusFirstProblem, wholeNumberProblem } from '../hooks/useFieldErrors';
import { useAction, useApi } from '../hooks/useApi';
import { href, navigate, useRoute } from '../router';
import { CheckinsPanel } from './curriculum/Checkins';
import { paceTone, pct, plural, shortDate } from './curriculum/format';
import { ModuleCard } from './curriculum/ModuleCard';
import './curriculum/curriculum.css';

const TOPICS = ['curricula', 'decks', 'cards', 'study', 'settings'];

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function StartTemplateDialog({ onClose }: { onClose: () => void }) {
  const templates = useApi('curricula.templates', undefined, []);
  const [key, setKey] = useState('');
  const [startDate, setStartDate] = useState(todayIso());
  const chosen = templates.data?.templates.find((t) => t.key === (key || templates.data?.templates[0]?.key));
  const fields = useFieldErrors();
  const start = useAction(async () => {
    if (!chosen) return;
    const input = fields.check(contract['curricula.startTemplate'].input, { templateKey: chosen.key, startDate });
    if (startDate === '') fields.setErrors((errors) => ({ ...errors, startDate: 'Choose the day week 1 starts, e.g. next Monday.' }));
    if (!input) return;
    const c = await api['curricula.startTemplate'](input);
    onClose();
    navigate('curriculum', { id: String(c.id) });
  });
  return (
    <Dialog
      open
      title="Start from a template"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="start-template" className="primary" disabled={start.busy || !chosen}>
            Start
          </button>
        </>
      }
    >
      <form
        ref={fields.form}
        id="start-template"
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void start.run();
        }}
      >
        <label>
          Template
          <select value={chosen?.key ?? ''} onChange={(e) => setKey(e.target.value)}>
            {(templates.data?.templates ?? []).map((t) => (
              <option key={t.key} value={t.key}>
                {t.name} ({plural(t.moduleCount, 'module')})
              </option>
            ))}
          </select>
        </label>
        {chosen ? (
          <>
            <p className="small">{chosen.description}</p>
            <p className="muted small">{chosen.basis}</p>
          </>
        ) : null}
        <label>
          Start date (week 1)
          <input type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} {...fieldProps('template-start-error', fields.errors.startDate)} />
        </label>
        <FieldError id="template-start-error" error={fields.errors.startDate} />
        <ErrorMessage error={start.error ?? templates.error} onDismiss={start.clearError} />
      </form>
    </Dialog>
  );
}

function CurriculumFormDialog({ existing, onClose }: { existing?: CurriculumDetail; onClose: () => void }) {
  const [name, setName] = useState(existing?.name ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [startDate, setStartDate] = useState(existing?.startDate ?? '');
  const startInput = useRef<HTMLInputElement>(null);
  const fields = useFieldErrors();
  const save = useAction(async () => {
    // Checked with the create schema, which holds the same rules for these fields as update's.
    const input = fields.check(contract['curricula.create'].input, { name, description, startDate: startDate || null });
    const own: Record<string, string> = {};
    if (name.trim() === '') own.name = 'Enter a name for the curriculum, e.g. Technical project management.';
    // A date typed in part reads as empty; without this it would save as "no timeline".
    if (startInput.current?.validity.badInput) own.startDate = 'Enter the whole start date, e.g. 2026-01-05, or clear it for no timeline.';
    if (Object.keys(own).length) fields.setErrors((errors) => ({ ...errors, ...own }));
    if (!input || Object.keys(own).length) return;
    const c = existing ? await api['curricula.update']({ id: existing.id, ...input }) : await api['curricula.create'](input);
    onClose();
    navigate('curriculum', { id: String(c.id) });
  });
  return (
    <Dialog
      open
      title={existing ? 'Edit curriculum' : 'New curriculum'}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="curriculum-form" className="primary" disabled={save.busy}>
            Save
          </button>
        </>
      }
    >
      <form
        ref={fields.form}
        id="curriculum-form"
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} {...fieldProps('curriculum-name-error', fields.errors.name)} />
        </label>
        <FieldError id="curriculum-name-error" error={fields.errors.name} />
        <label>
          Description
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} {...fieldProps('curriculum-description-error', fields.errors.description)} />
        </label>
        <FieldError id="curriculum-description-error" error={fields.errors.description} />
        <label>
          Start date <span className="muted small">(leave empty for no timeline)</span>
          <input ref={startInput} type="date" value={startDate} onChange={(e) => setStartDate(e.target.value)} {...fieldProps('curriculum-start-error', fields.errors.startDate)} />
        </label>
        <FieldError id="curriculum-start-error" error={fields.errors.startDate} />
        <ErrorMessage error={save.error} onDismiss={save.clearError} />
      </form>
    </Dialog>
  );
}

function AddModuleForm({ curriculum }: { curriculum: CurriculumDetail }) {
  const nextWeek = Math.max(0, ...curriculum.modules.map((m) => m.week)) + 1;
  const [week, setWeek] = useState('');
  const [title, setTitle] = useState('');
  const [problems, setProblems] = useState<{ week?: string; title?: string }>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, problems);
  const add = useAction(async () => {
    await api['modules.create']({ curriculumId: curriculum.id, week: Number(week || nextWeek), title });
    setTitle('');
    setWeek('');
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found = {
      week: week.trim() === '' ? undefined : wholeNumberProblem(week, { what: 'the week', min: 1, max: 104, example: nextWeek }),
      title: title.trim() === '' ? 'Enter the module’s title, e.g. Stakeholder mapping.' : undefined,
    };
    setProblems(found);
    if (!found.week && !found.title) void add.run();
  };
  return (
    <form ref={form} className="card inline-form" onSubmit={submit} aria-label="Add a module" noValidate>
      <span className="field-stack">
        <label>
          Week
          <input type="number" min={1} max={104} value={week} placeholder={String(nextWeek)} onChange={(e) => setWeek(e.target.value)} style={{ width: '5rem' }} {...fieldProps('module-week-error', problems.week)} />
        </label>
        <FieldError id="module-week-error" error={problems.week} />
      </span>
      <span className="field-stack" style={{ flex: '1 1 16rem' }}>
        <label>
          New module
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={160} placeholder="e.g. Stakeholder mapping" required {...fieldProps('module-title-error', problems.title)} />
        </label>
        <FieldError id="module-title-error" error={problems.title} />
      </span>
      <button type="submit" className="primary" disabled={add.busy}>
        Add module
      </button>
      <ErrorMessage error={add.error} onDismiss={add.clearError} />
    </form>
  );
}

function Thresholds({ c }: { c: CurriculumDetail }) {
  const [recall, setRecall] = useState(String(Math.round(c.thresholds.recall * 100)));
  const [reviewed, setReviewed] = useState(String(Math.round(c.thresholds.reviewed * 100)));
  const [problems, setProblems] = useState<{ recall?: string; reviewed?: string }>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, problems);
  const save = useAction(() => api['settings.update']({ masteryRecallThreshold: Number(recall) / 100, masteryReviewedThreshold: Number(reviewed) / 100 }));
  return (
    <form
      ref={form}
      className="card inline-form"
      aria-label="Mastery thresholds"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = {
          recall: wholeNumberProblem(recall, { what: 'the mean recall in per cent', min: 50, max: 99, example: 85 }),
          reviewed: wholeNumberProblem(reviewed, { what: 'the share reviewed in per cent', min: 10, max: 100, example: 80 }),
        };
        setProblems(found);
        if (!found.recall && !found.reviewed) void save.run();
      }}
    >
      <p className="small" style={{ margin: 0, flex: '1 1 100%' }}>
        A module is <strong>ready</strong> when its linked cards' mean recall and the share of them reviewed reach these.
      </p>
      <span className="field-stack">
        <label>
          Mean recall (%)
          <input type="number" min={50} max={99} value={recall} onChange={(e) => setRecall(e.target.value)} style={{ width: '6rem' }} {...fieldProps('recall-error', problems.recall)} />
        </label>
        <FieldError id="recall-error" error={problems.recall} />
      </span>
      <span className="field-stack">
        <label>
          Reviewed (%)
          <input type="number" min={10} max={100} value={reviewed} onChange={(e) => setReviewed(e.target.value)} style={{ width: '6rem' }} {...fieldProps('reviewed-error', problems.reviewed)} />
        </label>
        <FieldError id="reviewed-error" error={problems.reviewed} />
      </span>
      <button type="submit" disabled={save.busy}>
        Save thresholds
      </button>
      <ErrorMessage error={save.error} onDismiss={save.clearError} />
    </form>
  );
}

function CurriculumView({ id }: { id: number }) {
  const { data: c, error, loading } = useApi('curricula.get', { id }, TOPICS);
  const [dialog, setDialog] = useState<'edit' | 'delete' | null>(null);
  const exportIt = useAction(async () => {
    const file = await api['curricula.export']({ id });
    download(file.downloadName);
  });
  const remove = useAction(async () => {
    await api['curricula.delete']({ id });
    setDialog(null);
    navigate('curriculum');
  });
  const move = useAction(async (index: number, dir: -1 | 1) => {
    if (!c) return;
    const ids = c.modules.map((m) => m.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + dir, 0, moved!);
    await api['modules.reorder']({ curriculumId: c.id, ids });
  });
  if (!c) return loading ? <Loading /> : <ErrorMessage error={error} />;
  return (
    <div className="stack">
      <section className="card curriculum-head" aria-labelledby="curriculum-name">
        <div className="row-between">
          <h2 id="curriculum-name">{c.name}</h2>
          <span className={`badge ${paceTone(c.pace)}`}>{c.pace.label}</span>
        </div>
        {c.description ? <p>{c.description}</p> : null}
        {c.basis ? <p className="muted small">{c.basis}</p> : null}
        <ProgressBar value={c.progress.done} max={Math.max(1, c.progress.total)} label={`${c.progress.done} of ${c.progress.total} modules done`} tone={c.pace.state === 'finished' ? 'ok' : undefined} />
        <p className="small">
          <strong>
            {c.progress.done} of {plural(c.progress.total, 'module')} done
          </strong>
          {c.progress.inProgress ? `, ${c.progress.inProgress} in progress` : ''}
          {c.startDate ? ` · started ${shortDate(c.startDate)}` : ' · no start date'}
          {c.pace.currentWeek !== null ? ` · week ${c.pace.currentWeek}` : ''}
          {c.startDate ? ` · ${c.pace.expectedDone} expected done by now` : ''}
        </p>
        <div className="page-actions">
          <button type="button" className="small" onClick={() => setDialog('edit')}>
            Edit
          </button>
          <button type="button" className="small" onClick={() => void exportIt.run()} disabled={exportIt.busy}>
            Export
          </button>
          <button type="button" className="small danger-text" onClick={() => setDialog('delete')}>
            Delete
          </button>
        </div>
        <ErrorMessage error={exportIt.error ?? move.error} onDismiss={() => (exportIt.clearError(), move.clearError())} />
      </section>
      {c.modules.length === 0 ? <EmptyState title="No modules yet">Add the first module below: a week number and a title are enough.</EmptyState> : null}
      {c.modules.map((m, i) => (
        <ModuleCard key={m.id} module={m} first={i === 0} last={i === c.modules.length - 1} onMove={(dir) => void move.run(i, dir)} />
      ))}
      <AddModuleForm curriculum={c} />
      <Thresholds key={`${c.thresholds.recall}:${c.thresholds.reviewed}`} c={c} />
      <p className="muted small">
        Mastery: recall is the mean probability of recalling the module's reviewed cards now; “ready” needs {pct(c.thresholds.recall)} recall and {pct(c.thresholds.reviewed)} of the
        cards reviewed.
      </p>
      {dialog === 'edit' ? <CurriculumFormDialog existing={c} onClose={() => setDialog(null)} /> : null}
      <ConfirmDialog open={dialog === 'delete'} title={`Delete “${c.name}”?`} confirmLabel="Delete curriculum" danger busy={remove.busy} onConfirm={() => void remove.run()} onCancel={() => setDialog(null)}>
        <p>Its modules, progress and notes go. Linked cards stay in their decks. Export it first to keep a copy.</p>
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </div>
  );
}

function CurriculumList({ curricula, selected }: { curricula: CurriculumSummary[]; selected: number | undefined }) {
  const reorder = useAction(async (index: number, dir: -1 | 1) => {
    const ids = curricula.map((c) => c.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + dir, 0, moved!);
    await api['curricula.reorder']({ ids });
  });
  return (
    <nav className="curriculum-list" aria-label="Curricula">
      {curricula.map((c, i) => (
        <div key={c.id} className="card curriculum-link" aria-current={c.id === selected ? 'true' : undefined}>
          <a href={href('curriculum', { id: String(c.id) })} className="deck-name">
            {c.name}
          </a>
          <ProgressBar value={c.progress.done} max={Math.max(1, c.progress.total)} label={`${c.name}: ${c.progress.done} of ${c.progress.total} done`} />
          <div className="row-between small">
            <span className="muted">
              {c.progress.done}/{c.progress.total} · {c.pace.label}
            </span>
            {curricula.length > 1 ? (
              <span>
                <button type="button" className="small link" disabled={i === 0} onClick={() => void reorder.run(i, -1)} aria-label={`Move ${c.name} up`}>
                  ↑
                </button>{' '}
                <button type="button" className="small link" disabled={i === curricula.length - 1} onClick={() => void reorder.run(i, 1)} aria-label={`Move ${c.name} down`}>
                  ↓
                </button>
              </span>
            ) : null}
          </div>
        </div>
      ))}
      <ErrorMessage error={reorder.error} onDismiss={reorder.clearError} />
    </nav>
  );
}

export function CurriculumPage() {
  const route = useRoute();
  const tab = route.params.tab === 'checkins' ? 'checkins' : 'modules';
  const list = useApi('curricula.list', undefined, TOPICS);
  const [dialog, setDialog] = useState<'template' | 'new' | null>(null);
  const importFile = useAction(async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const { stagedId } = await stageFile(file);
    const c = await api['curricula.import']({ stagedId });
    navigate('curriculum', { id: String(c.id) });
  });
  const curricula = list.data?.curricula ?? [];
  const wanted = route.params.id ? Number(route.params.id) : undefined;
  const selected = curricula.some((c) => c.id === wanted) ? wanted : curricula[0]?.id;

  return (
    <section className="page">
      <PageHeader
        title="Curriculum"
        subtitle="Modules, pace and mastery of what you are learning, and your mentor check-ins."
        actions={
          <>
            <button type="button" className="primary" onClick={() => setDialog('template')}>
              Start from template
            </button>
            <button type="button" onClick={() => setDialog('new')}>
              New curriculum
            </button>
            <label className="button">
              Import…
              <input type="file" accept=".json,application/json" className="visually-hidden" onChange={(e) => void importFile.run(e)} />
            </label>
          </>
        }
      />
      <ErrorMessage error={importFile.error ?? list.error} onDismiss={importFile.clearError} />
      <nav className="tabs" aria-label="Curriculum sections">
        <a href={href('curriculum', selected ? { id: String(selected) } : {})} aria-current={tab === 'modules' ? 'page' : undefined}>
          Modules
        </a>
        <a href={href('curriculum', { ...(selected ? { id: String(selected) } : {}), tab: 'checkins' })} aria-current={tab === 'checkins' ? 'page' : undefined}>
          Mentor check-ins
        </a>
      </nav>
      {tab === 'checkins' ? (
        <CheckinsPanel />
      ) : !list.data && list.loading ? (
        <Loading />
      ) : curricula.length === 0 ? (
        <EmptyState
          title="No curriculum yet"
          action={
            <button type="button" className="primary" onClick={() => setDialog('template')}>
              Start from a template
            </button>
          }
        >
          Templates for Technical Project Management (12 weeks) and Product Management are built from comparable programmes; adapt them to yours, or start from scratch.
        </EmptyState>
      ) : (
        <div className="curriculum-layout">
          <CurriculumList curricula={curricula} selected={selected} />
          {selected !== undefined ? <CurriculumView key={selected} id={selected} /> : null}
        </div>
      )}
      {dialog === 'template' ? <StartTemplateDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'new' ? <CurriculumFormDialog onClose={() => setDialog(null)} /> : null}
    </section>
  );
}

// One curriculum module: status with dates, mastery of its linked cards, its content, links and notes.
import { useState, type FormEvent } from 'react';
import { contract } from '../../../../shared/contract';
import { resourceSchema, resourcesSchema, type CurriculumModule, type Mastery, type ModuleStatus, type Resource } from '../../../../shared/contract/curriculum';
import { api } from '../../api';
import { ConfirmDialog, Dialog, ErrorMessage, FieldError, fieldProps } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import { useFieldErrors, wholeNumberProblem } from '../../hooks/useFieldErrors';
import { todayLocal } from '../certifications/format';
import { masteryBadge, masteryText, pct, shortDate, STATUS_LABEL } from './format';
import { ModuleExamTopics } from '../exams/ModuleTopics';

function StatusControl({ module }: { module: CurriculumModule }) {
  const [ask, setAsk] = useState<{ message: string; mastery: Mastery } | null>(null);
  const set = useAction(async (status: ModuleStatus, confirm: boolean, date?: string) => {
    const result = await api['modules.setStatus']({ id: module.id, status, confirm, ...(date ? { date } : {}) });
    if (result.needsConfirmation) setAsk({ message: result.message, mastery: result.mastery });
    else setAsk(null);
  });
  return (
    <>
      <label className="visually-hidden" htmlFor={`status-${module.id}`}>
        Status of {module.title}
      </label>
      <select id={`status-${module.id}`} value={module.status} disabled={set.busy} onChange={(e) => void set.run(e.target.value as ModuleStatus, false)}>
        {(Object.keys(STATUS_LABEL) as ModuleStatus[]).map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </select>
      {module.status === 'done' && module.doneOn ? (
        // Done on another day (finished last week, logged today): the date can be set back.
        <label className="done-on">
          <span className="visually-hidden">Date {module.title} was done</span>
          <input
            type="date"
            value={module.doneOn}
            max={todayLocal()}
            disabled={set.busy}
            onChange={(e) => {
              if (e.target.value) void set.run('done', true, e.target.value);
            }}
          />
        </label>
      ) : null}
      <ErrorMessage error={set.error} onDismiss={set.clearError} />
      <ConfirmDialog
        open={ask !== null}
        title="Mark done before it is mastered?"
        confirmLabel="Mark done anyway"
        busy={set.busy}
        onConfirm={() => void set.run('done', true)}
        onCancel={() => setAsk(null)}
      >
        <p>{ask?.message}</p>
        <p className="muted small">Cadence will not ask again for this module.</p>
      </ConfirmDialog>
    </>
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Resources typed one per line as "Title | https://..." (a bare address is its own title). */
function parseResources(text: string): Resource[] {
  return lines(text).map((l) => {
    const bar = l.lastIndexOf('|');
    if (bar < 0) return { title: l, url: l };
    return { title: l.slice(0, bar).trim(), url: l.slice(bar + 1).trim() };
  });
}

function EditModuleDialog({ module, onClose }: { module: CurriculumModule; onClose: () => void }) {
  const [week, setWeek] = useState(String(module.week));
  const [title, setTitle] = useState(module.title);
  const [description, setDescription] = useState(module.description);
  const [objectives, setObjectives] = useState(module.objectives.join('\n'));
  const [resources, setResources] = useState(module.resources.map((r) => `${r.title} | ${r.url}`).join('\n'));
  const [notes, setNotes] = useState(module.notes);
  const formId = `edit-module-${module.id}`;
  const fields = useFieldErrors();
  const save = useAction(async () => {
    const resourceList = parseResources(resources);
    // Resources are checked on their own: their "title" and "url" are not the module's title.
    const input = fields.check(contract['modules.update'].input.omit({ resources: true }), {
      id: module.id,
      week: Number(week),
      title,
      description,
      objectives: lines(objectives),
      notes,
    });
    const own: Record<string, string> = {};
    const weekProblem = wholeNumberProblem(week, { what: 'the week', min: 1, max: 104, example: module.week });
    if (weekProblem) own.week = weekProblem;
    if (title.trim() === '') own.title = 'Enter the module’s title, e.g. Stakeholder mapping.';
    const badLine = resourceList.findIndex((r) => !resourceSchema.safeParse(r).success);
    if (badLine >= 0) own.resources = `Write resource ${badLine + 1} as a title, a bar and an address starting with https://, e.g. Scrum Guide | https://scrumguides.org.`;
    else if (!resourcesSchema.safeParse(resourceList).success) own.resources = 'List at most 30 resources.';
    if (Object.keys(own).length) fields.setErrors((errors) => ({ ...errors, ...own }));
    if (!input || Object.keys(own).length) return;
    await api['modules.update']({ ...input, resources: resourceList });
    onClose();
  });
  const tie = (key: string) => fieldProps(`${formId}-${key}-error`, fields.errors[key]);
  const problem = (key: string) => <FieldError id={`${formId}-${key}-error`} error={fields.errors[key]} />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <Dialog
      open
      title={`Edit “${module.title}”`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={save.busy}>
            Save
          </button>
        </>
      }
    >
      <form ref={fields.form} id={formId} className="stack" onSubmit={submit} noValidate>
        <label>
          Week
          <input type="number" min={1} max={104} value={week} onChange={(e) => setWeek(e.target.value)} {...tie('week')} />
        </label>
        {problem('week')}
        <label>
          Title
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={160} {...tie('title')} />
        </label>
        {problem('title')}
        <label>
          Description
          <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} {...tie('description')} />
        </label>
        {problem('description')}
        <label>
          Objectives <span className="muted small">(one per line)</span>
          <textarea rows={3} value={objectives} onChange={(e) => setObjectives(e.target.value)} {...tie('objectives')} />
        </label>
        {problem('objectives')}
        <label>
          Resources <span className="muted small">(one per line: Title | https://…)</span>
          <textarea rows={3} value={resources} onChange={(e) => setResources(e.target.value)} {...tie('resources')} />
        </label>
        {problem('resources')}
        <label>
          Notes
          <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} {...tie('notes')} />
        </label>
        {problem('notes')}
        <ErrorMessage error={save.error} onDismiss={save.clearError} />
      </form>
    </Dialog>
  );
}

function LinkDialog({ module, onClose }: { module: CurriculumModule; onClose: () => void }) {
  const decks = useApi('decks.list', undefined, ['decks']);
  const [deckId, setDeckId] = useState('');
  const [tagPrefix, setTagPrefix] = useState('');
  const link = useAction(async () => {
    await api['modules.link']({
      moduleId: module.id,
      ...(deckId ? { deckId: Number(deckId) } : {}),
      ...(tagPrefix.trim() ? { tagPrefix: tagPrefix.trim() } : {}),
    });
    onClose();
  });
  const formId = `link-module-${module.id}`;
  return (
    <Dialog
      open
      title={`Link cards to “${module.title}”`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="primary" disabled={link.busy || (!deckId && !tagPrefix.trim())}>
            Link
          </button>
        </>
      }
    >
      <form
        id={formId}
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void link.run();
        }}
      >
        <p className="muted small">The module's mastery is measured on the cards of this deck (subdecks included), with this tag or a tag below it — or both.</p>
        <label>
          Deck
          <select value={deckId} onChange={(e) => setDeckId(e.target.value)}>
            <option value="">(any deck)</option>
            {(decks.data?.decks ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.path}
              </option>
            ))}
          </select>
        </label>
        <label>
          Tag <span className="muted small">(e.g. scrum::events)</span>
          <input value={tagPrefix} onChange={(e) => setTagPrefix(e.target.value)} maxLength={200} />
        </label>
        <ErrorMessage error={link.error ?? decks.error} onDismiss={link.clearError} />
      </form>
    </Dialog>
  );
}

/** What one link covers, in words: two links never share a name (a deck alone, a deck and tag, a tag alone). */
function linkName(l: { deckPath: string | null; tagPrefix: string | null }): string {
  if (l.deckPath && l.tagPrefix) return `deck ${l.deckPath} with tag ${l.tagPrefix}`;
  return l.deckPath ? `deck ${l.deckPath}` : `tag ${l.tagPrefix ?? ''}`;
}

export function ModuleCard({ module, first, last, onMove }: { module: CurriculumModule; first: boolean; last: boolean; onMove: (dir: -1 | 1) => void }) {
  const [editing, setEditing] = useState<'edit' | 'link' | 'delete' | null>(null);
  const unlink = useAction((linkId: number) => api['modules.unlink']({ linkId }));
  const remove = useAction(async () => {
    await api['modules.delete']({ id: module.id });
    setEditing(null);
  });
  const m = module.mastery;
  const badge = masteryBadge(m);
  const dates =
    module.status === 'done' && module.doneOn
      ? `Done ${shortDate(module.doneOn)}`
      : module.status === 'in_progress' && module.startedOn
        ? `Started ${shortDate(module.startedOn)}`
        : module.plannedBy
          ? `Planned by ${shortDate(module.plannedBy)}`
          : null;
  return (
    <article className={`card module ${module.status}`} aria-labelledby={`module-${module.id}`}>
      <div className="module-head">
        <span className="week">Week {module.week}</span>
        <h3 id={`module-${module.id}`}>{module.title}</h3>
        <StatusControl module={module} />
      </div>
      <div className="module-meta">
        {dates ? <span>{dates}</span> : null}
        <span>{masteryText(m)}</span>
        <span className={`badge ${badge.tone}`} title={m.cards ? `Recall ${pct(m.meanRecall)}, reviewed ${pct(m.reviewedShare)}` : undefined}>
          {badge.text}
        </span>
        {module.doneDespiteMastery ? <span className="small">marked done before mastery</span> : null}
      </div>
      <details>
        <summary>Details, links and notes</summary>
        <div className="module-body">
          {module.description ? <p style={{ margin: 0 }}>{module.description}</p> : null}
          {module.objectives.length ? (
            <div>
              <h4>Objectives</h4>
              <ul>
                {module.objectives.map((o) => (
                  <li key={o}>{o}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {module.resources.length ? (
            <div>
              <h4>Resources</h4>
              <ul>
                {module.resources.map((r) => (
                  <li key={r.url + r.title}>
                    <a href={r.url} target="_blank" rel="noreferrer noopener">
                      {r.title}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div>
            <h4>Linked cards</h4>
            {module.links.length === 0 ? <p className="muted small">No deck or tag linked: mastery cannot be measured.</p> : null}
            {module.links.map((l) => (
              <span key={l.id} className={`link-chip ${l.resolved ? '' : 'unresolved'}`} title={l.resolved ? undefined : 'No deck with this path yet'}>
                {[l.deckPath, l.tagPrefix ? `#${l.tagPrefix}` : null].filter(Boolean).join(' ')}
                {!l.resolved ? ' (deck not found)' : ''}
                <button type="button" className="small link" aria-label={`Unlink ${linkName(l)}`} onClick={() => void unlink.run(l.id)}>
                  ×
                </button>
              </span>
            ))}
            <ErrorMessage error={unlink.error} onDismiss={unlink.clearError} />
          </div>
          {/* Exam topics (exams/): mock exam results count toward the module's mastery. */}
          <ModuleExamTopics module={module} />
          {module.notes ? (
            <div>
              <h4>Notes</h4>
              <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{module.notes}</p>
            </div>
          ) : null}
          <div className="page-actions">
            <button type="button" className="small" onClick={() => setEditing('edit')}>
              Edit
            </button>
            <button type="button" className="small" onClick={() => setEditing('link')}>
              Link deck or tag
            </button>
            <button type="button" className="small" disabled={first} onClick={() => onMove(-1)}>
              Move <span className="visually-hidden">{module.title}</span> up
            </button>
            <button type="button" className="small" disabled={last} onClick={() => onMove(1)}>
              Move <span className="visually-hidden">{module.title}</span> down
            </button>
            <button type="button" className="small danger-text" onClick={() => setEditing('delete')}>
              Delete
            </button>
          </div>
        </div>
      </details>
      {editing === 'edit' ? <EditModuleDialog module={module} onClose={() => setEditing(null)} /> : null}
      {editing === 'link' ? <LinkDialog module={module} onClose={() => setEditing(null)} /> : null}
      <ConfirmDialog
        open={editing === 'delete'}
        title={`Delete “${module.title}”?`}
        confirmLabel="Delete module"
        danger
        busy={remove.busy}
        onConfirm={() => void remove.run()}
        onCancel={() => setEditing(null)}
      >
        <p>The module, its notes and its links go; the linked cards stay in their decks.</p>
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </article>
  );
}

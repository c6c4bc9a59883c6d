import { useState, type FormEvent } from 'react';
import type { DeckSummary } from '../../../shared/contract/decks';
import { api } from '../api';
import { MenuButton } from '../components/Menu';
import { ConfirmDialog, Dialog, EmptyState, ErrorMessage, FieldError, fieldProps, Loading, PageHeader } from '../components/ui';
import { useAction, useApi } from '../hooks/useApi';
import { href } from '../router';
import './decks.css';
import { DeckOptions } from '../components/DeckOptions';

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

function ParentSelect({ decks, value, onChange, exclude, id }: { decks: DeckSummary[]; value: number | null; onChange: (v: number | null) => void; exclude?: number; id: string }) {
  // A deck cannot become its own parent or the child of one of its subdecks.
  const banned = new Set<number>();
  if (exclude !== undefined) {
    const excludedPath = decks.find((d) => d.id === exclude)?.path;
    for (const d of decks) if (d.id === exclude || (excludedPath && d.path.startsWith(`${excludedPath}::`))) banned.add(d.id);
  }
  return (
    <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : null)}>
      <option value="">(top level)</option>
      <DeckOptions decks={decks.filter((d) => !banned.has(d.id))} />
    </select>
  );
}

function CreateDeckForm({ decks }: { decks: DeckSummary[] }) {
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState<number | null>(null);
  const create = useAction((input: { name: string; parentId: number | null }) => api['decks.create'](input));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const deck = await create.run({ name, parentId });
    if (deck) setName('');
  };
  return (
    <form className="card form-row" onSubmit={submit} aria-label="Create a deck">
      <label>
        <span>New deck</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Scrum events" maxLength={120} {...fieldProps('create-deck-error', create.error)} />
        {/* The name is the one thing to get right here: what is wrong with it shows right below it. */}
        <FieldError id="create-deck-error" error={create.error} />
      </label>
      <label>
        <span>Inside</span>
        <ParentSelect id="create-parent" decks={decks} value={parentId} onChange={setParentId} />
      </label>
      <button type="submit" className="primary" disabled={create.busy}>
        Create deck
      </button>
    </form>
  );
}

type Editing = { kind: 'rename' | 'move' | 'delete' | 'options'; deck: DeckSummary } | null;

/** Chooses the options preset (limits, steps, retention) a deck studies with. */
function DeckOptionsDialog({ deck, onDone }: { deck: DeckSummary; onDone: () => void }) {
  const presets = useApi('presets.list', undefined, ['presets']);
  const [presetId, setPresetId] = useState(deck.presetId);
  const [includeSubdecks, setIncludeSubdecks] = useState(false);
  const save = useAction(async () => {
    await api['decks.setPreset']({ id: deck.id, presetId, includeSubdecks });
    onDone();
  });
  const chosen = presets.data?.presets.find((p) => p.id === presetId);
  return (
    <Dialog
      open
      title={`Options for “${deck.name}”`}
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" form="deck-options" className="primary" disabled={save.busy || !presets.data}>
            Save
          </button>
        </>
      }
    >
      <form
        id="deck-options"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label className="stacked">
          <span>Options preset</span>
          <select value={presetId} onChange={(e) => setPresetId(Number(e.target.value))}>
            {presets.data?.presets.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {chosen ? (
          <p className="muted small">
            {chosen.newPerDay} new and {chosen.reviewsPerDay} reviews a day · retention {Math.round(chosen.desiredRetention * 100)}% · steps{' '}
            {chosen.learningSteps.join(' ') || 'none'}. Edit presets in <a href={href('settings')}>Settings</a>.
          </p>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={includeSubdecks} onChange={(e) => setIncludeSubdecks(e.target.checked)} /> Use it for the subdecks too
        </label>
      </form>
      <ErrorMessage error={save.error ?? presets.error} />
    </Dialog>
  );
}

function DeleteDeckDialog({ deck, onDone }: { deck: DeckSummary; onDone: () => void }) {
  const preview = useApi('decks.deletePreview', { id: deck.id }, []);
  const remove = useAction(async () => {
    await api['decks.delete']({ id: deck.id });
    onDone();
  });
  const p = preview.data;
  return (
    <ConfirmDialog open title={`Delete “${deck.name}”?`} confirmLabel="Delete deck" danger busy={remove.busy || !p} onConfirm={() => void remove.run()} onCancel={onDone}>
      {p ? (
        <p>
          This deletes {p.decks > 1 ? `the deck and its ${plural(p.decks - 1, 'subdeck')}` : 'the deck'}
          {p.cards > 0 ? `, with ${plural(p.cards, 'card')} (${plural(p.notes, 'note')}) and their review history` : ' (it holds no cards)'}. This cannot be
          undone from here; the daily backup in your data folder keeps an earlier state.
        </p>
      ) : (
        <Loading />
      )}
      <ErrorMessage error={remove.error ?? preview.error} />
    </ConfirmDialog>
  );
}

function EditDeckDialog({ kind, deck, decks, onDone }: { kind: 'rename' | 'move'; deck: DeckSummary; decks: DeckSummary[]; onDone: () => void }) {
  const [name, setName] = useState(deck.name);
  const [parentId, setParentId] = useState<number | null>(deck.parentId);
  const save = useAction(async () => {
    if (kind === 'rename') await api['decks.rename']({ id: deck.id, name });
    else await api['decks.move']({ id: deck.id, parentId });
    onDone();
  });
  return (
    <Dialog
      open
      title={kind === 'rename' ? `Rename “${deck.name}”` : `Move “${deck.name}”`}
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" form="deck-edit" className="primary" disabled={save.busy}>
            {kind === 'rename' ? 'Rename' : 'Move'}
          </button>
        </>
      }
    >
      <form
        id="deck-edit"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        {kind === 'rename' ? (
          <label className="stacked">
            <span>Name</span>
            <input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={120} {...fieldProps('deck-name-error', save.error)} />
            <FieldError id="deck-name-error" error={save.error} />
          </label>
        ) : (
          <label className="stacked">
            <span>Put it inside</span>
            <ParentSelect id="move-parent" decks={decks} value={parentId} onChange={setParentId} exclude={deck.id} />
          </label>
        )}
      </form>
      {kind === 'move' ? <ErrorMessage error={save.error} /> : null}
    </Dialog>
  );
}

function RecallCell({ value }: { value: number | null }) {
  if (value === null) return <span className="muted" title="No card in this deck has been reviewed yet">–</span>;
  return <span title="Average probability of recalling a reviewed card right now">{Math.round(value * 100)}%</span>;
}

export function DecksPage() {
  const { data, error, loading } = useApi('decks.list', undefined, ['decks', 'cards', 'notes', 'study']);
  const [editing, setEditing] = useState<Editing>(null);
  const decks = data?.decks ?? [];

  return (
    <section className="page">
      <PageHeader
        title="Decks"
        subtitle="Decks nest: a deck's counts include its subdecks."
        actions={
          <>
            <a className="button" href={href('browse')}>
              Browse cards
            </a>
            <a className="button" href={href('import')}>
              Import…
            </a>
            <a className="button primary" href={href('editor')}>
              Add note
            </a>
          </>
        }
      />
      <CreateDeckForm decks={decks} />
      <ErrorMessage error={error} />
      {loading && !data ? <Loading /> : null}
      {data && decks.length === 0 ? (
        <EmptyState
          title="No decks yet"
          action={
            <span className="page-actions empty-actions">
              <a className="button" href={href('import')}>
                Import a deck…
              </a>
              <a className="button" href={href('settings')}>
                Restore starter decks
              </a>
            </span>
          }
        >
          Create your first deck above, then add notes to it. You can also import an Anki package or restore the starter decks on
          Scrum, product and project management from Settings.
        </EmptyState>
      ) : null}
      {decks.length > 0 ? (
        <div className="card table-card">
          <table className="deck-table deck-list">
            <thead>
              <tr>
                <th scope="col">Deck</th>
                <th scope="col" className="num new">
                  New
                </th>
                <th scope="col" className="num learn">
                  Learning
                </th>
                <th scope="col" className="num due">
                  Due
                </th>
                <th scope="col" className="num">
                  Cards
                </th>
                <th scope="col" className="num recall">
                  Recall
                </th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {decks.map((d) => (
                <tr key={d.id} data-deck={d.path}>
                  <th scope="row" style={{ paddingLeft: `${1 + d.depth * 1.25}rem` }}>
                    <a href={href('study', { deck: String(d.id) })} className="deck-name">
                      {d.name}
                    </a>
                  </th>
                  <td className="num new">{d.counts.newDue}</td>
                  <td className="num learn">{d.counts.learningDue}</td>
                  <td className="num due">{d.counts.reviewDue}</td>
                  <td className="num muted">{d.counts.total}</td>
                  <td className="num">
                    <RecallCell value={d.retrievability} />
                  </td>
                  <td className="row-actions">
                    <a
                      className={`button small ${d.counts.newDue + d.counts.learningDue + d.counts.reviewDue > 0 ? 'primary' : ''}`}
                      href={href('study', { deck: String(d.id) })}
                      aria-label={`Study ${d.path} now`}
                    >
                      Study
                    </a>
                    <MenuButton
                      label={`More actions for ${d.path}`}
                      items={[
                        { text: 'Options…', label: `Options of ${d.path}`, onSelect: () => setEditing({ kind: 'options', deck: d }) },
                        { text: 'Rename…', label: `Rename ${d.path}`, onSelect: () => setEditing({ kind: 'rename', deck: d }) },
                        { text: 'Move…', label: `Move ${d.path}`, onSelect: () => setEditing({ kind: 'move', deck: d }) },
                        { text: 'Delete…', label: `Delete ${d.path}`, danger: true, onSelect: () => setEditing({ kind: 'delete', deck: d }) },
                      ]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {editing?.kind === 'delete' ? <DeleteDeckDialog key={editing.deck.id} deck={editing.deck} onDone={() => setEditing(null)} /> : null}
      {editing?.kind === 'options' ? <DeckOptionsDialog key={`options-${editing.deck.id}`} deck={editing.deck} onDone={() => setEditing(null)} /> : null}
      {editing && (editing.kind === 'rename' || editing.kind === 'move') ? (
        <EditDeckDialog key={`${editing.kind}-${editing.deck.id}`} kind={editing.kind} deck={editing.deck} decks={decks} onDone={() => setEditing(null)} />
      ) : null}
    </section>
  );
}

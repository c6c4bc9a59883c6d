// The card browser: search by words, tag, deck, state and due date; sort; page; and act on many cards at
// once (move, tag, suspend, reset, delete). Each bulk action is one step on the Cadence side.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { BrowseQuery, BrowseRow } from '../../../shared/contract/flashcards';
import { missingTags, topLevelTags } from '../../../shared/searchTags';
import { api } from '../api';
import { SearchHelp } from '../components/SearchHelp';
import { ConfirmDialog, EmptyState, ErrorMessage, Loading, PageHeader } from '../components/ui';
import { useAction, useApi } from '../hooks/useApi';
import { instantDayText, timeText } from '../dates';
import { cardName } from '../render/cardName';
import { cardHtml } from '../render/cardHtml';
import { href, useRoute } from '../router';
import './browse.css';
import { DeckOptions } from '../components/DeckOptions';
import { NoteSource } from '../components/NoteSource';

const PAGE = 100;
type State = NonNullable<BrowseQuery['state']>;

/** When the card comes up: a date or time, with how far off a review date is when it is near. */
function DueCell({ row }: { row: BrowseRow }) {
  if (row.state === 'new') return <span className="muted">new</span>;
  if (row.state !== 'review') return <>{timeText(row.due)}</>;
  const days = Math.round((row.due - Date.now()) / 86_400_000);
  const near = days < 0 ? `${-days} d overdue` : days === 0 ? 'today' : days < 60 ? `in ${days} d` : '';
  return (
    <>
      {instantDayText(row.due)}
      {near ? <span className="muted small block">{near}</span> : null}
    </>
  );
}

/** The deck's own name; the full path is in the cell's title. */
function lastLevel(path: string): string {
  const at = path.lastIndexOf('::');
  return at < 0 ? path : path.slice(at + 2);
}

function StateCell({ row }: { row: BrowseRow }) {
  return (
    <span className="state-cell">
      <span className={`state-${row.state}`}>{row.state}</span>
      {row.suspended ? <span className="badge">suspended</span> : null}
      {row.buried ? <span className="badge">buried</span> : null}
      {row.tags.some((t) => t.toLowerCase() === 'leech') ? <span className="badge warn">leech</span> : null}
      {/* Shown only when the table is too narrow for its own Lapses column. */}
      {row.lapses > 0 ? <span className="badge lapses-badge">{row.lapses === 1 ? '1 lapse' : `${row.lapses} lapses`}</span> : null}
    </span>
  );
}

/** Why nothing matched, when the search names a tag no note has: which tag, and which tags there are. */
function NoMatch({ search }: { search: string }) {
  // Read only here, when a search found nothing: listing the tags reads every note.
  const list = useApi('tags.list', undefined, ['notes', 'tags']);
  const tags = list.data?.tags.map((t) => t.name);
  const missing = tags ? missingTags(search, tags) : [];
  if (!tags || missing.length === 0) return <>Nothing matches this search and these filters.</>;
  const tops = topLevelTags(tags);
  const names = missing.map((t) => `“${t}”`).join(' or ');
  return (
    <>
      No note has the tag {names}.{' '}
      {tops.length > 0 ? `The tags in this collection start with ${tops.slice(0, 12).join(', ')}${tops.length > 12 ? ', …' : ''}.` : 'No note has any tag yet.'}
    </>
  );
}

type Confirm = 'reset' | 'delete' | null;

/** The search in the address, so editing a note (and coming back) or reloading keeps it. */
function queryFromParams(params: Record<string, string>): BrowseQuery {
  const due = params.due === undefined ? undefined : Number(params.due);
  return {
    text: params.text ?? '',
    tag: params.tag || undefined,
    deckId: Number(params.deck) || undefined,
    state: (params.state || undefined) as State | undefined,
    dueWithinDays: due !== undefined && Number.isInteger(due) && due >= 0 ? due : undefined,
    sort: (['due', 'created', 'lapses'] as const).find((s) => s === params.sort) ?? 'created',
    descending: params.order === 'desc',
    offset: Math.max(0, Number(params.offset) || 0),
    limit: PAGE,
  };
}

function queryParams(q: BrowseQuery): Record<string, string> {
  const out: Record<string, string> = {};
  if (q.text) out.text = q.text;
  if (q.tag) out.tag = q.tag;
  if (q.deckId) out.deck = String(q.deckId);
  if (q.state) out.state = q.state;
  if (q.dueWithinDays !== undefined) out.due = String(q.dueWithinDays);
  if (q.sort !== 'created') out.sort = q.sort;
  if (q.descending) out.order = 'desc';
  if (q.offset) out.offset = String(q.offset);
  return out;
}

/** A first field in Markdown or HTML as the words a person reads ("**Sprint**" -> "Sprint"). */
function plainText(source: string): string {
  return (new DOMParser().parseFromString(cardHtml(source), 'text/html').body.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function BrowsePage() {
  const { params } = useRoute();
  const decks = useApi('decks.list', undefined, ['decks']);
  const noteTypes = useApi('noteTypes.list', undefined, []);
  const [text, setText] = useState(params.text ?? '');
  const [query, setQuery] = useState<BrowseQuery>(() => queryFromParams(params));
  // Kept in the address without a new history entry: Back from the editor returns to this search.
  useEffect(() => {
    history.replaceState(null, '', href('browse', queryParams(query)));
  }, [query]);
  const result = useApi('browse.search', query, ['cards', 'notes', 'decks', 'study']);
  const typeById = useMemo(() => new Map((noteTypes.data?.noteTypes ?? []).map((t) => [t.id, t])), [noteTypes.data]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [moveTo, setMoveTo] = useState<number | ''>('');
  const [tagText, setTagText] = useState('');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [status, setStatus] = useState<string>();

  const rows = useMemo(() => result.data?.rows ?? [], [result.data]);
  const total = result.data?.total ?? 0;
  const update = (patch: Partial<BrowseQuery>) => setQuery((q) => ({ ...q, offset: 0, ...patch }));
  const filtered = Boolean(query.text || query.tag || query.deckId || query.state || query.dueWithinDays !== undefined);
  // Remounting the form empties its uncontrolled tag box along with the query.
  const [formKey, setFormKey] = useState(0);
  const clearFilters = () => {
    setText('');
    update({ text: '', tag: undefined, deckId: undefined, state: undefined, dueWithinDays: undefined });
    setFormKey((k) => k + 1);
  };

  // Typing searches after a short pause; Enter searches at once.
  useEffect(() => {
    const timer = setTimeout(() => setQuery((q) => (q.text === text ? q : { ...q, text, offset: 0 })), 300);
    return () => clearTimeout(timer);
  }, [text]);

  // A selection only holds cards still on the page.
  useEffect(() => {
    setSelected((s) => new Set([...s].filter((id) => rows.some((r) => r.cardId === id))));
  }, [rows]);

  const cardIds = [...selected];
  const noteIds = [...new Set(rows.filter((r) => selected.has(r.cardId)).map((r) => r.noteId))];
  const bulk = useAction(async (label: string, fn: () => Promise<{ changed?: number; notes?: number }>) => {
    // The last action's confirmation must not stand beside this one's error.
    setStatus(undefined);
    const out = await fn();
    setStatus(`${label}: ${out.changed ?? out.notes ?? 0} changed.`);
    setConfirm(null);
  });

  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.cardId));
  const toggleAll = () => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.cardId)));
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ text });
  };

  return (
    <section className="page">
      <PageHeader
        title="Browse"
        subtitle="Find cards and change many at once."
        actions={
          <a className="button primary" href={href('editor', query.deckId ? { deck: String(query.deckId) } : {})}>
            Add note
          </a>
        }
      />
      <form key={formKey} className="card browse-filters" role="search" aria-label="Search cards" onSubmit={submit}>
        <div className="grow search-field">
          <label>
            <span>Search</span>
            <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Words, or Anki search: tag:scrum is:due" />
          </label>
          <SearchHelp
            onTry={(q) => {
              setText(q);
              update({ text: q });
            }}
          />
        </div>
        <label>
          <span>Deck</span>
          <select value={query.deckId ?? ''} onChange={(e) => update({ deckId: Number(e.target.value) || undefined })}>
            <option value="">All decks</option>
            <DeckOptions decks={decks.data?.decks ?? []} />
          </select>
        </label>
        <label>
          <span>Tag</span>
          <input
            defaultValue={query.tag ?? ''}
            placeholder="e.g. scrum"
            onBlur={(e) => update({ tag: e.target.value.trim() || undefined })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') update({ tag: e.currentTarget.value.trim() || undefined });
            }}
          />
        </label>
        <label>
          <span>State</span>
          <select value={query.state ?? ''} onChange={(e) => update({ state: (e.target.value || undefined) as State | undefined })}>
            <option value="">Any</option>
            <option value="new">New</option>
            <option value="learning">Learning</option>
            <option value="review">Review</option>
            <option value="suspended">Suspended</option>
            <option value="buried">Buried</option>
            <option value="leech">Leech</option>
          </select>
        </label>
        <label>
          <span>Due</span>
          <select value={query.dueWithinDays ?? ''} onChange={(e) => update({ dueWithinDays: e.target.value === '' ? undefined : Number(e.target.value) })}>
            <option value="">Any time</option>
            <option value="0">Today</option>
            <option value="1">By tomorrow</option>
            <option value="7">Within a week</option>
            <option value="30">Within 30 days</option>
          </select>
        </label>
        <label>
          <span>Sort by</span>
          <select value={query.sort} onChange={(e) => update({ sort: e.target.value as BrowseQuery['sort'] })}>
            <option value="created">Created</option>
            <option value="due">Due</option>
            <option value="lapses">Lapses</option>
          </select>
        </label>
        <label>
          <span>Order</span>
          <select value={query.descending ? 'desc' : 'asc'} onChange={(e) => update({ descending: e.target.value === 'desc' })}>
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </label>
      </form>

      {selected.size > 0 ? (
        <div className="card bulk-bar" role="toolbar" aria-label="Selected cards">
          <strong>{selected.size} selected</strong>
          <span className="bulk-group">
            <label className="inline">
              <span className="visually-hidden">Move to deck</span>
              <select value={moveTo} onChange={(e) => setMoveTo(e.target.value ? Number(e.target.value) : '')}>
                <option value="">Move to…</option>
                {decks.data?.decks.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.path}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="small" disabled={moveTo === '' || bulk.busy} onClick={() => void bulk.run('Moved', () => api['cards.move']({ cardIds, deckId: Number(moveTo) }))}>
              Move
            </button>
          </span>
          <span className="bulk-group">
            <label className="inline">
              <span className="visually-hidden">Tags to add or remove</span>
              <input value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="tags" size={12} />
            </label>
            <button
              type="button"
              className="small"
              disabled={!tagText.trim() || bulk.busy}
              onClick={() => void bulk.run('Tagged', () => api['notes.tag']({ ids: noteIds, add: tagText.split(/\s+/).filter(Boolean), remove: [] }))}
            >
              Add tags
            </button>
            <button
              type="button"
              className="small"
              disabled={!tagText.trim() || bulk.busy}
              onClick={() => void bulk.run('Untagged', () => api['notes.tag']({ ids: noteIds, add: [], remove: tagText.split(/\s+/).filter(Boolean) }))}
            >
              Remove tags
            </button>
          </span>
          <span className="bulk-group">
            <button type="button" className="small" disabled={bulk.busy} onClick={() => void bulk.run('Suspended', () => api['cards.suspend']({ cardIds }))}>
              Suspend
            </button>
            <button type="button" className="small" disabled={bulk.busy} onClick={() => void bulk.run('Unsuspended', () => api['cards.unsuspend']({ cardIds }))}>
              Unsuspend
            </button>
            <button type="button" className="small" disabled={bulk.busy} onClick={() => setConfirm('reset')}>
              Reset…
            </button>
            <button type="button" className="small danger-text" disabled={bulk.busy} onClick={() => setConfirm('delete')}>
              Delete notes…
            </button>
          </span>
        </div>
      ) : null}
      {status ? (
        <p className="muted" role="status">
          {status}
        </p>
      ) : null}
      <ErrorMessage error={bulk.error ?? result.error ?? decks.error} onDismiss={bulk.error ? bulk.clearError : undefined} />

      {result.loading && !result.data ? <Loading /> : null}
      {result.data && rows.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No cards match"
            action={
              <button type="button" onClick={clearFilters}>
                Clear the search and filters
              </button>
            }
          >
            <NoMatch search={query.text ?? ''} />
          </EmptyState>
        ) : (
          <EmptyState
            title="No cards yet"
            action={
              <a className="button primary" href={href('editor')}>
                Add a note
              </a>
            }
          >
            Add a note, or import an Anki deck or a spreadsheet from the Decks page.
          </EmptyState>
        )
      ) : null}
      {rows.length > 0 ? (
        <div className="card table-card browse-results">
          <table className="browse-table">
            <thead>
              <tr>
                <th scope="col" className="check">
                  <input type="checkbox" checked={allOnPage} onChange={toggleAll} aria-label="Select all cards on this page" />
                </th>
                <th scope="col">Note</th>
                <th scope="col" className="deck-col">
                  Deck
                </th>
                <th scope="col" className="state-col">
                  State
                </th>
                <th scope="col" className="due-col">
                  Due
                </th>
                <th scope="col" className="num interval-col">
                  Interval
                </th>
                <th scope="col" className="num lapses-col">
                  Lapses
                </th>
                <th scope="col" className="num recall-col">
                  Recall
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.cardId} aria-selected={selected.has(r.cardId)}>
                  <td className="check">
                    <input type="checkbox" checked={selected.has(r.cardId)} onChange={() => toggle(r.cardId)} aria-label={`Select ${plainText(r.sortField).slice(0, 60)}${typeById.get(r.noteTypeId)?.kind === 'basic' ? '' : `, ${cardName(typeById.get(r.noteTypeId) ?? { kind: 'basic', templates: [] }, r.ord)}`}`} />
                  </td>
                  <th scope="row" className="note-cell">
                    <a href={href('editor', { note: String(r.noteId), back: '1' })} title={plainText(r.sortField)}>
                      {plainText(r.sortField) || '(empty)'}
                    </a>
                    {typeById.get(r.noteTypeId) && typeById.get(r.noteTypeId)!.kind !== 'basic' ? (
                      <span className="muted small block card-name">{cardName(typeById.get(r.noteTypeId)!, r.ord)}</span>
                    ) : null}
                    {r.tags.length ? (
                      <span className="muted small tags" title={r.tags.join(' ')}>
                        {r.tags.join(' ')}
                      </span>
                    ) : null}
                    <NoteSource source={r.source} compact />
                  </th>
                  <td className="muted deck-cell" title={r.deckPath}>
                    {lastLevel(r.deckPath)}
                  </td>
                  <td>
                    <StateCell row={r} />
                  </td>
                  <td>
                    <DueCell row={r} />
                  </td>
                  <td className="num">{r.intervalDays ? `${r.intervalDays} d` : '–'}</td>
                  <td className="num lapses-col">{r.lapses}</td>
                  <td className="num">{r.retrievability === null ? '–' : `${Math.round(r.retrievability * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {total > 0 ? (
        <nav className="pager" aria-label="Pages">
          <span className="muted">
            {query.offset + 1}–{query.offset + rows.length} of {total.toLocaleString()}
          </span>
          <button type="button" className="small" disabled={query.offset === 0} onClick={() => setQuery((q) => ({ ...q, offset: Math.max(0, q.offset - PAGE) }))}>
            Previous
          </button>
          <button type="button" className="small" disabled={query.offset + PAGE >= total} onClick={() => setQuery((q) => ({ ...q, offset: q.offset + PAGE }))}>
            Next
          </button>
        </nav>
      ) : null}

      <ConfirmDialog
        open={confirm === 'reset'}
        title={`Reset ${cardIds.length} ${cardIds.length === 1 ? 'card' : 'cards'}?`}
        confirmLabel="Reset"
        busy={bulk.busy}
        onConfirm={() => void bulk.run('Reset', () => api['cards.reset']({ cardIds }))}
        onCancel={() => setConfirm(null)}
      >
        <p>They become new cards again, after your other new cards. Their review history is kept.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={`Delete ${noteIds.length} ${noteIds.length === 1 ? 'note' : 'notes'}?`}
        confirmLabel="Delete"
        danger
        busy={bulk.busy}
        onConfirm={() => void bulk.run('Deleted notes', () => api['notes.delete']({ ids: noteIds }))}
        onCancel={() => setConfirm(null)}
      >
        <p>The notes of the selected cards are deleted with all their cards and review history.</p>
      </ConfirmDialog>
    </section>
  );
}

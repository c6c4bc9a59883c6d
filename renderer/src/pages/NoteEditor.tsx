// Add or edit a note: note type, deck, fields (Markdown), tags, with a live preview of every card the
// note makes and a warning when its first field is already used in the deck.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ANSWER_DIVIDER, cardOrdinals, renderCard, type CardSources } from '../../../shared/cardRender';
import { clozeNumbers } from '../../../shared/cloze';
import type { NoteType } from '../../../shared/contract/flashcards';
import { noteFieldProblems } from '../../../shared/noteFields';
import type { NoteFormat } from '../../../shared/noteFormat';
import { api, stageFile } from '../api';
import { ConfirmDialog, ErrorMessage, FieldError, fieldProps, Kbd, Loading, PageHeader } from '../components/ui';
import { useAction, useApi } from '../hooks/useApi';
import { useFocusFirstProblem } from '../hooks/useFieldErrors';
import { cardName } from '../render/cardName';
import { CardView } from '../render/CardView';
import { allowLeave, href, navigate, useLeaveGuard, useRoute } from '../router';
import './study.css';
import './editor.css';

const isMac = typeof navigator !== 'undefined' && navigator.platform.includes('Mac');
const MAX_PREVIEWS = 6;

/** The files of a paste, drop or pick that can go into a field: pictures, sound and video. */
function mediaFiles(list: FileList | null | undefined): File[] {
  return [...(list ?? [])].filter((f) => /^(image|audio|video)\//.test(f.type) || /\.(png|jpe?g|gif|webp|avif|bmp|svg|mp3|ogg|oga|opus|wav|m4a|aac|flac|mp4|webm|ogv)$/i.test(f.name));
}

function splitTags(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}


/**
 * What the answer side adds: basic and reversed cards repeat the question above a divider when the
 * answer shows, which the preview already shows above its own divider; cloze answers differ, so stay whole.
 */
function answerPart(sides: CardSources): string {
  const repeated = `${sides.question}\n\n${ANSWER_DIVIDER}\n\n`;
  return sides.answer.startsWith(repeated) ? sides.answer.slice(repeated.length) : sides.answer;
}

function Preview({ type, fields, format }: { type: NoteType; fields: string[]; format: NoteFormat }) {
  const cards = useMemo(() => {
    const ords = cardOrdinals(type, fields);
    return ords.slice(0, MAX_PREVIEWS).map((ord) => {
      let sides: CardSources | { error: string };
      try {
        sides = renderCard(type, fields, ord);
      } catch (err) {
        sides = { error: (err as Error).message };
      }
      return { ord, sides, total: ords.length };
    });
  }, [type, fields]);
  // An empty note previews as blank cards, which look broken: say what fills them instead.
  if (cards.length === 0 || fields.every((f) => !f.trim())) {
    return (
      <p className="muted">
        {type.kind === 'cloze' ? 'Mark the text to hide like {{c1::this}}: each number becomes a card.' : 'Fill in the fields to see the cards.'}
      </p>
    );
  }
  return (
    <div className="previews">
      {cards.map(({ ord, sides }) => (
        <section key={ord} className="card-preview" aria-label={`Preview of ${cardName(type, ord)}`}>
          <h3>{cardName(type, ord)}</h3>
          {'error' in sides ? (
            <p className="muted">{sides.error}</p>
          ) : (
            <>
              <p className="preview-label">Question</p>
              <CardView className="preview-side" source={sides.question} format={format} css={type.css} label={`${cardName(type, ord)}: question`} />
              <hr className="preview-divider" />
              <p className="preview-label">Answer</p>
              <CardView className="preview-side" source={answerPart(sides)} format={format} css={type.css} label={`${cardName(type, ord)}: answer`} />
            </>
          )}
        </section>
      ))}
      {cards[0] && cards[0].total > MAX_PREVIEWS ? <p className="muted small">…and {cards[0].total - MAX_PREVIEWS} more cards.</p> : null}
    </div>
  );
}

function Editor({ noteTypes, initial }: { noteTypes: NoteType[]; initial: { noteId?: number; noteTypeId: number; deckId: number | null; fields: string[]; tags: string[]; format?: NoteFormat } }) {
  const format = initial.format ?? 'markdown';
  const { params } = useRoute();
  const decks = useApi('decks.list', undefined, ['decks']);
  const editing = initial.noteId !== undefined;
  const [noteTypeId, setNoteTypeId] = useState(initial.noteTypeId);
  const [deckId, setDeckId] = useState<number | null>(initial.deckId);
  const [fields, setFields] = useState<string[]>(initial.fields);
  const [tags, setTags] = useState(initial.tags.join(' '));
  const [status, setStatus] = useState<string>();
  const [duplicates, setDuplicates] = useState<number[]>([]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const firstField = useRef<HTMLTextAreaElement>(null);
  const areas = useRef<(HTMLTextAreaElement | null)[]>([]);
  const [mediaBusy, setMediaBusy] = useState(false);
  const [mediaError, setMediaError] = useState<string>();
  /** What to fix, by field index (or 'deck'), shown beside each field after a refused save. */
  const [problems, setProblems] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, problems);
  const type = noteTypes.find((t) => t.id === noteTypeId) ?? noteTypes[0]!;
  const values = type.fields.map((_, i) => fields[i] ?? '');

  // The deck defaults to the first one once the list arrives.
  useEffect(() => {
    if (deckId === null && decks.data?.decks[0]) setDeckId(decks.data.decks[0].id);
  }, [deckId, decks.data]);

  // Warn while typing when the first field is already used in this deck.
  // Typed and not saved: leaving asks first.
  const dirty = values.some((v, i) => v !== (initial.fields[i] ?? '')) || tags !== initial.tags.join(' ');
  useLeaveGuard(dirty ? (editing ? 'Your changes to this note are not saved.' : 'The note you are writing is not added yet.') : null);

  const first = values[0] ?? '';
  useEffect(() => {
    if (deckId === null || first.trim() === '') {
      setDuplicates([]);
      return;
    }
    const timer = setTimeout(() => {
      api['notes.duplicates']({ deckId, firstField: first, ...(initial.noteId ? { excludeNoteId: initial.noteId } : {}) })
        .then((r) => setDuplicates(r.noteIds))
        .catch(() => setDuplicates([]));
    }, 300);
    return () => clearTimeout(timer);
  }, [deckId, first, initial.noteId]);

  const done = () => {
    if (params.back) window.history.back();
    else navigate(editing ? 'browse' : 'decks');
  };

  // Escape leaves an opened note (from Study's "e" or from Browse), asking first if it has changes.
  useEffect(() => {
    if (!editing && !params.back) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || (e.target instanceof Element && e.target.closest('dialog'))) return;
      e.preventDefault();
      done();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const save = useAction(async () => {
    const found: Record<string, string> = Object.fromEntries(noteFieldProblems(type, values));
    if (deckId === null) found.deck = 'Choose a deck first (create one on the Decks page).';
    setProblems(found);
    if (deckId === null || Object.keys(found).length) {
      setStatus(undefined);
      return;
    }
    const tagList = splitTags(tags);
    if (editing) {
      // The deck is sent only when it changed: saving must not gather cards the user filed in other decks.
      await api['notes.update']({ id: initial.noteId!, fields: values, tags: tagList, ...(deckId !== initial.deckId ? { deckId } : {}) });
      setStatus('Saved.');
      allowLeave();
      done();
      return;
    }
    const saved = await api['notes.create']({ noteTypeId: type.id, deckId, fields: values, tags: tagList });
    const n = saved.note.cards.length;
    setStatus(`Added a note with ${n} ${n === 1 ? 'card' : 'cards'}${saved.duplicateOf.length ? ' (its first field is also on another note in this deck)' : ''}.`);
    setFields(type.fields.map(() => ''));
    firstField.current?.focus();
  });

  const remove = useAction(async () => {
    await api['notes.delete']({ ids: [initial.noteId!] });
    setConfirmDelete(false);
    allowLeave();
    done();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };

  /** Wraps the selection of the first field in a new cloze deletion (Ctrl/Cmd+Shift+C, as in Anki). */
  const insertCloze = () => {
    const area = firstField.current;
    if (!area) return;
    const text = values[0] ?? '';
    const n = Math.max(0, ...clozeNumbers(text)) + 1;
    const { selectionStart: start, selectionEnd: end } = area;
    const selected = text.slice(start, end) || 'answer';
    const next = `${text.slice(0, start)}{{c${n}::${selected}}}${text.slice(end)}`;
    setFields(values.map((v, i) => (i === 0 ? next : v)));
    requestAnimationFrame(() => {
      area.focus();
      const cursor = start + `{{c${n}::${selected}}}`.length;
      area.setSelectionRange(cursor, cursor);
    });
  };

  /**
   * Pictures and sound pasted, dropped or picked into a field: each is stored in the media folder (by
   * content, like imported media) and its markup goes where the cursor is.
   */
  const addMedia = async (field: number, files: File[]) => {
    if (files.length === 0) return;
    setMediaBusy(true);
    setMediaError(undefined);
    try {
      const markup: string[] = [];
      for (const file of files) {
        const staged = await stageFile(file);
        markup.push((await api['media.add']({ stagedId: staged.stagedId, name: file.name || 'pasted.png' })).markup);
      }
      const area = areas.current[field];
      setFields((current) => {
        const all = type.fields.map((_, i) => current[i] ?? '');
        const text = all[field] ?? '';
        const start = area?.selectionStart ?? text.length;
        const end = area?.selectionEnd ?? text.length;
        all[field] = `${text.slice(0, start)}${markup.join(' ')}${text.slice(end)}`;
        return all;
      });
    } catch (err) {
      setMediaError((err as Error).message);
    } finally {
      setMediaBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void save.run();
    } else if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'c' && type.kind === 'cloze') {
      e.preventDefault();
      insertCloze();
    }
  };

  const mod = isMac ? '⌘' : 'Ctrl';
  return (
    <section className="page">
      <PageHeader
        title={editing ? 'Edit note' : 'Add note'}
        subtitle={
          format === 'html'
            ? 'This note came from an imported deck: its fields are HTML (<b>bold</b>, <br> for a new line) and math like \\(x^2\\). Paste or drop a picture or sound into a field to add it.'
            : 'Fields are Markdown: **bold**, *italic*, lists, `code`, tables; math like \\(x^2\\) or $$\\sum x$$. Paste or drop a picture or sound into a field to add it.'
        }
        actions={
          <>
            <a className="button" href={href('browse')}>
              Browse
            </a>
            {editing ? (
              <button type="button" className="danger-text" onClick={() => setConfirmDelete(true)}>
                Delete note
              </button>
            ) : null}
          </>
        }
      />
      <div className="editor-layout">
        <form ref={form} className="card editor-form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={editing ? 'Edit note' : 'Add a note'}>
          <div className="form-row">
            <label>
              <span>Type</span>
              <select value={type.id} disabled={editing} onChange={(e) => (setNoteTypeId(Number(e.target.value)), setProblems({}))}>
                {noteTypes.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>Deck</span>
              <select value={deckId ?? ''} onChange={(e) => setDeckId(Number(e.target.value))} {...fieldProps('deck-error', problems.deck)}>
                {decks.data?.decks.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.path}
                  </option>
                ))}
              </select>
              <FieldError id="deck-error" error={problems.deck} />
            </label>
          </div>
          {type.fields.map((name, i) => (
            <div key={`${type.id}-${name}`} className="editor-field">
              <div className="field-head">
                <label htmlFor={`field-${i}`} id={`field-name-${i}`}>
                  {name}
                </label>
                {i === 0 && type.kind === 'cloze' ? (
                  <button type="button" className="link small" onClick={insertCloze} title={`${mod}+Shift+C`}>
                    Make cloze […]
                  </button>
                ) : null}
                <label className="link small media-pick">
                  Insert picture or sound…
                  <input
                    type="file"
                    accept="image/*,audio/*,video/*"
                    multiple
                    className="visually-hidden"
                    aria-describedby={`field-name-${i}`}
                    disabled={mediaBusy}
                    onChange={(e) => {
                      void addMedia(i, mediaFiles(e.target.files));
                      e.target.value = '';
                    }}
                  />
                </label>
              </div>
              <textarea
                id={`field-${i}`}
                ref={(el) => {
                  areas.current[i] = el;
                  if (i === 0) firstField.current = el;
                }}
                value={values[i]}
                rows={i === 0 ? 4 : 3}
                autoFocus={i === 0}
                onChange={(e) => {
                  setFields(values.map((v, j) => (j === i ? e.target.value : v)));
                  // The sentence goes once the field is being fixed.
                  if (problems[i]) setProblems((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== String(i))));
                }}
                {...fieldProps(`field-${i}-error`, problems[i])}
                onPaste={(e) => {
                  const files = mediaFiles(e.clipboardData.files);
                  if (files.length === 0) return;
                  e.preventDefault();
                  void addMedia(i, files);
                }}
                onDragOver={(e) => {
                  if (e.dataTransfer.types.includes('Files')) e.preventDefault();
                }}
                onDrop={(e) => {
                  const files = mediaFiles(e.dataTransfer.files);
                  if (files.length === 0) return;
                  e.preventDefault();
                  void addMedia(i, files);
                }}
              />
              <FieldError id={`field-${i}-error`} error={problems[i]} />
            </div>
          ))}
          {duplicates.length > 0 ? (
            <p className="warning" role="status">
              Another note in this deck has the same first field.{' '}
              <a href={href('browse', { text: first.slice(0, 80) })}>Show it</a>
            </p>
          ) : null}
          <label className="stacked">
            <span>Tags (separated by spaces; use :: for levels, e.g. scrum::events)</span>
            <input value={tags} onChange={(e) => setTags(e.target.value)} />
          </label>
          <div className="editor-actions">
            <button type="submit" className="primary" disabled={save.busy}>
              {editing ? 'Save' : 'Add'} <Kbd>{mod}+Enter</Kbd>
            </button>
            {editing ? (
              <button type="button" onClick={done}>
                Cancel
              </button>
            ) : null}
            {status ? (
              <span className="muted" role="status">
                {status}
              </span>
            ) : null}
          </div>
          {mediaBusy ? (
            <p className="muted small" role="status">
              Adding media…
            </p>
          ) : null}
          <ErrorMessage error={mediaError} onDismiss={() => setMediaError(undefined)} />
          <ErrorMessage error={save.error} onDismiss={save.clearError} />
        </form>
        <aside className="editor-preview" aria-label="Preview">
          <h2>Preview</h2>
          <Preview type={type} fields={values} format={format} />
        </aside>
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this note?"
        confirmLabel="Delete note"
        danger
        busy={remove.busy}
        onConfirm={() => void remove.run()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>The note, its cards and their review history are deleted.</p>
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </section>
  );
}

function EditNote({ noteId, noteTypes }: { noteId: number; noteTypes: NoteType[] }) {
  const note = useApi('notes.get', { id: noteId }, []);
  if (note.error) {
    return (
      <section className="page">
        <PageHeader title="Edit note" />
        <ErrorMessage error={note.error} />
      </section>
    );
  }
  // Until the note in the address has arrived, the one before it (from another address) is not edited.
  if (!note.data || note.data.id !== noteId) return <Loading />;
  const n = note.data;
  return <Editor key={noteId} noteTypes={noteTypes} initial={{ noteId, noteTypeId: n.noteTypeId, deckId: n.deckId, fields: n.fields, tags: n.tags, format: n.format }} />;
}

export function NoteEditorPage() {
  const { params } = useRoute();
  const noteId = Number(params.note) || undefined;
  const noteTypes = useApi('noteTypes.list', undefined, []);
  if (noteTypes.error) {
    return (
      <section className="page">
        <PageHeader title="Add note" />
        <ErrorMessage error={noteTypes.error} />
      </section>
    );
  }
  if (!noteTypes.data) return <Loading />;
  if (noteId) return <EditNote noteId={noteId} noteTypes={noteTypes.data.noteTypes} />;
  const initial = { noteTypeId: Number(params.type) || 1, deckId: Number(params.deck) || null, fields: [], tags: [] };
  return <Editor key="new" noteTypes={noteTypes.data.noteTypes} initial={initial} />;
}

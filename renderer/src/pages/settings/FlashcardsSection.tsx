// Flashcard settings: option presets (retention, steps, daily limits, leeches) and the starter decks.
import { cloneElement, useState, type FormEvent, type InputHTMLAttributes, type ReactElement } from 'react';
import { contract } from '../../../../shared/contract';
import type { NewGatherOrder, NewSortOrder, Preset, ReviewSortOrder } from '../../../../shared/contract/flashcards';
import { api } from '../../api';
import { ConfirmDialog, ErrorMessage, FieldError, fieldProps, Loading } from '../../components/ui';
import { useFieldErrors, wholeNumberProblem } from '../../hooks/useFieldErrors';
import { useAction, useApi } from '../../hooks/useApi';
import '../study.css';

const steps = (text: string) => text.split(/[\s,]+/).filter(Boolean);

// Anki's display-order choices, in Anki's words where they are clear.
const GATHER_ORDERS: [NewGatherOrder, string][] = [
  ['random_notes', 'Random notes (mixes subdecks)'],
  ['deck', 'Deck order (subdecks one after another)'],
  ['deck_random_notes', 'Deck, then random notes'],
  ['ascending', 'Order added, oldest first'],
  ['descending', 'Order added, newest first'],
  ['random_cards', 'Random cards'],
];
const SORT_ORDERS: [NewSortOrder, string][] = [
  ['type_then_gathered', 'Card type, then order gathered'],
  ['gathered', 'Order gathered'],
  ['type_then_random', 'Card type, then random'],
  ['random_note_then_type', 'Random note, then card type'],
  ['random', 'Random'],
];
const REVIEW_ORDERS: [ReviewSortOrder, string][] = [
  ['due_random', 'Due date, then random'],
  ['due_deck', 'Due date, then deck'],
  ['deck_due', 'Deck, then due date'],
  ['interval_asc', 'Shortest interval first'],
  ['interval_desc', 'Longest interval first'],
  ['retrievability_asc', 'Most likely forgotten first'],
  ['random', 'Random'],
];

/** The daily-limit rule in words, for the option as it is set. */
export function limitRule(fromTop: boolean): string {
  return fromTop
    ? 'Counted per study day. Studying a deck shows its subdecks too, within this limit; studying a subdeck on its own also stays within the limits of the decks above it.'
    : 'Counted per study day. Studying a deck shows its subdecks too, within this limit; a subdeck studied on its own has only its own limit, so more cards can come from it.';
}

function PresetForm({ preset }: { preset: Preset }) {
  const [name, setName] = useState(preset.name);
  const [retention, setRetention] = useState(String(Math.round(preset.desiredRetention * 100)));
  const [learning, setLearning] = useState(preset.learningSteps.join(' '));
  const [relearning, setRelearning] = useState(preset.relearningSteps.join(' '));
  const [newPerDay, setNewPerDay] = useState(String(preset.newPerDay));
  const [reviewsPerDay, setReviewsPerDay] = useState(String(preset.reviewsPerDay));
  const [maximumInterval, setMaximumInterval] = useState(String(preset.maximumInterval));
  const [leechThreshold, setLeechThreshold] = useState(String(preset.leechThreshold));
  const [leechAction, setLeechAction] = useState(preset.leechAction);
  const [buryNew, setBuryNew] = useState(preset.buryNew);
  const [buryReview, setBuryReview] = useState(preset.buryReview);
  const [buryInterday, setBuryInterday] = useState(preset.buryInterday);
  const [limitsFromTop, setLimitsFromTop] = useState(preset.limitsFromTop);
  const [newGatherOrder, setNewGatherOrder] = useState(preset.newGatherOrder);
  const [newSortOrder, setNewSortOrder] = useState(preset.newSortOrder);
  const [reviewSortOrder, setReviewSortOrder] = useState(preset.reviewSortOrder);
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fields = useFieldErrors();
  const num = (text: string) => (text.trim() === '' ? null : Number(text));
  const save = useAction(async () => {
    const input = fields.check(contract['presets.update'].input, {
      id: preset.id,
      name,
      desiredRetention: retention.trim() === '' ? null : Number(retention) / 100,
      learningSteps: steps(learning),
      relearningSteps: steps(relearning),
      newPerDay: num(newPerDay),
      reviewsPerDay: num(reviewsPerDay),
      maximumInterval: num(maximumInterval),
      leechThreshold: num(leechThreshold),
      leechAction,
      buryNew,
      buryReview,
      buryInterday,
      limitsFromTop,
      newGatherOrder,
      newSortOrder,
      reviewSortOrder,
    });
    // The form asks for a per cent; the schema's own sentence would speak of a fraction (0.70).
    const retentionProblem = wholeNumberProblem(retention, { what: 'desired retention in per cent', min: 70, max: 99, example: 90 });
    if (retentionProblem) fields.setErrors((errors) => ({ ...errors, desiredRetention: retentionProblem }));
    if (!input || retentionProblem) return;
    await api['presets.update'](input);
    setSaved(true);
  });
  const remove = useAction(async () => {
    await api['presets.delete']({ id: preset.id });
    setConfirmDelete(false);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    save.clearError();
    void save.run();
  };
  /** A labelled control with its hint, and the sentence saying what to enter when it is refused. */
  const field = (label: string, hint: string, key: string, input: ReactElement<InputHTMLAttributes<HTMLInputElement>>) => {
    const errorId = `preset-${preset.id}-${key}-error`;
    return (
      <label className="setting">
        <span>
          {label}
          <small className="muted">{hint}</small>
        </span>
        <span className="setting-input">
          {cloneElement(input, fieldProps(errorId, fields.errors[key]))}
          <FieldError id={errorId} error={fields.errors[key]} />
        </span>
      </label>
    );
  };
  const choice = <T extends string>(label: string, hint: string, key: string, value: T, set: (v: T) => void, options: [T, string][]) =>
    field(
      label,
      hint,
      key,
      <select value={value} onChange={(e) => set(e.target.value as T)}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>,
    );
  const check = (label: string, hint: string, value: boolean, set: (v: boolean) => void) => (
    <label className="setting setting-check">
      <input type="checkbox" checked={value} onChange={(e) => set(e.target.checked)} />
      <span>
        {label}
        <small className="muted">{hint}</small>
      </span>
    </label>
  );
  return (
    <form ref={fields.form} className="preset-form" onSubmit={submit} aria-label={`Preset ${preset.name}`} onChange={() => setSaved(false)} noValidate>
      {field('Name', `Used by ${preset.decks} ${preset.decks === 1 ? 'deck' : 'decks'}.`, 'name', <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />)}
      {field(
        'Desired retention (%)',
        'How likely you should be to remember a card when it comes up. Higher means more reviews; 90 is a good start.',
        'desiredRetention',
        <input type="number" min={70} max={99} value={retention} onChange={(e) => setRetention(e.target.value)} />,
      )}
      {field('Learning steps', 'Intervals for new cards before they graduate, e.g. "1m 10m".', 'learningSteps', <input value={learning} onChange={(e) => setLearning(e.target.value)} />)}
      {field('Relearning steps', 'Intervals after you forget a review card, e.g. "10m".', 'relearningSteps', <input value={relearning} onChange={(e) => setRelearning(e.target.value)} />)}
      {field('New cards per day', limitRule(limitsFromTop), 'newPerDay', <input type="number" min={0} value={newPerDay} onChange={(e) => setNewPerDay(e.target.value)} />)}
      {field('Reviews per day', 'Reviews beyond this wait for the next day; the same rule for subdecks.', 'reviewsPerDay', <input type="number" min={0} value={reviewsPerDay} onChange={(e) => setReviewsPerDay(e.target.value)} />)}
      {check('Limits start from the top', "When a deck with this preset is a subdeck and you study it, the limits of the decks above it count too (Anki's option of that name).", limitsFromTop, setLimitsFromTop)}
      {field('Maximum interval (days)', 'The longest a card can wait between reviews.', 'maximumInterval', <input type="number" min={1} max={36500} value={maximumInterval} onChange={(e) => setMaximumInterval(e.target.value)} />)}
      {field('Leech threshold', 'A card forgotten this many times is a leech.', 'leechThreshold', <input type="number" min={1} max={99} value={leechThreshold} onChange={(e) => setLeechThreshold(e.target.value)} />)}
      {field(
        'Leech action',
        'Leeches are always tagged “leech”; they can also be suspended.',
        'leechAction',
        <select value={leechAction} onChange={(e) => setLeechAction(e.target.value as Preset['leechAction'])}>
          <option value="tag">Tag only</option>
          <option value="suspend">Tag and suspend</option>
        </select>,
      )}
      <fieldset className="preset-group">
        <legend>Siblings (cards of the same note)</legend>
        <p className="muted small">Two cards of one note never come one after the other while another card is waiting. Burying also keeps them to different days.</p>
        {check('Bury new siblings', 'Answering a card hides its note’s other new cards until tomorrow.', buryNew, setBuryNew)}
        {check('Bury review siblings', 'Answering a card hides its note’s other reviews due today until tomorrow.', buryReview, setBuryReview)}
        {check('Bury interday learning siblings', 'Answering a card hides its note’s learning cards carried over from an earlier day until tomorrow.', buryInterday, setBuryInterday)}
      </fieldset>
      <fieldset className="preset-group">
        <legend>Display order (from the deck you study)</legend>
        {choice('New card gather order', 'Which new cards are picked for today.', 'newGatherOrder', newGatherOrder, setNewGatherOrder, GATHER_ORDERS)}
        {choice('New card sort order', 'The order today’s new cards come in. Card type first keeps a note’s cards apart.', 'newSortOrder', newSortOrder, setNewSortOrder, SORT_ORDERS)}
        {choice('Review sort order', 'The order of the reviews due today.', 'reviewSortOrder', reviewSortOrder, setReviewSortOrder, REVIEW_ORDERS)}
      </fieldset>
      <div className="preset-actions">
        <button type="submit" className="primary" disabled={save.busy}>
          Save preset
        </button>
        {preset.id !== 1 ? (
          <button type="button" className="danger-text" onClick={() => setConfirmDelete(true)}>
            Delete preset
          </button>
        ) : null}
        {saved ? (
          <span className="muted" role="status">
            Saved.
          </span>
        ) : null}
      </div>
      <ErrorMessage error={save.error} onDismiss={save.clearError} />
      <ConfirmDialog
        open={confirmDelete}
        title={`Delete the preset “${preset.name}”?`}
        confirmLabel="Delete preset"
        danger
        busy={remove.busy}
        onConfirm={() => void remove.run()}
        onCancel={() => setConfirmDelete(false)}
      >
        <p>{preset.decks > 0 ? `Its ${preset.decks} ${preset.decks === 1 ? 'deck goes' : 'decks go'} back to the Default preset.` : 'No deck uses it.'}</p>
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </form>
  );
}

function StarterDecks() {
  const starter = useApi('starter.list', undefined, ['decks', 'notes']);
  const [result, setResult] = useState<string>();
  const restore = useAction(async () => {
    setResult(undefined);
    const { added } = await api['starter.restore']();
    setResult(added ? `Restored ${added} ${added === 1 ? 'note' : 'notes'}.` : 'Nothing was missing.');
  });
  const decks = starter.data?.decks ?? [];
  const missing = decks.reduce((n, d) => n + d.notes - d.present, 0);
  return (
    <>
      <h3>Starter decks</h3>
      <p className="muted">Decks on the Scrum Guide, product management, technical project management and certification renewals. Restoring adds back the notes you deleted and leaves the rest as they are.</p>
      {starter.data ? (
        <ul className="plain-list">
          {decks.map((d) => (
            <li key={d.id}>
              {d.deck.replace(/^Starter::/, '')} · {d.present} of {d.notes} notes
            </li>
          ))}
        </ul>
      ) : (
        <Loading />
      )}
      <div className="preset-actions">
        <button type="button" onClick={() => void restore.run()} disabled={restore.busy || !starter.data}>
          {missing > 0 ? `Restore starter decks (${missing} missing)` : 'Restore starter decks'}
        </button>
        {result ? (
          <span className="muted" role="status">
            {result}
          </span>
        ) : null}
      </div>
      <ErrorMessage error={restore.error ?? starter.error} />
    </>
  );
}

export function FlashcardsSection() {
  const presets = useApi('presets.list', undefined, ['presets']);
  const [chosen, setChosen] = useState<number>(1);
  const [newName, setNewName] = useState('');
  const create = useAction(async () => {
    const preset = await api['presets.create']({ name: newName, copyFromId: chosen });
    setNewName('');
    setChosen(preset.id);
  });
  const list = presets.data?.presets ?? [];
  const preset = list.find((p) => p.id === chosen) ?? list[0];
  return (
    <section className="card settings-section" aria-labelledby="flashcards-heading">
      <h2 id="flashcards-heading">Flashcards</h2>
      <p className="muted">
        A preset holds the study options of the decks that use it (choose a deck's preset with Options on the Decks page). The hour a new study day starts is under General.
      </p>
      <div className="form-row">
        <label>
          <span>Preset</span>
          <select value={preset?.id ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
            {list.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.decks} {p.decks === 1 ? 'deck' : 'decks'})
              </option>
            ))}
          </select>
        </label>
        <form
          className="form-row"
          aria-label="New preset"
          onSubmit={(e) => {
            e.preventDefault();
            void create.run();
          }}
        >
          <label>
            <span>New preset (copy of this one)</span>
            <input value={newName} onChange={(e) => setNewName(e.target.value)} placeholder="e.g. Exam cram" maxLength={100} />
          </label>
          <button type="submit" disabled={create.busy || !newName.trim()}>
            Create
          </button>
        </form>
      </div>
      <ErrorMessage error={create.error ?? presets.error} onDismiss={create.error ? create.clearError : undefined} />
      {preset ? <PresetForm key={preset.id} preset={preset} /> : <Loading />}
      <StarterDecks />
    </section>
  );
}

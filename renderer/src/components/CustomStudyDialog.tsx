// Anki's Custom Study dialog for one deck: raise today's limits, or start a session of chosen cards.
import { useRef, useState, type FormEvent } from 'react';
import type { CustomStudyInput } from '../../../shared/contract/flashcards';
import { api } from '../api';
import { useAction } from '../hooks/useApi';
import { useFocusFirstProblem, wholeNumberProblem } from '../hooks/useFieldErrors';
import { navigate } from '../router';
import { Dialog, ErrorMessage, FieldError, fieldProps } from './ui';

type Mode = CustomStudyInput['mode'];
type State = Extract<CustomStudyInput, { mode: 'tag_state' }>['state'];

const MODES: { mode: Mode; label: string; hint: string; unit: 'cards' | 'days' }[] = [
  { mode: 'new_limit', label: "Increase today's new card limit", hint: 'More new cards from this deck today only.', unit: 'cards' },
  { mode: 'review_limit', label: "Increase today's review limit", hint: 'More reviews from this deck today only.', unit: 'cards' },
  { mode: 'forgotten', label: 'Review forgotten cards', hint: 'Cards you answered Again lately; answers reschedule them as usual.', unit: 'days' },
  { mode: 'ahead', label: 'Review ahead', hint: 'Reviews due in the coming days, studied early and rescheduled.', unit: 'days' },
  { mode: 'preview', label: 'Preview new cards', hint: 'New cards added lately, seen without changing their schedule.', unit: 'days' },
  { mode: 'tag_state', label: 'Study by card state or tag', hint: 'Choose cards by state, including or leaving out tags.', unit: 'cards' },
];

const STATES: [State, string][] = [
  ['new', 'New cards only'],
  ['due', 'Due cards only'],
  ['review', 'All review cards in random order'],
  ['all', 'All cards in random order (no rescheduling)'],
];

const DEFAULT_AMOUNT: Record<Mode, number> = { new_limit: 10, review_limit: 50, forgotten: 1, ahead: 1, preview: 1, tag_state: 100 };

const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);

export function CustomStudyDialog({ deckId, deckName, open, onClose, onLimit }: { deckId: number; deckName: string; open: boolean; onClose: () => void; onLimit: (message: string) => void }) {
  const [mode, setMode] = useState<Mode>('new_limit');
  const [amount, setAmount] = useState(String(DEFAULT_AMOUNT.new_limit));
  const [state, setState] = useState<State>('new');
  const [include, setInclude] = useState('');
  const [exclude, setExclude] = useState('');
  const [problems, setProblems] = useState<{ amount?: string }>({});
  const amountError = problems.amount;
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, problems);
  const chosen = MODES.find((m) => m.mode === mode)!;
  const amountLabel = chosen.unit === 'days' ? (mode === 'ahead' ? 'Days ahead' : 'Days back') : mode === 'tag_state' ? 'Cards at most' : 'Extra cards today';
  const start = useAction(async () => {
    const n = Number(amount);
    const input: CustomStudyInput =
      mode === 'tag_state'
        ? { deckId, mode, state, includeTags: words(include), excludeTags: words(exclude), count: n }
        : mode === 'new_limit' || mode === 'review_limit'
          ? { deckId, mode, count: n }
          : { deckId, mode, days: n };
    const result = await api['customStudy.create'](input);
    onClose();
    if (result.kind === 'limit') {
      onLimit(`Today's limits for ${deckName}: ${result.newToday} new, ${result.reviewToday} reviews.`);
    } else {
      navigate('study', { deck: String(deckId), session: String(result.session.id) });
    }
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = wholeNumberProblem(amount, {
      what: chosen.unit === 'days' ? 'the number of days' : 'the number of cards',
      min: 1,
      max: chosen.unit === 'days' ? 365 : 9999,
      example: DEFAULT_AMOUNT[mode],
    });
    setProblems({ amount: problem });
    if (!problem) void start.run();
  };
  return (
    <Dialog
      open={open}
      title={`Custom study: ${deckName}`}
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="custom-study-form" className="primary" disabled={start.busy}>
            {mode === 'new_limit' || mode === 'review_limit' ? 'Raise limit' : 'Start session'}
          </button>
        </>
      }
    >
      <form ref={form} id="custom-study-form" className="custom-study" onSubmit={submit} noValidate>
        <fieldset>
          <legend className="visually-hidden">What to study</legend>
          {MODES.map((m) => (
            <label key={m.mode} className="custom-study-mode">
              <input
                type="radio"
                name="custom-study-mode"
                checked={mode === m.mode}
                onChange={() => {
                  setMode(m.mode);
                  setAmount(String(DEFAULT_AMOUNT[m.mode]));
                  setProblems({});
                }}
              />
              <span>
                {m.label}
                <small className="muted">{m.hint}</small>
              </span>
            </label>
          ))}
        </fieldset>
        <label className="custom-study-amount">
          <span>{amountLabel}</span>
          <input
            type="number"
            min={1}
            max={chosen.unit === 'days' ? 365 : 9999}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            required
            {...fieldProps('custom-study-amount-error', amountError)}
          />
        </label>
        <FieldError id="custom-study-amount-error" error={amountError} />
        {mode === 'tag_state' ? (
          <>
            <label>
              <span>Cards</span>
              <select value={state} onChange={(e) => setState(e.target.value as State)}>
                {STATES.map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>With any of these tags (optional)</span>
              <input value={include} onChange={(e) => setInclude(e.target.value)} placeholder="e.g. scrum exam::pmp" />
            </label>
            <label>
              <span>Without these tags (optional)</span>
              <input value={exclude} onChange={(e) => setExclude(e.target.value)} placeholder="e.g. leech" />
            </label>
          </>
        ) : null}
        <ErrorMessage error={start.error} onDismiss={start.clearError} />
      </form>
    </Dialog>
  );
}

// Settings → FSRS parameters: fit a preset's parameters to your own reviews (progress, cancel), see how
// well the fit predicts them beside the defaults, apply it (optionally rescheduling your cards after a
// backup), restore the previous set, and simulate a year of study to choose a desired retention.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FitMetrics, FsrsPhase, FsrsStatus, OptimizeResult, Simulation } from '../../../../shared/contract/fsrs';
import type { DeckSummary } from '../../../../shared/contract/decks';
import type { Preset } from '../../../../shared/contract/flashcards';
import { api, ApiError, onEvent } from '../../api';
import { ConfirmDialog, ErrorMessage, FieldError, fieldProps, Loading, ProgressBar } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import { wholeNumberProblem } from '../../hooks/useFieldErrors';
import { instantDayText } from '../../dates';
import { CategoryChart } from '../stats/Charts';
import '../import.css';
import './fsrs.css';

const PHASES: Record<FsrsPhase, string> = {
  reading: 'Reading your review history',
  preparing: 'Preparing the training set',
  fitting: 'Fitting the parameters',
  evaluating: 'Measuring the fit',
  simulating: 'Simulating a year of study',
  rescheduling: 'Working out new schedules',
};

interface Progress {
  phase: FsrsPhase;
  done: number;
  total: number;
}

const newJobId = () => `fsrs-${crypto.randomUUID()}`;
const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

/** Runs one FSRS job with its progress events; cancel stops the worker. */
function useFsrsJob() {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string>();
  const current = useRef<string | null>(null);
  const run = useCallback(async <T,>(work: (jobId: string) => Promise<T>): Promise<T | undefined> => {
    const jobId = newJobId();
    current.current = jobId;
    setRunning(true);
    setProgress(null);
    setError(undefined);
    const off = onEvent('fsrs.progress', (p) => {
      if (p.jobId === jobId) setProgress({ phase: p.phase, done: p.done, total: p.total });
    });
    try {
      return await work(jobId);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'cancelled')) setError((err as Error).message);
      return undefined;
    } finally {
      off();
      current.current = null;
      setRunning(false);
    }
  }, []);
  const cancel = useCallback(() => {
    if (current.current) void api['fsrs.cancel']({ jobId: current.current });
  }, []);
  return { run, cancel, running, progress, error, clearError: () => setError(undefined) };
}

function JobProgress({ progress, onCancel }: { progress: Progress | null; onCancel: () => void }) {
  const label = progress ? PHASES[progress.phase] : 'Starting';
  const estimate = progress?.phase === 'fitting';
  const share = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : null;
  return (
    <div className="job-progress fsrs-progress" aria-live="polite">
      <div className="job-progress-text">
        <strong>{label}…</strong>
        <span className="muted">{share === null ? '' : estimate ? `about ${share} % (estimated)` : `${share} %`}</span>
      </div>
      <ProgressBar label={label} value={progress ? progress.done : null} max={progress?.total || 1} />
      <div>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

function MetricsTable({ result }: { result: Extract<OptimizeResult, { status: 'done' }> }) {
  const rows: [string, FitMetrics, string?][] = [['FSRS defaults', result.defaults]];
  if (result.current) rows.push(['In use now', result.current]);
  rows.push(['Fitted to your reviews', result.fitted, 'fitted']);
  const best = Math.min(...rows.map(([, m]) => m.logLoss));
  return (
    <table className="fsrs-metrics">
      <caption className="muted">Lower is better for both. Measured on {result.measured.toLocaleString()} of your reviews{result.measured < result.items ? ` (an even spread of ${result.items.toLocaleString()})` : ''}.</caption>
      <thead>
        <tr>
          <th scope="col">Parameters</th>
          <th scope="col">Log loss</th>
          <th scope="col">RMSE (bins)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, m, cls]) => (
          <tr key={name} className={cls}>
            <th scope="row">
              {name}
              {m.logLoss === best ? <span className="badge ok">best</span> : null}
            </th>
            <td>{m.logLoss.toFixed(4)}</td>
            <td>{pct(m.rmseBins, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusLine({ status }: { status: FsrsStatus }) {
  const fit = status.current;
  if (status.usingDefaults) return <p>This preset schedules with FSRS’s default parameters, fitted to the reviews of thousands of learners.</p>;
  if (!fit) return <p>This preset schedules with parameters of its own.</p>;
  return (
    <p>
      This preset schedules with parameters {fit.origin === 'imported' ? 'imported from an Anki package' : `fitted to ${fit.reviews.toLocaleString()} of your reviews (${fit.scope})`}
      {fit.appliedAt ? `, applied on ${instantDayText(fit.appliedAt)}` : ''}.
      {fit.metrics && fit.defaultMetrics
        ? ` On those reviews: log loss ${fit.metrics.logLoss.toFixed(4)} (defaults ${fit.defaultMetrics.logLoss.toFixed(4)}), RMSE ${pct(fit.metrics.rmseBins)} (defaults ${pct(fit.defaultMetrics.rmseBins)}).`
        : ''}
    </p>
  );
}

/**
 * The deck trees the optimiser can train on instead of the whole preset: each top-level deck with at
 * least one deck in its tree that uses the preset (a tree of other presets' decks says nothing about it).
 */
function presetTrees(decks: readonly DeckSummary[], presetId: number): { id: number; label: string }[] {
  const byId = new Map(decks.map((d) => [d.id, d]));
  const rootOf = (d: DeckSummary): DeckSummary => {
    let at = d;
    for (let parent = at.parentId; parent !== null && byId.has(parent); parent = at.parentId) at = byId.get(parent)!;
    return at;
  };
  const roots = new Map<number, { name: string; size: number; uses: boolean }>();
  for (const d of decks) {
    const root = rootOf(d);
    const entry = roots.get(root.id) ?? { name: root.name, size: 0, uses: false };
    entry.size += 1;
    entry.uses ||= d.presetId === presetId;
    roots.set(root.id, entry);
  }
  return [...roots]
    .filter(([, r]) => r.uses)
    .map(([id, r]) => ({ id, label: r.size > 1 ? `“${r.name}” and its subdecks` : `“${r.name}”` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

function Optimiser({ preset, status }: { preset: Preset; status: FsrsStatus }) {
  const decks = useApi('decks.list', undefined, ['decks']);
  const [deckId, setDeckId] = useState<number | 0>(0);
  const [result, setResult] = useState<OptimizeResult | null>(null);
  const [reschedule, setReschedule] = useState(false);
  const [insist, setInsist] = useState(false);
  const [applied, setApplied] = useState<string | null>(null);
  const job = useFsrsJob();
  const apply = useAction(async (force: boolean) => {
    if (result?.status !== 'done') return;
    const out = await job.run((jobId) => api['fsrs.apply']({ fitId: result.fitId, force, reschedule, jobId }));
    if (!out) return;
    setResult(null);
    setInsist(false);
    setApplied(
      out.rescheduled === null
        ? 'Applied: your next answers are scheduled with the fitted parameters.'
        : `Applied, and ${out.rescheduled.toLocaleString()} cards were rescheduled from their history. The backup made first (${out.backup}) is listed under Your data if you want the old schedule back.`,
    );
  });
  const takeImported = useAction(async (fitId: number) => {
    await api['fsrs.apply']({ fitId });
    setApplied('Applied: your next answers are scheduled with the parameters from Anki.');
  });
  const discardImported = useAction(async (fitId: number) => {
    await api['fsrs.discard']({ fitId });
  });
  const restore = useAction(async () => {
    await api['fsrs.restore']({ presetId: preset.id });
    setApplied(null);
  });
  useEffect(() => {
    setResult(null);
    setApplied(null);
  }, [preset.id]);

  const optimise = async () => {
    setApplied(null);
    setResult(null);
    const out = await job.run((jobId) => api['fsrs.optimize']({ jobId, presetId: preset.id, deckId: deckId || undefined }));
    if (out) setResult(out);
  };
  const trees = presetTrees(decks.data?.decks ?? [], preset.id);
  const restoreLabel = status.restore ? (status.restore.to === 'defaults' ? 'Restore the defaults' : 'Restore the previous parameters') : null;

  return (
    <>
      <StatusLine status={status} />
      {status.unavailable ? <p className="notice warning">{status.unavailable}</p> : null}
      {status.offered ? (
        <div className="notice">
          <span>{status.offered.scope} carried FSRS parameters fitted in Anki for the decks that use this preset.</span>
          <button type="button" onClick={() => void takeImported.run(status.offered!.id)} disabled={job.running || takeImported.busy}>
            Use them
          </button>
          <button type="button" onClick={() => void discardImported.run(status.offered!.id)} disabled={job.running || discardImported.busy || takeImported.busy}>
            Discard
          </button>
        </div>
      ) : null}
      <div className="form-row">
        <label>
          <span>Train on</span>
          <select value={deckId} onChange={(e) => setDeckId(Number(e.target.value))} disabled={job.running}>
            <option value={0}>Every deck using “{preset.name}”</option>
            {trees.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void optimise()} disabled={job.running || status.unavailable !== null}>
          Optimise
        </button>
        {restoreLabel ? (
          <button type="button" onClick={() => void restore.run()} disabled={job.running || restore.busy}>
            {restoreLabel}
          </button>
        ) : null}
      </div>
      {job.running ? <JobProgress progress={job.progress} onCancel={job.cancel} /> : null}
      <ErrorMessage
        error={job.error ?? apply.error ?? restore.error ?? takeImported.error ?? discardImported.error}
        onDismiss={() => (job.clearError(), apply.clearError(), restore.clearError(), takeImported.clearError(), discardImported.clearError())}
      />
      {applied ? (
        <p className="notice" role="status">
          {applied}
        </p>
      ) : null}
      {result?.status === 'too_few' ? (
        <p className="notice" role="status">
          {result.message}
        </p>
      ) : null}
      {result?.status === 'done' ? (
        <div className="fsrs-result" role="region" aria-label="Optimisation result">
          <MetricsTable result={result} />
          <p>{result.verdict}</p>
          <p className="muted small">
            {result.reviews.toLocaleString()} reviews used ({result.scope}), {result.seconds.toLocaleString()} s.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={reschedule} onChange={(e) => setReschedule(e.target.checked)} />
            Also reschedule my cards from their history with the new parameters (a backup is made first)
          </label>
          <div className="preset-actions">
            {result.better ? (
              <button type="button" className="primary" onClick={() => void apply.run(false)} disabled={apply.busy || job.running}>
                Apply
              </button>
            ) : (
              <button type="button" onClick={() => setInsist(true)} disabled={apply.busy || job.running}>
                Apply anyway…
              </button>
            )}
            <button type="button" onClick={() => setResult(null)} disabled={job.running}>
              Discard
            </button>
          </div>
        </div>
      ) : null}
      <ConfirmDialog
        open={insist}
        title="Apply parameters that predict worse?"
        confirmLabel="Apply anyway"
        busy={apply.busy}
        onConfirm={() => {
          setInsist(false);
          void apply.run(true);
        }}
        onCancel={() => setInsist(false)}
      >
        <p>On your reviews these parameters predicted recall less well than the ones in use. You can restore the current ones afterwards.</p>
      </ConfirmDialog>
    </>
  );
}

function RetentionHelper({ preset }: { preset: Preset }) {
  const [newPerDay, setNewPerDay] = useState(String(preset.newPerDay));
  const [reviewsPerDay, setReviewsPerDay] = useState(String(preset.reviewsPerDay));
  const [sim, setSim] = useState<Simulation | null>(null);
  const job = useFsrsJob();
  const use = useAction(async (retention: number) => {
    await api['presets.update']({ id: preset.id, desiredRetention: retention });
  });
  useEffect(() => setSim(null), [preset.id]);
  const [problems, setProblems] = useState<{ newPerDay?: string; reviewsPerDay?: string }>({});
  const simulate = async () => {
    const found = {
      newPerDay: wholeNumberProblem(newPerDay, { what: 'new cards a day', min: 0, max: 9999, example: 20 }),
      reviewsPerDay: wholeNumberProblem(reviewsPerDay, { what: 'reviews a day at most', min: 1, max: 99999, example: 200 }),
    };
    setProblems(found);
    if (found.newPerDay || found.reviewsPerDay) return;
    const out = await job.run((jobId) =>
      api['fsrs.simulate']({ jobId, presetId: preset.id, newPerDay: Number(newPerDay), reviewsPerDay: Number(reviewsPerDay) }),
    );
    if (out) setSim(out);
  };
  const labels = useMemo(() => sim?.rows.map((r) => String(Math.round(r.retention * 100))) ?? [], [sim]);
  // The retention with the least work per card remembered, as a bar under each curve (named in the legend).
  const bestLabel = sim ? `Least work per card remembered (${Math.round(sim.best * 100)} %)` : '';
  const atBest = useCallback((value: (r: Simulation['rows'][number]) => number) => sim?.rows.map((r) => (r.retention === sim.best ? value(r) : null)) ?? [], [sim]);
  const workload = useMemo(
    () => [
      { label: 'Reviews a day', values: sim?.rows.map((r) => r.reviewsPerDay) ?? [], color: '--accent', kind: 'line' as const },
      { label: bestLabel, values: atBest((r) => r.reviewsPerDay), color: '--warn', kind: 'bars' as const },
    ],
    [sim, bestLabel, atBest],
  );
  const knowledge = useMemo(
    () => [
      { label: 'Cards remembered', values: sim?.rows.map((r) => r.remembered) ?? [], color: '--ok', kind: 'line' as const },
      { label: bestLabel, values: atBest((r) => r.remembered), color: '--warn', kind: 'bars' as const },
    ],
    [sim, bestLabel, atBest],
  );
  const count = useCallback((v: number) => (Math.abs(v) < 10 ? v.toFixed(1) : v.toFixed(0)), []);

  return (
    <>
      <h3 id="retention-heading">Desired retention</h3>
      <p className="muted">
        Simulates a year of study of this preset’s cards with its parameters, for desired retentions from 70 % to 97 %: how many reviews a day it
        takes and how many cards you would remember at the end. The marked one costs the fewest reviews per card remembered.
      </p>
      <div className="form-row">
        <div className="field-stack">
          <label>
            <span>New cards a day</span>
            <input type="number" min={0} max={9999} value={newPerDay} onChange={(e) => setNewPerDay(e.target.value)} {...fieldProps('sim-new-error', problems.newPerDay)} />
          </label>
          <FieldError id="sim-new-error" error={problems.newPerDay} />
        </div>
        <div className="field-stack">
          <label>
            <span>Reviews a day at most</span>
            <input type="number" min={1} max={99999} value={reviewsPerDay} onChange={(e) => setReviewsPerDay(e.target.value)} {...fieldProps('sim-reviews-error', problems.reviewsPerDay)} />
          </label>
          <FieldError id="sim-reviews-error" error={problems.reviewsPerDay} />
        </div>
        <button type="button" onClick={() => void simulate()} disabled={job.running}>
          Simulate a year
        </button>
      </div>
      {job.running ? <JobProgress progress={job.progress} onCancel={job.cancel} /> : null}
      <ErrorMessage error={job.error ?? use.error} onDismiss={() => (job.clearError(), use.clearError())} />
      {sim ? (
        <div className="fsrs-simulation" role="region" aria-labelledby="retention-heading">
          <p>
            {sim.cards.toLocaleString()} cards ({sim.newCards.toLocaleString()} new), {sim.newPerDay} new and at most {sim.reviewsPerDay} reviews a day, {sim.days}{' '}
            days. Least work per card remembered: <strong>{Math.round(sim.best * 100)} %</strong>
            {Math.abs(sim.best - preset.desiredRetention) < 0.005 ? ' (the desired retention now).' : '.'}
          </p>
          <div className="fsrs-charts">
            <figure>
              <figcaption>Reviews a day, by desired retention (%)</figcaption>
              <CategoryChart labels={labels} series={workload} height={180} yFormat={count} ariaLabel={`Reviews a day by desired retention; least work per card remembered at ${Math.round(sim.best * 100)} %`} />
            </figure>
            <figure>
              <figcaption>Cards remembered after {sim.days} days</figcaption>
              <CategoryChart labels={labels} series={knowledge} height={180} yFormat={count} ariaLabel={`Cards remembered by desired retention; least work per card remembered at ${Math.round(sim.best * 100)} %`} />
            </figure>
          </div>
          <div className="table-scroll">
            <table className="fsrs-simulation-table">
              <thead>
                <tr>
                  <th scope="col">Desired retention</th>
                  <th scope="col">Reviews a day</th>
                  <th scope="col">Cards remembered</th>
                  <th scope="col">Reviews per card remembered</th>
                  <th scope="col">
                    <span className="visually-hidden">Use</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {sim.rows.map((r) => (
                  <tr key={r.retention} className={r.retention === sim.best ? 'best' : undefined}>
                    <th scope="row">
                      {Math.round(r.retention * 100)} %{r.retention === sim.best ? <span className="badge ok">least work</span> : null}
                      {Math.abs(r.retention - preset.desiredRetention) < 0.005 ? <span className="badge">now</span> : null}
                    </th>
                    <td>{r.reviewsPerDay.toFixed(1)}</td>
                    <td>{Math.round(r.remembered).toLocaleString()}</td>
                    <td>{r.reviewsPerRemembered.toFixed(2)}</td>
                    <td>
                      {Math.abs(r.retention - preset.desiredRetention) >= 0.005 ? (
                        <button type="button" className="link" onClick={() => void use.run(r.retention)} disabled={use.busy}>
                          Use {Math.round(r.retention * 100)} %
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </>
  );
}

export function FsrsSection() {
  const presets = useApi('presets.list', undefined, ['presets']);
  const [chosen, setChosen] = useState(1);
  const list = presets.data?.presets ?? [];
  const preset = list.find((p) => p.id === chosen) ?? list[0];
  const status = useApi('fsrs.status', { presetId: preset?.id ?? 1 }, ['presets', 'fsrs']);
  return (
    <section className="card settings-section" aria-labelledby="fsrs-heading">
      <h2 id="fsrs-heading">FSRS parameters</h2>
      <p className="muted">
        FSRS predicts when you would forget a card from 21 parameters. Optimising fits them to your own review history (imported Anki reviews count) and
        shows how well each set predicts it; Cadence applies the fitted set only when it predicts better, and you can always go back.
      </p>
      <label className="setting">
        <span>
          Preset
          <small className="muted">Parameters belong to a preset and schedule every deck that uses it.</small>
        </span>
        <select value={preset?.id ?? ''} onChange={(e) => setChosen(Number(e.target.value))}>
          {list.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={presets.error ?? status.error} />
      {preset && status.data && status.data.presetId === preset.id ? (
        <>
          <Optimiser key={preset.id} preset={preset} status={status.data} />
          <RetentionHelper key={`r${preset.id}`} preset={preset} />
        </>
      ) : (
        <Loading />
      )}
    </section>
  );
}

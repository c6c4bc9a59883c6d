// The FSRS optimiser end to end on a history whose memory model is known: reviews generated with ts-fsrs
// from known parameters reach Cadence as an imported Anki package (imported histories count), the
// optimiser fits one deck's history in its worker thread, and on the other deck's cards (held out) the
// fit predicts recall better than FSRS's defaults and about as well as the true parameters.
import { afterEach, describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import { makeFsrsService } from '../../electron/core/fsrs/service';
import { legacyPackage } from './transfer-fixtures';
import { knownParamsCollection, TRUE_PARAMS } from './fsrs-fixtures';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const START = new Date('2026-01-05T00:00:00Z').getTime();
const END = START + 300 * 86_400_000;

async function importKnownHistory(counts: { train: number; heldOut: number }) {
  core = await makeTestCore({ clock: { now: () => END + 3_600_000, set: () => {}, advance: () => {} } });
  const col = knownParamsCollection(
    [
      { id: 81, name: 'Train', count: counts.train },
      { id: 82, name: 'Held out', count: counts.heldOut },
    ],
    START,
    END,
  );
  const { stagedId } = await core.call('files.stage', { name: 'history.apkg', bytes: new Uint8Array(legacyPackage(col)) });
  const summary = await core.call('import.anki', { stagedId, jobId: 'import-history' });
  expect(summary.reviewsAdded).toBe(col.revlog.length);
  const deckId = (name: string) => core.ctx.db.prepare<[string], number>('SELECT id FROM decks WHERE name = ?').pluck().get(name)!;
  return { train: deckId('Train'), heldOut: deckId('Held out'), reviews: col.revlog.length };
}

describe('FSRS optimiser', () => {
  it('fits an imported history generated from known parameters: better than the defaults on held-out cards', async () => {
    const { train, heldOut } = await importKnownHistory({ train: 1200, heldOut: 600 });
    const progress: string[] = [];
    const result = await core.call('fsrs.optimize', { jobId: 'fit-1', presetId: 1, deckId: train });
    for (const e of core.events) if (e.name === 'fsrs.progress') progress.push((e.payload as { phase: string }).phase);
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(new Set(progress)).toEqual(new Set(['reading', 'preparing', 'fitting', 'evaluating']));
    expect(result.scope).toBe('“Train”');
    expect(result.items).toBeGreaterThan(1000);
    // On the reviews it was fitted to, the fit beats the defaults (and the preset uses the defaults).
    expect(result.better).toBe(true);
    expect(result.current).toBeNull();
    expect(result.fitted.logLoss).toBeLessThan(result.defaults.logLoss);

    // Held out: cards the optimiser never saw.
    const fsrs = makeFsrsService(core.ctx);
    const { items, metrics } = await fsrs.measure([heldOut], [result.params, null, TRUE_PARAMS]);
    const [fitted, defaults, truth] = metrics as [typeof metrics[0], typeof metrics[0], typeof metrics[0]];
    expect(items).toBeGreaterThan(500);
    expect(fitted.logLoss).toBeLessThan(defaults.logLoss);
    expect(fitted.rmseBins).toBeLessThan(defaults.rmseBins);
    // Recovered within tolerance: it predicts held-out recall nearly as well as the parameters that made it.
    expect(fitted.logLoss).toBeLessThan(truth.logLoss * 1.02);
    // The first-answer stabilities (the parameters this learner differs in most) move from the defaults
    // towards the true ones.
    for (const i of [0, 1, 2, 3]) {
      expect(Math.abs(result.params[i]! - TRUE_PARAMS[i]!), `w[${i}]`).toBeLessThan(Math.abs(default_w[i]! - TRUE_PARAMS[i]!));
    }
  }, 120_000);
});

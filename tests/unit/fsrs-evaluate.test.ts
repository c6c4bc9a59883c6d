// Cadence's own log loss and RMSE(bins) (evaluate.ts) agree with the FSRS reference implementation's
// evaluate(), on histories generated from known parameters: always against the numbers the reference
// implementation gave for these histories (recorded here), and live where the installed native build
// has evaluate() (the newer build installed on Linux x64). And the optimiser's build installed here fits
// the same parameters as the build every other platform installs (0.1.2, its result recorded here).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { default_w } from 'ts-fsrs';
import type * as Binding from '@open-spaced-repetition/binding';
import { evaluateFit } from '../../electron/core/fsrs/evaluate';
import { MemoryModel } from '../../electron/core/fsrs/simulate';
import type { CardHistory } from '../../electron/core/fsrs/trainingSet';
import { knownHistories, TRUE_PARAMS } from './fsrs-fixtures';

/** The native module's items for `cards`, in time order (as the optimiser is given them). */
function nativeItems(binding: typeof Binding, cards: CardHistory[]): Binding.FSRSBindingItem[] {
  const dated: { time: number; item: Binding.FSRSBindingItem }[] = [];
  for (const card of cards) {
    const reviews = card.ratings.map((g, k) => new binding.FSRSBindingReview(g, card.deltas[k]!));
    for (const k of card.targets) dated.push({ time: card.times[k]!, item: new binding.FSRSBindingItem(reviews.slice(0, k + 1)) });
  }
  return dated.sort((a, b) => a.time - b.time).map((d) => d.item);
}

const binding = createRequire(import.meta.url)('@open-spaced-repetition/binding') as typeof Binding;
/** The newer native build's evaluate() (not in the pinned version's types), or undefined where the build lacks it. */
type Evaluate = (this: Binding.FSRSBinding, items: Binding.FSRSBindingItem[]) => { logLoss: number; rmseBins: number };
const nativeEvaluateFn = (binding.FSRSBinding.prototype as unknown as { evaluate?: Evaluate }).evaluate;
const nativeEvaluate = typeof nativeEvaluateFn === 'function';
const native = (w: number[], items: Binding.FSRSBindingItem[]) => nativeEvaluateFn!.call(new binding.FSRSBinding(w), items);

/** Each card's items after its first day-apart answer (see below why). */
const laterItems = (cards: CardHistory[]) => cards.map((c) => ({ ...c, targets: c.targets.slice(1) })).filter((c) => c.targets.length > 0);

/** What the reference implementation's evaluate() (binding 0.5.0) gave on laterItems(knownHistories(1500, 11)). */
const RECORDED_METRICS = {
  defaults: { logLoss: 0.343900591135025, rmseBins: 0.03177288547158241 },
  truth: { logLoss: 0.34244757890701294, rmseBins: 0.028663523495197296 },
};

/** What computeParameters of binding 0.1.2 (the build macOS, Windows and Linux arm64 install) fitted to knownHistories(400, 5). */
const RECORDED_FIT_0_1_2 = [
  0.6771430373191833, 2.592813730239868, 7.78914737701416, 9.037172317504883, 6.40471887588501, 0.8279064297676086, 2.9630863666534424, 0.0010000000474974513,
  1.8353633880615234, 0.12695759534835815, 0.7670987248420715, 1.4798170328140259, 0.05301155894994736, 0.2486998587846756, 1.6582322120666504, 0.5792348384857178,
  1.8328769207000732, 0.5522390604019165, 0.10966508090496063, 0.06869883835315704, 0.20833073556423187,
];

describe('FSRS evaluation', () => {
  const cards = knownHistories(1500, 11);
  const sets = { defaults: [...default_w], truth: TRUE_PARAMS };

  it('gives the numbers the reference implementation gave for the same reviews', () => {
    const later = laterItems(cards);
    for (const [name, w] of Object.entries(sets)) {
      const ours = evaluateFit(later, w, MemoryModel);
      expect(ours.logLoss, name).toBeCloseTo(RECORDED_METRICS[name as keyof typeof sets].logLoss, 5);
      expect(ours.rmseBins, name).toBeCloseTo(RECORDED_METRICS[name as keyof typeof sets].rmseBins, 5);
    }
    // The parameters that made the reviews predict them better than the defaults.
    expect(evaluateFit(cards, TRUE_PARAMS, MemoryModel).logLoss).toBeLessThan(evaluateFit(cards, default_w, MemoryModel).logLoss);
  });

  it('fits the same parameters with the optimiser installed here as with the build other platforms install', async () => {
    const fitCards = knownHistories(400, 5);
    const params = await binding.computeParameters(nativeItems(binding, fitCards), { enableShortTerm: true, numRelearningSteps: 1 });
    expect(params).toHaveLength(21);
    params.forEach((p, i) => expect(Math.abs(p - RECORDED_FIT_0_1_2[i]!), `w[${i}]`).toBeLessThan(0.01 * Math.max(1, Math.abs(p))));
    // And they predict alike.
    const a = evaluateFit(fitCards, params, MemoryModel).logLoss;
    const b = evaluateFit(fitCards, RECORDED_FIT_0_1_2, MemoryModel).logLoss;
    expect(Math.abs(a - b) / b).toBeLessThan(0.001);
  }, 60_000);

  it.runIf(nativeEvaluate)('matches the reference implementation’s evaluate()', () => {
    // The binding's evaluate() first sets apart each card's first day-apart answer (the items its
    // optimiser uses to initialise stability), drops those from rare first intervals and puts the rest
    // first before weighting by position; Cadence, like Anki, weights every item by its time. Without
    // those items both see the same items in the same order and must agree to float precision.
    const later = laterItems(cards);
    const items = nativeItems(binding, later);
    expect(items.length).toBeGreaterThan(5000);
    for (const [name, w] of Object.entries(sets)) {
      const ours = evaluateFit(later, w, MemoryModel);
      const theirs = native(w, items);
      expect(ours.logLoss, name).toBeCloseTo(theirs.logLoss, 5);
      expect(ours.rmseBins, name).toBeCloseTo(theirs.rmseBins, 5);
    }
    // With them, the same to within that difference.
    for (const [name, w] of Object.entries(sets)) {
      const ours = evaluateFit(cards, w, MemoryModel);
      const theirs = native(w, nativeItems(binding, cards));
      expect(Math.abs(ours.logLoss - theirs.logLoss) / theirs.logLoss, name).toBeLessThan(0.002);
      expect(Math.abs(ours.rmseBins - theirs.rmseBins), name).toBeLessThan(0.001);
    }
  });
});

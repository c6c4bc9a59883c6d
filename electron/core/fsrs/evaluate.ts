// How well a parameter set predicts a training set: log loss and RMSE(bins), as the FSRS reference
// implementation measures them (fsrs-rs's FSRS::evaluate, which Anki shows as "Log loss" and "RMSE (bins)";
// its definitions followed here, not its code):
//
// - Every training item (an answer that is the first of its day after an earlier day) is predicted from
//   the card's history before it: recall = the forgetting curve at the days since the previous answer,
//   at the stability FSRS-6 computes from that history (same-day answers update it by the short-term
//   formula). Its label is 1 unless the answer was Again.
// - Items are weighted by recency in time order: 0.25 + 0.75 × (rank / (n − 1))³, so the newest count
//   four times as much as the oldest.
// - Log loss: the weighted mean of −[y ln p + (1 − y) ln(1 − p)].
// - RMSE(bins): items grouped by (days since the last answer, number of earlier day-apart answers,
//   earlier lapses), each on a logarithmic scale; per bin, the mean predicted recall against the share
//   recalled, squared, weighted by the bin's total weight; the square root of their weighted mean.
//
// The optimiser's native module has this measure only in its newer builds, which are not published for
// every platform; computing it here makes the evaluation the same code on every computer (a test checks
// it against the native measure where that exists).
//
// Self-contained (no imports at run time, no module-level values): worker.ts runs this function's own
// source in its worker thread, with the memory model passed in.
import type { CardHistory } from './trainingSet';
import type { MemoryModel } from './simulate';

export interface Fit {
  logLoss: number;
  rmseBins: number;
}

/** Log loss and RMSE(bins) of parameters `w` on the training items of `cards`. */
export function evaluateFit(cards: readonly CardHistory[], w: readonly number[], Model: typeof MemoryModel): Fit {
  // Retention and maximum interval only matter for intervals, which are not used here.
  const m = new Model(w, 0.9, 36500);
  let n = 0;
  for (const card of cards) n += card.targets.length;
  if (n === 0) return { logLoss: NaN, rmseBins: NaN };
  const predicted = new Float64Array(n);
  const recalled = new Uint8Array(n);
  const bins = new Float64Array(n);
  const times = new Float64Array(n);
  // fsrs-rs's bins: each count on a log scale, rounded (the day bin in hundredths).
  const logBin = (x: number, scale: number, base: number) => Math.round(scale * Math.pow(base, Math.floor(Math.log(x) / Math.log(base))));
  let i = 0;
  for (const card of cards) {
    let s = 0;
    let d = 0;
    let longTerm = 0;
    let lapses = 0;
    let next = 0;
    for (let k = 0; k < card.ratings.length; k++) {
      const g = card.ratings[k]!;
      const dt = card.deltas[k]!;
      if (k === 0) {
        s = m.initStability(g);
        d = Math.min(10, Math.max(1, m.initDifficulty(g)));
        continue;
      }
      if (dt === 0) {
        s = m.shortTermStability(s, g);
        d = m.nextDifficulty(d, g);
        continue;
      }
      const r = m.recall(dt, s);
      longTerm += 1;
      if (card.targets[next] === k) {
        next++;
        predicted[i] = r;
        recalled[i] = g > 1 ? 1 : 0;
        times[i] = card.times[k]!;
        // Day bin × 1e6 + length bin × 1e3 + lapse bin: each part below its factor for any real history.
        const lengthBin = logBin(longTerm + 1, 1.99, 1.89);
        const lapseBin = lapses === 0 ? 0 : logBin(lapses, 1.65, 1.73);
        bins[i] = logBin(dt, 248, 3.62) * 1e6 + Math.min(999, lengthBin) * 1e3 + Math.min(999, lapseBin);
        i++;
      }
      s = g === 1 ? m.forgetStability(d, s, r) : m.recallStability(d, s, r, g);
      d = m.nextDifficulty(d, g);
      if (g === 1) lapses += 1;
    }
  }

  // Recency weights by rank in time order (ties keep the cards' order, as a stable sort does).
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => times[a]! - times[b]! || a - b);
  const last = Math.max(1, n - 1);
  let loss = 0;
  let weightSum = 0;
  const binTotals = new Map<number, { predicted: number; recalled: number; count: number; weight: number }>();
  for (let rank = 0; rank < n; rank++) {
    const j = order[rank]!;
    const weight = 0.25 + 0.75 * Math.pow(rank / last, 3);
    const p = Math.min(0.9999, Math.max(0.0001, predicted[j]!));
    loss -= weight * (recalled[j] ? Math.log(p) : Math.log(1 - p));
    weightSum += weight;
    let bin = binTotals.get(bins[j]!);
    if (!bin) binTotals.set(bins[j]!, (bin = { predicted: 0, recalled: 0, count: 0, weight: 0 }));
    bin.predicted += predicted[j]!;
    bin.recalled += recalled[j]!;
    bin.count += 1;
    bin.weight += weight;
  }
  let squared = 0;
  let binWeight = 0;
  for (const bin of binTotals.values()) {
    squared += Math.pow(bin.predicted / bin.count - bin.recalled / bin.count, 2) * bin.weight;
    binWeight += bin.weight;
  }
  return { logLoss: loss / weightSum, rmseBins: Math.sqrt(squared / binWeight) };
}

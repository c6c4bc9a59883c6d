// Fitted parameter sets (fsrs_fits) and the set each preset schedules with (presets.fsrs_params).
// Applying a set writes presets.fsrs_params, so the study queue's snapshot of the presets (studyConfig.ts)
// is rebuilt by its trigger and the very next answer is scheduled with it.
import { default_w } from 'ts-fsrs';
import type { FitMetrics, FitSummary, FsrsStatus } from '../../../shared/contract/fsrs';
import { FSRS_PARAM_COUNT } from '../../../shared/contract/fsrs';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';

/** FSRS-6's default parameters (ts-fsrs's, the same as the optimiser's). */
export const DEFAULT_PARAMS: readonly number[] = [...default_w];

interface FitRow {
  id: number;
  preset_id: number;
  origin: 'optimised' | 'imported';
  scope: string;
  params: string;
  reviews: number;
  items: number;
  log_loss: number | null;
  rmse_bins: number | null;
  default_log_loss: number | null;
  default_rmse_bins: number | null;
  better: 0 | 1 | null;
  created_at: number;
  applied_at: number | null;
  replaced_params: string | null;
  restored_at: number | null;
}

export interface NewFit {
  presetId: number;
  origin: 'optimised' | 'imported';
  scope: string;
  params: readonly number[];
  reviews: number;
  items: number;
  metrics: FitMetrics | null;
  defaultMetrics: FitMetrics | null;
  /** Whether it predicted better than the set in use when it was fitted (null: not measured). */
  better: boolean | null;
}

/** A stored parameter list, or null when it is not 21 finite numbers. */
export function parseParams(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) && value.length === FSRS_PARAM_COUNT && value.every((x) => typeof x === 'number' && Number.isFinite(x)) ? value : null;
  } catch {
    return null;
  }
}

const metrics = (logLoss: number | null, rmseBins: number | null): FitMetrics | null =>
  logLoss === null || rmseBins === null ? null : { logLoss, rmseBins };

function toSummary(row: FitRow): FitSummary {
  return {
    id: row.id,
    origin: row.origin,
    scope: row.scope,
    params: parseParams(row.params) ?? [...DEFAULT_PARAMS],
    reviews: row.reviews,
    items: row.items,
    metrics: metrics(row.log_loss, row.rmse_bins),
    defaultMetrics: metrics(row.default_log_loss, row.default_rmse_bins),
    createdAt: row.created_at,
    appliedAt: row.applied_at,
  };
}

export function makeFitStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO fsrs_fits (preset_id, origin, scope, params, reviews, items, log_loss, rmse_bins, default_log_loss, default_rmse_bins, better, created_at)
     VALUES (@presetId, @origin, @scope, @params, @reviews, @items, @logLoss, @rmseBins, @defaultLogLoss, @defaultRmseBins, @better, @now)`,
  );
  const selectFit = db.prepare<[number], FitRow>('SELECT * FROM fsrs_fits WHERE id = ?');
  const selectPresetParams = db.prepare<[number], { name: string; fsrs_params: string | null }>('SELECT name, fsrs_params FROM presets WHERE id = ?');
  const setPresetParams = db.prepare<[string | null, number, number]>('UPDATE presets SET fsrs_params = ?, updated_at = ? WHERE id = ?');
  const markApplied = db.prepare<[number, string | null, number]>('UPDATE fsrs_fits SET applied_at = ?, replaced_params = ?, restored_at = NULL WHERE id = ?');
  const markRestored = db.prepare<[number, number]>('UPDATE fsrs_fits SET restored_at = ? WHERE id = ?');
  // The newest apply not yet restored: what "Restore previous" undoes. Restoring it makes the one before it next.
  const lastApplied = db.prepare<[number], FitRow>(
    `SELECT * FROM fsrs_fits WHERE preset_id = ? AND applied_at IS NOT NULL AND restored_at IS NULL
      ORDER BY applied_at DESC, id DESC LIMIT 1`,
  );
  // The set in use, when it came from a fit: the newest applied, unrestored fit with the same parameters.
  const inUse = db.prepare<[number, string], FitRow>(
    `SELECT * FROM fsrs_fits WHERE preset_id = ? AND params = ? AND applied_at IS NOT NULL AND restored_at IS NULL
      ORDER BY applied_at DESC, id DESC LIMIT 1`,
  );
  const offered = db.prepare<[number, string], FitRow>(
    `SELECT * FROM fsrs_fits WHERE preset_id = ? AND origin = 'imported' AND applied_at IS NULL AND params <> ?
      ORDER BY created_at DESC, id DESC LIMIT 1`,
  );
  const deleteOffer = db.prepare<[number]>("DELETE FROM fsrs_fits WHERE id = ? AND origin = 'imported' AND applied_at IS NULL");
  const sameParamsBefore = db.prepare<[number, string, number], { applied_at: number }>(
    `SELECT applied_at FROM fsrs_fits WHERE preset_id = ? AND params = ? AND applied_at IS NOT NULL AND id <> ?
      ORDER BY applied_at DESC LIMIT 1`,
  );

  function preset(presetId: number) {
    const row = selectPresetParams.get(presetId);
    if (!row) throw new AppError('not_found', `Preset ${presetId} does not exist (it may have been deleted).`);
    return { name: row.name, json: row.fsrs_params, params: parseParams(row.fsrs_params) };
  }

  return {
    preset,

    add(fit: NewFit, now: number): number {
      return Number(
        insert.run({
          presetId: fit.presetId,
          origin: fit.origin,
          scope: fit.scope,
          params: JSON.stringify(fit.params),
          reviews: fit.reviews,
          items: fit.items,
          logLoss: fit.metrics?.logLoss ?? null,
          rmseBins: fit.metrics?.rmseBins ?? null,
          defaultLogLoss: fit.defaultMetrics?.logLoss ?? null,
          defaultRmseBins: fit.defaultMetrics?.rmseBins ?? null,
          better: fit.better === null ? null : fit.better ? 1 : 0,
          now,
        }).lastInsertRowid,
      );
    },

    get(fitId: number): FitSummary & { presetId: number; better: boolean | null } {
      const row = selectFit.get(fitId);
      if (!row) throw new AppError('not_found', 'Those fitted parameters are no longer there (the preset may have been deleted). Optimise again.');
      return { ...toSummary(row), presetId: row.preset_id, better: row.better === null ? null : row.better === 1 };
    },

    /** Makes the fit the preset's parameters, remembering the set it replaces. */
    apply: db.transaction((fitId: number, now: number): void => {
      const row = selectFit.get(fitId);
      if (!row) throw new AppError('not_found', 'Those fitted parameters are no longer there (the preset may have been deleted). Optimise again.');
      const before = preset(row.preset_id);
      markApplied.run(now, before.json, fitId);
      setPresetParams.run(row.params, now, row.preset_id);
    }),

    /** Puts back the set the newest apply replaced; false when there is nothing to restore. */
    restore: db.transaction((presetId: number, now: number): boolean => {
      preset(presetId);
      const row = lastApplied.get(presetId);
      if (!row) return false;
      markRestored.run(now, row.id);
      setPresetParams.run(parseParams(row.replaced_params) ? row.replaced_params : null, now, presetId);
      return true;
    }),

    /** The fit behind the preset's parameters now, or null (the defaults, or a set with no record). */
    current(presetId: number): FitSummary | null {
      const { json } = preset(presetId);
      if (json === null) return null;
      const row = inUse.get(presetId, json);
      return row ? toSummary(row) : null;
    },

    /** The newest set an imported package carried for the preset that was never applied (and is not in use). */
    offered(presetId: number): FitSummary | null {
      const row = offered.get(presetId, preset(presetId).json ?? '');
      return row ? toSummary(row) : null;
    },

    /**
     * Forgets an imported set that was offered and never applied; returns its preset. Refused for a set
     * that was applied: that one is history "Restore" uses.
     */
    discardOffer(fitId: number): number {
      const row = selectFit.get(fitId);
      if (!row) throw new AppError('not_found', 'Those parameters are no longer offered (they were already discarded, or the preset was deleted).');
      if (deleteOffer.run(fitId).changes === 0) throw new AppError('conflict', 'Those parameters were applied, so they stay in the preset’s history. Use Restore to go back to the earlier ones.');
      return row.preset_id;
    },

    /** What restoring would go back to; null when nothing was applied. */
    restoreTo(presetId: number): FsrsStatus['restore'] {
      const row = lastApplied.get(presetId);
      if (!row) return null;
      if (!parseParams(row.replaced_params)) return { to: 'defaults', appliedAt: null };
      return { to: 'earlier', appliedAt: sameParamsBefore.get(presetId, row.replaced_params!, row.id)?.applied_at ?? null };
    },
  };
}
export type FitStore = ReturnType<typeof makeFitStore>;

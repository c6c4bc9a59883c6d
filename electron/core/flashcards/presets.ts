// Deck option presets: desired retention, (re)learning steps, daily limits, maximum interval, leeches.
// Several decks share one preset; preset 1 ("Default") always exists.
import type { NewGatherOrder, NewSortOrder, Preset, ReviewSortOrder } from '../../../shared/contract/flashcards';
import { presetFieldsSchema, presetSchema } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';
import type { Db } from '../context';

export const DEFAULT_PRESET_ID = 1;

interface PresetRow {
  id: number;
  name: string;
  desired_retention: number;
  learning_steps: string;
  relearning_steps: string;
  new_per_day: number;
  reviews_per_day: number;
  maximum_interval: number;
  leech_threshold: number;
  leech_action: 'tag' | 'suspend';
  bury_new: number;
  bury_review: number;
  bury_interday: number;
  limits_from_top: number;
  new_gather_order: NewGatherOrder;
  new_sort_order: NewSortOrder;
  review_sort_order: ReviewSortOrder;
  fsrs_params: string | null;
  decks: number;
}

export type PresetFields = Omit<Preset, 'id' | 'decks'>;

/** Steps stored by an older build or another writer that no longer parse fall back to none. */
function parseSteps(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    const parsed = presetFieldsSchema.shape.learningSteps.safeParse(value);
    return parsed.success ? parsed.data : [];
  } catch {
    return [];
  }
}

/** Fitted FSRS parameters (written only by electron/core/fsrs); anything unreadable means the defaults. */
function parseFsrsParams(json: string | null): number[] | null {
  if (json === null) return null;
  try {
    const value: unknown = JSON.parse(json);
    const parsed = presetSchema.shape.fsrsParams.safeParse(value);
    return parsed.success && parsed.data?.length === 21 ? parsed.data : null;
  } catch {
    return null;
  }
}

function toPreset(row: PresetRow): Preset {
  return {
    id: row.id,
    name: row.name,
    desiredRetention: row.desired_retention,
    learningSteps: parseSteps(row.learning_steps),
    relearningSteps: parseSteps(row.relearning_steps),
    newPerDay: row.new_per_day,
    reviewsPerDay: row.reviews_per_day,
    maximumInterval: row.maximum_interval,
    leechThreshold: row.leech_threshold,
    leechAction: row.leech_action,
    buryNew: row.bury_new === 1,
    buryReview: row.bury_review === 1,
    buryInterday: row.bury_interday === 1,
    limitsFromTop: row.limits_from_top === 1,
    newGatherOrder: row.new_gather_order,
    newSortOrder: row.new_sort_order,
    reviewSortOrder: row.review_sort_order,
    decks: row.decks,
    fsrsParams: parseFsrsParams(row.fsrs_params),
  };
}

const SELECT = `SELECT p.id, p.name, p.desired_retention, p.learning_steps, p.relearning_steps, p.new_per_day, p.reviews_per_day,
                       p.maximum_interval, p.leech_threshold, p.leech_action, p.bury_new, p.bury_review, p.bury_interday,
                       p.limits_from_top, p.new_gather_order, p.new_sort_order, p.review_sort_order, p.fsrs_params,
                       (SELECT count(*) FROM decks d WHERE d.preset_id = p.id) AS decks
                  FROM presets p`;

export function makePresetStore(db: Db) {
  const selectAll = db.prepare<[], PresetRow>(`${SELECT} ORDER BY p.id = ${DEFAULT_PRESET_ID} DESC, p.name COLLATE NOCASE, p.id`);
  const selectOne = db.prepare<[number], PresetRow>(`${SELECT} WHERE p.id = ?`);
  const selectForDeck = db.prepare<[number], PresetRow>(`${SELECT} WHERE p.id = (SELECT preset_id FROM decks WHERE id = ?)`);
  const insert = db.prepare(
    `INSERT INTO presets (name, desired_retention, learning_steps, relearning_steps, new_per_day, reviews_per_day,
                          maximum_interval, leech_threshold, leech_action, bury_new, bury_review, bury_interday,
                          limits_from_top, new_gather_order, new_sort_order, review_sort_order, created_at, updated_at)
     VALUES (@name, @desiredRetention, @learningSteps, @relearningSteps, @newPerDay, @reviewsPerDay,
             @maximumInterval, @leechThreshold, @leechAction, @buryNew, @buryReview, @buryInterday,
             @limitsFromTop, @newGatherOrder, @newSortOrder, @reviewSortOrder, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE presets SET name = @name, desired_retention = @desiredRetention, learning_steps = @learningSteps,
            relearning_steps = @relearningSteps, new_per_day = @newPerDay, reviews_per_day = @reviewsPerDay,
            maximum_interval = @maximumInterval, leech_threshold = @leechThreshold, leech_action = @leechAction,
            bury_new = @buryNew, bury_review = @buryReview, bury_interday = @buryInterday, limits_from_top = @limitsFromTop,
            new_gather_order = @newGatherOrder, new_sort_order = @newSortOrder, review_sort_order = @reviewSortOrder,
            updated_at = @now
      WHERE id = @id`,
  );
  const reassignDecks = db.prepare('UPDATE decks SET preset_id = ? WHERE preset_id = ?');
  const deleteRow = db.prepare('DELETE FROM presets WHERE id = ?');
  const selectDefaults = db.prepare<[], PresetRow>(
    // A preset row with every column at its schema default, read back without keeping it.
    `SELECT 0 AS id, '' AS name, 0.9 AS desired_retention, '["1m","10m"]' AS learning_steps, '["10m"]' AS relearning_steps,
            20 AS new_per_day, 200 AS reviews_per_day, 36500 AS maximum_interval, 8 AS leech_threshold, 'tag' AS leech_action,
            1 AS bury_new, 1 AS bury_review, 0 AS bury_interday, 1 AS limits_from_top, 'random_notes' AS new_gather_order,
            'type_then_gathered' AS new_sort_order, 'due_random' AS review_sort_order, NULL AS fsrs_params, 0 AS decks`,
  );

  function get(id: number): Preset {
    const row = selectOne.get(id);
    if (!row) throw new AppError('not_found', `Preset ${id} does not exist (it may have been deleted).`);
    return toPreset(row);
  }

  /** The preset of a deck; the Default preset if the deck is gone. */
  function forDeck(deckId: number): Preset {
    const row = selectForDeck.get(deckId) ?? selectOne.get(DEFAULT_PRESET_ID);
    if (!row) throw new AppError('internal', 'The Default preset is missing from the collection.');
    return toPreset(row);
  }

  function params(fields: PresetFields, now: number) {
    return {
      ...fields,
      learningSteps: JSON.stringify(fields.learningSteps),
      relearningSteps: JSON.stringify(fields.relearningSteps),
      buryNew: fields.buryNew ? 1 : 0,
      buryReview: fields.buryReview ? 1 : 0,
      buryInterday: fields.buryInterday ? 1 : 0,
      limitsFromTop: fields.limitsFromTop ? 1 : 0,
      now,
    };
  }

  const create = db.transaction((name: string, copyFromId: number | undefined, now: number): Preset => {
    const base = copyFromId === undefined ? toPreset(selectDefaults.get()!) : get(copyFromId);
    const { id: _id, decks: _decks, ...fields } = base;
    void _id;
    void _decks;
    const id = Number(insert.run(params({ ...fields, name }, now)).lastInsertRowid);
    return get(id);
  });

  const change = db.transaction((id: number, patch: Partial<PresetFields>, now: number): Preset => {
    const { id: _id, decks: _decks, ...current } = get(id);
    void _id;
    void _decks;
    const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as PresetFields;
    update.run({ ...params(next, now), id });
    return get(id);
  });

  const remove = db.transaction((id: number): void => {
    if (id === DEFAULT_PRESET_ID) throw new AppError('conflict', 'The Default preset cannot be deleted; other presets fall back to it.');
    get(id);
    reassignDecks.run(DEFAULT_PRESET_ID, id);
    deleteRow.run(id);
  });

  const setDeckPreset = db.prepare<[number, number, string]>(
    'UPDATE decks SET preset_id = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))',
  );

  /** Gives decks a preset; returns how many decks changed. */
  const assign = db.transaction((deckIds: readonly number[], presetId: number, now: number): number => {
    get(presetId);
    return setDeckPreset.run(presetId, now, JSON.stringify(deckIds)).changes;
  });

  return { list: () => selectAll.all().map(toPreset), get, forDeck, create, update: change, remove, assign };
}
export type PresetStore = ReturnType<typeof makePresetStore>;

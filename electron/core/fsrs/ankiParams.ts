// FSRS parameters in Anki packages, where Anki keeps them: in each deck options preset ("deck config"),
// one list per FSRS generation: fsrsWeights (FSRS-4.5, 17 numbers), fsrsParams5 (19) and fsrsParams6
// (21), preferring the newest that is set. Schema-11 collections keep presets as JSON in `col.dconf` and
// each deck names its preset in `conf`; schema-18 ones keep them in the `deck_config` table as protobuf
// (DeckConfig.Config: fsrs_params_4 = 3, fsrs_params_5 = 5, fsrs_params_6 = 6, repeated float) and a
// normal deck names its preset in its kind (Normal.config_id = 1).
//
// On import the sets become "imported" fits of the presets the decks landed in, offered in Settings, not
// applied behind the learner's back; on export the preset's set in use goes into the package's preset.
import { migrateParameters } from 'ts-fsrs';
import { FSRS_PARAM_COUNT } from '../../../shared/contract/fsrs';
import type { Db } from '../context';
import { ProtoMessage } from '../transfer/protobuf';
import { makeFitStore, parseParams } from './store';

/** An Anki parameter list as FSRS-6's 21 (older generations converted by ts-fsrs), or null when unusable. */
export function toFsrs6(list: unknown): number[] | null {
  if (!Array.isArray(list) || ![17, 19, 21].includes(list.length) || !list.every((x) => typeof x === 'number' && Number.isFinite(x))) return null;
  const params = list.length === FSRS_PARAM_COUNT ? [...(list as number[])] : migrateParameters(list as number[]);
  return params.length === FSRS_PARAM_COUNT ? params : null;
}

function newest(lists: unknown[]): number[] | null {
  for (const list of lists) {
    const params = toFsrs6(list);
    if (params) return params;
  }
  return null;
}

function hasTable(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Parameters by Anki deck id, for the decks whose preset has a usable set. Never throws: a package whose presets cannot be read imports without them. */
export function readAnkiFsrsParams(db: Db): Map<number, number[]> {
  const out = new Map<number, number[]>();
  try {
    if (hasTable(db, 'deck_config')) {
      const presets = new Map<number, number[]>();
      for (const row of db.prepare<[], { id: number; config: Uint8Array | null }>('SELECT id, config FROM deck_config').all()) {
        const config = ProtoMessage.decode(row.config ?? new Uint8Array());
        const params = newest([config.floats(6), config.floats(5), config.floats(3)]);
        if (params) presets.set(row.id, params);
      }
      for (const row of db.prepare<[], { id: number; kind: Uint8Array | null }>('SELECT id, kind FROM decks').all()) {
        const configId = ProtoMessage.decode(row.kind ?? new Uint8Array()).message(1)?.int(1);
        const params = configId === undefined ? undefined : presets.get(configId);
        if (params) out.set(row.id, params);
      }
      return out;
    }
    const col = db.prepare<[], { decks: string; dconf: string }>('SELECT decks, dconf FROM col LIMIT 1').get();
    if (!col) return out;
    const dconf = JSON.parse(col.dconf) as Record<string, Record<string, unknown> | null>;
    const decks = JSON.parse(col.decks) as Record<string, Record<string, unknown> | null>;
    for (const deck of Object.values(decks)) {
      if (!deck) continue;
      const conf = dconf[String(deck.conf)];
      const params = conf ? newest([conf.fsrsParams6, conf.fsrsParams5, conf.fsrsWeights]) : null;
      if (params && typeof deck.id === 'number') out.set(deck.id, params);
    }
  } catch {
    out.clear();
  }
  return out;
}

/**
 * Keeps the sets a package carried as imported fits of the presets its decks are in now (one per preset
 * and set). `decks` maps the package's deck ids to Cadence's. Runs inside the import's transaction.
 */
export function recordImportedParams(db: Db, byAnkiDeck: ReadonlyMap<number, number[]>, decks: ReadonlyMap<number, number>, source: string, now: number): number {
  const fits = makeFitStore(db);
  const presetOf = db.prepare<[number], number>('SELECT preset_id FROM decks WHERE id = ?').pluck();
  const seen = new Set<string>();
  for (const [ankiDeck, params] of byAnkiDeck) {
    const deckId = decks.get(ankiDeck);
    const presetId = deckId === undefined ? undefined : presetOf.get(deckId);
    if (presetId === undefined) continue;
    const key = `${presetId}:${JSON.stringify(params)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fits.add({ presetId, origin: 'imported', scope: source, params, reviews: 0, items: 0, metrics: null, defaultMetrics: null, better: null }, now);
  }
  return seen.size;
}

/**
 * The options preset an exported package gives its decks. With the defaults in use: Anki's Default
 * preset (id 1), as before. With parameters of its own: a preset of its own carrying them as
 * `fsrsParams6` (and the desired retention they were chosen for), because Anki adds a package's preset
 * only when no preset with its id exists (`add_deck_conf_if_unique`), and every Anki collection already
 * has preset 1, which would keep its own parameters. The id follows from the parameters, so exporting
 * the same fit twice gives Anki one preset, and a new fit a new one.
 */
export function ankiExportPreset(db: Db, deckId: number): { id: number; name: string; fields: { fsrsParams6?: number[]; desiredRetention?: number } } {
  const row = db
    .prepare<[number], { name: string; fsrs_params: string | null; desired_retention: number }>(
      'SELECT p.name, p.fsrs_params, p.desired_retention FROM presets p JOIN decks d ON d.preset_id = p.id WHERE d.id = ?',
    )
    .get(deckId);
  const params = parseParams(row?.fsrs_params ?? null);
  if (!row || !params) return { id: 1, name: 'Default', fields: {} };
  const json = JSON.stringify(params);
  let hash = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < json.length; i++) hash = Math.imul(hash ^ json.charCodeAt(i), 0x01000193) >>> 0;
  return {
    id: 1_000_002_000_000 + (hash % 1_000_000_000),
    name: `${row.name} (FSRS fitted in Cadence)`,
    fields: { fsrsParams6: params, desiredRetention: row.desired_retention },
  };
}

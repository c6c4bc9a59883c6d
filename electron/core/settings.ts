import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import type { Db } from './context';

/** User settings: one JSON value per key; keys never written take the defaults. */
export function makeSettingsStore(db: Db) {
  const selectAll = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM settings');
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

  function get(): Settings {
    const stored: Record<string, unknown> = {};
    for (const row of selectAll.all()) {
      if (row.key in defaultSettings) stored[row.key] = JSON.parse(row.value);
    }
    // A value an older or newer build wrote that no longer fits falls back to its default.
    const merged = { ...defaultSettings, ...stored };
    const parsed = settingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    const fixed: Record<string, unknown> = { ...merged };
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if (typeof key === 'string' && key in defaultSettings) fixed[key] = defaultSettings[key as keyof Settings];
    }
    return settingsSchema.parse(fixed);
  }

  const update = db.transaction((patch: SettingsPatch): Settings => {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) upsert.run(key, JSON.stringify(value));
    }
    return get();
  });

  return { get, update };
}
export type SettingsStore = ReturnType<typeof makeSettingsStore>;

/**
 * Settings read from whatever collection is open now, for code that lives as long as the app (the
 * desktop's tray, notifier and login item): a recovery replaces the collection and its connection.
 */
export function liveSettings(core: { readonly ctx: { db: Db } }): Pick<SettingsStore, 'get'> {
  return { get: () => makeSettingsStore(core.ctx.db).get() };
}

import { z } from 'zod';

/** Every user setting. Stored as JSON values in the `settings` table; missing keys take the defaults below. */
const settingFields = {
  /** Hour (local time) at which a new study day starts, as in Anki. */
  dayRolloverHour: z.number().int('must be a whole hour').min(0).max(23),
  theme: z.enum(['system', 'light', 'dark']),
  /** Keep running in the tray when the window closes, so reminders still fire. */
  keepRunningInTray: z.boolean(),
  startAtLogin: z.boolean(),
  notificationsEnabled: z.boolean(),
  /** Cards to review per day for the Today goal and the streak. */
  dailyGoalCards: z.number().int().min(1).max(10_000),
  /** A curriculum module is "ready" when its cards' mean recall and reviewed share reach these. */
  masteryRecallThreshold: z.number().min(0.5).max(0.99),
  masteryReviewedThreshold: z.number().min(0.1).max(1),
  /** Once sync is set up: sync on start, a little after each change, and every few minutes. */
  syncAutomatically: z.boolean(),
};

export const settingsSchema = z.object(settingFields);
export type Settings = z.output<typeof settingsSchema>;
export type SettingKey = keyof Settings;

export const defaultSettings: Settings = {
  dayRolloverHour: 4,
  theme: 'system',
  keepRunningInTray: true,
  startAtLogin: false,
  notificationsEnabled: true,
  // The default deck options bring 20 new cards a day: a goal a newcomer can reach on the first day.
  dailyGoalCards: 20,
  masteryRecallThreshold: 0.85,
  masteryReviewedThreshold: 0.8,
  syncAutomatically: true,
};

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.output<typeof settingsPatchSchema>;

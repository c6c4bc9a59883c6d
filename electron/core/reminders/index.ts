/**
 * Reminders: one engine for every feature (certification renewals, mentor check-ins, ...).
 *
 * A feature plugs in with a named *source*: a synchronous function that lists every occurrence it
 * knows of, past and future, as ReminderCandidate objects (see ./engine.ts):
 *
 *     import { registerReminderSource } from '../reminders';
 *     registerReminderSource('checkins', (ctx, now) =>
 *       upcomingCheckins(ctx.db).map((c) => ({
 *         key: `checkin:${c.id}:${c.date}`,          // stable: ids and calendar dates, never `now`
 *         dueAt: localNineAm(c.date),                 // epoch ms; future ones set the desktop timer
 *         title: `Mentor check-in today`,
 *         body: c.topic,
 *         target: { kind: 'checkin', id: c.id },      // what a click opens ('reminders.open' event)
 *         group: `checkin:${c.id}`,                   // optional: stages of one thing (see engine.ts)
 *       })),
 *     );
 *
 * Rules for a source:
 * - Register at the top level of a module that your feature's handlers file imports (not inside a
 *   maker), so it is known before the startup catch-up runs when the collection opens.
 * - Synchronous and read-only: it runs inside the transaction that records what fired.
 * - The same occurrence always gets the same key; a key fires once, ever (per source).
 * - Keep it to a few hundred candidates; it runs on every check (at most hourly, and after writes).
 * - After a write that changes what is due, emit 'data.changed' (any topic): the desktop scheduler
 *   re-arms on every 'data.changed', and the inbox re-reads on the 'reminders' topic.
 * - When the thing a reminder is about is deleted, call removeRemindersFor(ctx, target).
 *
 * What the engine guarantees: a candidate is recorded as fired in the same SQLite transaction (under
 * the write lock) that decides it is due, so restarts, two windows or a crash never repeat or lose
 * one. Fired reminders sit in the inbox until dismissed or snoozed (1 day, 1 week). Reminders that
 * came due while Cadence was closed are summarised once when it next opens (a startup notice, and one
 * OS notification in the desktop app) instead of a burst.
 */
import type { InboxItem } from '../../../shared/contract/certifications';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { durableTransaction } from '../db/durable';
import type { ReminderCandidate, ReminderTarget } from './engine';
import { makeReminderStore, toInboxItem, type ReminderStore, type Row, type SourceCandidates } from './store';

export type { ReminderCandidate, ReminderTarget } from './engine';
export { selectDue, nextDueAt } from './engine';

export type ReminderSource = (ctx: CoreContext, now: number) => ReminderCandidate[];

const sources = new Map<string, ReminderSource>();

/** Adds (or replaces, for hot reload and tests) the source called `name`. */
export function registerReminderSource(name: string, source: ReminderSource): void {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`Reminder source names are lowercase words; got "${name}"`);
  sources.set(name, source);
}

export function reminderSourceNames(): string[] {
  return [...sources.keys()];
}

interface State {
  store: ReminderStore;
  startupSummary: StartupSummary | null;
}
const states = new WeakMap<CoreContext, State>();

function state(ctx: CoreContext): State {
  let s = states.get(ctx);
  if (!s) {
    s = { store: makeReminderStore(ctx.db), startupSummary: null };
    states.set(ctx, s);
  }
  return s;
}

function gather(ctx: CoreContext, now: number): SourceCandidates[] {
  const gathered: SourceCandidates[] = [];
  for (const [source, fn] of sources) {
    try {
      gathered.push({ source, candidates: fn(ctx, now) });
    } catch (err) {
      // One broken source must not silence the others.
      ctx.log.error(`Reminder source "${source}" failed`, err);
    }
  }
  return gathered;
}

function changed(ctx: CoreContext): void {
  ctx.emit('data.changed', { topics: ['reminders'] });
}

/** Records everything due now; returns what newly fired (for the inbox). */
export function claimDueReminders(ctx: CoreContext): InboxItem[] {
  const { store } = state(ctx);
  const now = ctx.clock.now();
  const ids = durableTransaction(ctx.db, () => store.claimIn(gather(ctx, now), now));
  if (ids.length) changed(ctx);
  return ids.map((id) => store.get(id)).filter((r): r is InboxItem => r !== undefined);
}

/**
 * For the desktop notifier: records what is due and takes every fired reminder the OS has not shown
 * yet (including ones claimed by the inbox or by browser mode), marking them shown, in one transaction.
 */
export function claimRemindersToNotify(ctx: CoreContext): InboxItem[] {
  const { store } = state(ctx);
  const now = ctx.clock.now();
  const result = durableTransaction(ctx.db, () => {
    const fired = store.claimIn(gather(ctx, now), now);
    return { fired: fired.length, items: store.takeUnnotifiedIn(now) };
  });
  if (result.fired) changed(ctx);
  return result.items;
}

export interface StartupSummary {
  count: number;
  text: string;
  items: InboxItem[];
}

export function summaryText(items: readonly InboxItem[]): string {
  const titles = items.slice(0, 3).map((i) => i.title);
  const more = items.length > 3 ? `; and ${items.length - 3} more` : '';
  if (items.length === 1) return `While Cadence was closed: ${titles[0]}.`;
  return `While Cadence was closed, ${items.length} reminders came due: ${titles.join('; ')}${more}. They are in your inbox.`;
}

/**
 * Runs once when a collection opens: records what came due while Cadence was closed and summarises it
 * (a startup notice) instead of one notification each. Everything summarised counts as shown; what
 * fired while Cadence last ran (and sat in the inbox) is not announced again.
 */
export function startupCatchUp(ctx: CoreContext): StartupSummary | null {
  const s = state(ctx);
  const now = ctx.clock.now();
  const items = durableTransaction(ctx.db, () => s.store.takeMissedIn(s.store.claimIn(gather(ctx, now), now), now));
  if (!items.length) return null;
  const summary = { count: items.length, text: summaryText(items), items };
  s.startupSummary = summary;
  ctx.notices.push({ level: 'info', message: summary.text });
  return summary;
}

/** The startup summary, once: the desktop notifier shows it as one OS notification. */
export function takeStartupSummary(ctx: CoreContext): StartupSummary | null {
  const s = state(ctx);
  const summary = s.startupSummary;
  s.startupSummary = null;
  return summary;
}

/** When the next reminder (or snoozed one) becomes due, or null. */
export function nextReminderAt(ctx: CoreContext): number | null {
  const now = ctx.clock.now();
  return state(ctx).store.nextAt(gather(ctx, now), now);
}

/**
 * Records what just came due, then lists the inbox. An open reminder shows what its source says about
 * it now (days left, credits still missing), not what it said when it fired, while the source still
 * lists that occurrence.
 */
export function reminderInbox(ctx: CoreContext): { items: InboxItem[]; snoozed: InboxItem[]; count: number } {
  const { store } = state(ctx);
  const now = ctx.clock.now();
  const { fired, gathered } = durableTransaction(ctx.db, () => {
    const gathered = gather(ctx, now);
    return { fired: store.claimIn(gathered, now), gathered };
  });
  if (fired.length) changed(ctx);
  const current = new Map<string, ReminderCandidate>();
  for (const { source, candidates } of gathered) for (const c of candidates) current.set(`${source}\n${c.key}`, c);
  const fresh = (row: Row): InboxItem => {
    const item = toInboxItem(row);
    const now = current.get(`${row.source}\n${row.key}`);
    return now ? { ...item, title: now.title, body: now.body } : item;
  };
  const { items, snoozed } = store.inbox();
  return { items: items.map(fresh), snoozed: snoozed.map(fresh), count: items.length };
}

function mustBeOpen(store: ReminderStore, id: number): void {
  if (!store.isVisible(id)) throw new AppError('not_found', 'That reminder was already dismissed or no longer exists.');
}

export function snoozeReminder(ctx: CoreContext, id: number, span: '1d' | '1w'): InboxItem {
  const { store } = state(ctx);
  mustBeOpen(store, id);
  store.snooze(id, span, ctx.clock.now());
  changed(ctx);
  return store.get(id)!;
}

export function dismissReminder(ctx: CoreContext, id: number): void {
  const { store } = state(ctx);
  mustBeOpen(store, id);
  store.dismiss(id, ctx.clock.now());
  changed(ctx);
}

export function dismissAllReminders(ctx: CoreContext): number {
  const n = state(ctx).store.dismissAll(ctx.clock.now());
  if (n) changed(ctx);
  return n;
}

/** Clears the open reminders about one thing (it was renewed, its dates changed). */
export function dismissRemindersFor(ctx: CoreContext, target: ReminderTarget): number {
  return state(ctx).store.dismissTarget(target, ctx.clock.now());
}

/** Forgets every reminder about a deleted thing. */
export function removeRemindersFor(ctx: CoreContext, target: ReminderTarget): number {
  return state(ctx).store.removeTarget(target);
}

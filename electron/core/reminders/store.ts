// The reminders table: what fired, what the OS was told, snoozes and dismissals. Every decision
// ("this is due") is written in the transaction that makes it, under SQLite's write lock, so two windows,
// a browser-mode server on the same file, a restart or a crash can neither repeat nor lose a reminder.
import { addDays, addWeeks } from 'date-fns';
import type { InboxItem } from '../../../shared/contract/certifications';
import type { Db } from '../context';
import { selectDue, nextDueAt, type ReminderCandidate, type ReminderTarget } from './engine';

export interface SourceCandidates {
  source: string;
  candidates: ReminderCandidate[];
}

export interface Row {
  id: number;
  source: string;
  key: string;
  target_kind: string;
  target_id: number;
  title: string;
  body: string;
  due_at: number;
  fired_at: number;
  missed: number;
  snoozed_until: number | null;
  dismissed_at: number | null;
  superseded: number;
}

export function toInboxItem(row: Row): InboxItem {
  return {
    id: row.id,
    source: row.source,
    title: row.title,
    body: row.body,
    target: { kind: row.target_kind, id: row.target_id },
    dueAt: row.due_at,
    firedAt: row.fired_at,
    missed: row.missed === 1,
    snoozedUntil: row.snoozed_until,
  };
}

const VISIBLE = 'dismissed_at IS NULL AND superseded = 0';

export function makeReminderStore(db: Db) {
  const firedKeys = db.prepare<[string], { key: string }>('SELECT key FROM reminders WHERE source = ?');
  const insert = db.prepare(
    `INSERT INTO reminders (source, key, group_key, target_kind, target_id, title, body, due_at, fired_at, superseded, dismissed_at)
     VALUES (@source, @key, @group, @kind, @targetId, @title, @body, @dueAt, @now, @superseded, @dismissedAt)
     ON CONFLICT (source, key) DO NOTHING`,
  );
  // A newer stage of a group stands for the older ones still open: they leave the inbox, recorded as superseded.
  const supersedeOlder = db.prepare<[number, string, string, number]>(
    `UPDATE reminders SET superseded = 1, dismissed_at = ? WHERE source = ? AND group_key = ? AND id != ? AND ${VISIBLE}`,
  );
  const wake = db.prepare<[number, number], { id: number }>(
    `UPDATE reminders SET snoozed_until = NULL, notified_at = NULL, fired_at = ?
     WHERE snoozed_until IS NOT NULL AND snoozed_until <= ? AND ${VISIBLE} RETURNING id`,
  );
  const byId = db.prepare<[number], Row>('SELECT * FROM reminders WHERE id = ?');
  const visibleById = db.prepare<[number], { ok: number }>(`SELECT 1 AS ok FROM reminders WHERE id = ? AND ${VISIBLE}`);
  const visible = db.prepare<[], Row>(`SELECT * FROM reminders WHERE ${VISIBLE} AND snoozed_until IS NULL ORDER BY fired_at DESC, id DESC`);
  const snoozed = db.prepare<[], Row>(`SELECT * FROM reminders WHERE ${VISIBLE} AND snoozed_until IS NOT NULL ORDER BY snoozed_until`);
  const unnotified = db.prepare<[], Row>(`SELECT * FROM reminders WHERE ${VISIBLE} AND snoozed_until IS NULL AND notified_at IS NULL ORDER BY due_at, id`);
  const markNotified = db.prepare<[number, number, number]>('UPDATE reminders SET notified_at = ?, missed = ? WHERE id = ?');
  const nextSnooze = db.prepare<[], { at: number | null }>(`SELECT min(snoozed_until) AS at FROM reminders WHERE ${VISIBLE}`);
  const setSnooze = db.prepare<[number, number]>(`UPDATE reminders SET snoozed_until = ? WHERE id = ? AND ${VISIBLE}`);
  const dismissOne = db.prepare<[number, number]>('UPDATE reminders SET dismissed_at = ? WHERE id = ? AND dismissed_at IS NULL');
  const dismissVisible = db.prepare<[number]>(`UPDATE reminders SET dismissed_at = ? WHERE ${VISIBLE} AND snoozed_until IS NULL`);
  const dismissTarget = db.prepare<[number, string, number]>(`UPDATE reminders SET dismissed_at = ? WHERE target_kind = ? AND target_id = ? AND dismissed_at IS NULL`);
  const removeTarget = db.prepare<[string, number]>('DELETE FROM reminders WHERE target_kind = ? AND target_id = ?');

  /** Records what is due now (and wakes snoozed reminders); returns the ids that fired. Call inside a transaction. */
  function claimIn(gathered: SourceCandidates[], now: number): number[] {
    const fired: number[] = [];
    for (const { source, candidates } of gathered) {
      const already = new Set(firedKeys.all(source).map((r) => r.key));
      const { show, superseded } = selectDue(candidates, already, now);
      for (const [list, isSuperseded] of [[show, 0], [superseded, 1]] as const) {
        for (const c of list) {
          const result = insert.run({
            source,
            key: c.key,
            group: c.group ?? null,
            kind: c.target.kind,
            targetId: c.target.id,
            title: c.title,
            body: c.body,
            dueAt: c.dueAt,
            now,
            superseded: isSuperseded,
            dismissedAt: isSuperseded ? now : null,
          });
          if (result.changes !== 1 || isSuperseded) continue;
          const id = Number(result.lastInsertRowid);
          fired.push(id);
          if (c.group) supersedeOlder.run(now, source, c.group, id);
        }
      }
    }
    for (const { id } of wake.all(now, now)) fired.push(id);
    return fired;
  }

  function nextAt(gathered: SourceCandidates[], now: number): number | null {
    let next = nextSnooze.get()?.at ?? null;
    for (const { source, candidates } of gathered) {
      const already = new Set(firedKeys.all(source).map((r) => r.key));
      const at = nextDueAt(candidates, already, now);
      if (at !== null && (next === null || at < next)) next = at;
    }
    return next;
  }

  /** Reminders fired but not yet shown by the OS; marks them shown. Call inside a transaction. */
  function takeUnnotifiedIn(now: number): InboxItem[] {
    const rows = unnotified.all();
    for (const r of rows) markNotified.run(now, r.missed, r.id);
    return rows.map(toInboxItem);
  }

  /**
   * The reminders just claimed at startup, which came due while Cadence was closed: marked shown and
   * missed (the summary stands for their notifications). Reminders fired while Cadence ran before (an
   * inbox that listed them) are not among them, so they are never announced again. In a transaction.
   */
  function takeMissedIn(ids: readonly number[], now: number): InboxItem[] {
    const items: InboxItem[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row || row.dismissed_at !== null || row.superseded === 1) continue;
      markNotified.run(now, 1, id);
      items.push(toInboxItem({ ...row, missed: 1 }));
    }
    return items;
  }

  return {
    claimIn,
    nextAt,
    takeUnnotifiedIn,
    takeMissedIn,
    get: (id: number): InboxItem | undefined => {
      const row = byId.get(id);
      return row ? toInboxItem(row) : undefined;
    },
    isVisible: (id: number): boolean => visibleById.get(id) !== undefined,
    /** Open and snoozed reminders, with the source and key each was fired under. */
    inbox: () => ({ items: visible.all(), snoozed: snoozed.all() }),
    /** Snoozes by wall-clock days, so "1 day" is tomorrow at the same local time across a DST change. */
    snooze: (id: number, span: '1d' | '1w', now: number): boolean => {
      const until = span === '1d' ? addDays(now, 1).getTime() : addWeeks(now, 1).getTime();
      return setSnooze.run(until, id).changes === 1;
    },
    dismiss: (id: number, now: number): boolean => dismissOne.run(now, id).changes === 1,
    dismissAll: (now: number): number => dismissVisible.run(now).changes,
    dismissTarget: (target: ReminderTarget, now: number): number => dismissTarget.run(now, target.kind, target.id).changes,
    removeTarget: (target: ReminderTarget): number => removeTarget.run(target.kind, target.id).changes,
  };
}
export type ReminderStore = ReturnType<typeof makeReminderStore>;

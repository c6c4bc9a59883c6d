// The pure core of reminders: given every occurrence a source knows of, what has fired already and the
// time, decide what is due. No database, no timers, no clock of its own.

export interface ReminderTarget {
  /** What the reminder is about, for the renderer to open: 'certification', 'checkin', ... */
  kind: string;
  id: number;
}

export interface ReminderCandidate {
  /**
   * Names one occurrence for ever: the same occurrence must always get the same key (build it from
   * ids and calendar dates, never from the current time), so it fires once however often it is computed.
   */
  key: string;
  /** When it becomes due (epoch ms). Future candidates are fine: they set the next timer. */
  dueAt: number;
  title: string;
  body: string;
  target: ReminderTarget;
  /**
   * Stages of one thing (90, 60, 30 days before an expiry) share a group: when several are due at once
   * (the app was closed) only the latest is shown and the older ones are recorded as superseded, and a
   * stage older than one already fired never fires.
   */
  group?: string;
}

export interface DueReminders {
  /** Fire these now. */
  show: ReminderCandidate[];
  /** Record these as fired without showing them: a later stage of their group stands for them. */
  superseded: ReminderCandidate[];
}

/**
 * What is due at `now` and not yet fired. Ordered by due time. Deterministic: the same inputs give the
 * same answer, which is what lets the caller decide and record it in one transaction.
 */
export function selectDue(candidates: readonly ReminderCandidate[], alreadyFired: ReadonlySet<string>, now: number): DueReminders {
  const latestFired = new Map<string, number>();
  for (const c of candidates) {
    if (c.group && alreadyFired.has(c.key)) latestFired.set(c.group, Math.max(latestFired.get(c.group) ?? -Infinity, c.dueAt));
  }
  const seen = new Set<string>();
  const due = candidates
    .filter((c) => {
      if (c.dueAt > now || alreadyFired.has(c.key) || seen.has(c.key)) return false;
      seen.add(c.key);
      return true;
    })
    .sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : 1));

  const latestDue = new Map<string, ReminderCandidate>();
  for (const c of due) if (c.group) latestDue.set(c.group, c);

  const show: ReminderCandidate[] = [];
  const superseded: ReminderCandidate[] = [];
  for (const c of due) {
    if (!c.group) show.push(c);
    else if (c.dueAt <= (latestFired.get(c.group) ?? -Infinity) || latestDue.get(c.group) !== c) superseded.push(c);
    else show.push(c);
  }
  return { show, superseded };
}

/** The earliest moment something not yet fired becomes due, or null when nothing is ahead. */
export function nextDueAt(candidates: readonly ReminderCandidate[], alreadyFired: ReadonlySet<string>, now: number): number | null {
  let next: number | null = null;
  for (const c of candidates) {
    if (c.dueAt > now && !alreadyFired.has(c.key) && (next === null || c.dueAt < next)) next = c.dueAt;
  }
  return next;
}

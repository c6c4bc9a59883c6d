import { addDays, differenceInCalendarDays, format, parseISO } from 'date-fns';
import type { ModuleStatus, Pace } from '../../../shared/contract/curriculum';

export interface PlannedModule {
  week: number;
  status: ModuleStatus;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The last day of a module's planned week: week 1 is the start date and the six days after it. */
export function plannedBy(startDate: string | null, week: number): string | null {
  if (startDate === null) return null;
  return format(addDays(parseISO(startDate), week * 7 - 1), 'yyyy-MM-dd');
}

/**
 * Where the learner stands against the plan on `today`: a module is expected done once its planned
 * week is over, and the pace compares how many are done with how many are expected.
 */
export function pace(modules: readonly PlannedModule[], startDate: string | null, today: string): Pace {
  const done = modules.filter((m) => m.status === 'done').length;
  const total = modules.length;
  const base = { done, expectedDone: 0, delta: 0, currentWeek: null };
  if (total === 0) return { ...base, state: 'empty', label: 'no modules yet' };
  if (startDate === null) {
    return { ...base, state: done === total ? 'finished' : 'no_start_date', label: done === total ? 'finished' : `${done} of ${total} done` };
  }
  const elapsed = differenceInCalendarDays(parseISO(today), parseISO(startDate));
  const currentWeek = elapsed >= 0 ? Math.floor(elapsed / 7) + 1 : null;
  const expectedDone = modules.filter((m) => {
    const by = plannedBy(startDate, m.week)!;
    return by < today;
  }).length;
  const delta = done - expectedDone;
  const common = { done, expectedDone, delta, currentWeek };
  if (done === total) return { ...common, state: 'finished', label: 'finished' };
  if (elapsed < 0) {
    const days = -elapsed;
    return { ...common, state: 'not_started', label: days === 1 ? 'starts tomorrow' : `starts in ${days} days` };
  }
  if (delta < 0) return { ...common, state: 'behind', label: `${plural(-delta, 'module', 'modules')} behind` };
  if (delta > 0) return { ...common, state: 'ahead', label: `${plural(delta, 'module', 'modules')} ahead` };
  return { ...common, state: 'on_track', label: 'on track' };
}

/** The module being worked on (the first in progress, else the first not done) and the one after it. */
export function currentAndNext<M extends { status: ModuleStatus }>(modules: readonly M[]): { current: M | null; next: M | null } {
  const open = modules.filter((m) => m.status !== 'done');
  const current = open.find((m) => m.status === 'in_progress') ?? open[0] ?? null;
  if (!current) return { current: null, next: null };
  const after = modules.indexOf(current);
  const next = modules.slice(after + 1).find((m) => m.status !== 'done') ?? open.find((m) => m !== current) ?? null;
  return { current, next };
}

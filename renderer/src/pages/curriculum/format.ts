// Words and numbers shared by the Today, Curriculum and Stats pages.
import type { Mastery, ModuleStatus, Pace } from '../../../../shared/contract/curriculum';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function pct(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)}%`;
}

// Dates are written one way on every page (see dates.ts).
export { dayText as shortDate, weekdayText as longDate, timeText as timeOfDay } from '../../dates';

export const STATUS_LABEL: Record<ModuleStatus, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  done: 'Done',
};

/** Badge tone of a pace: behind is a warning, ahead or finished good news. */
export function paceTone(p: Pace): 'ok' | 'warn' | '' {
  if (p.state === 'behind') return 'warn';
  if (p.state === 'ahead' || p.state === 'finished') return 'ok';
  return '';
}

export function masteryText(m: Mastery): string {
  if (m.cards === 0) return 'No linked cards';
  const recall = m.meanRecall === null ? 'not reviewed yet' : `${pct(m.meanRecall)} recall`;
  return `${recall} · ${m.reviewed} of ${plural(m.cards, 'card')} reviewed`;
}

export function masteryBadge(m: Mastery): { text: string; tone: 'ok' | 'warn' | '' } {
  if (m.ready === null) return { text: 'No cards', tone: '' };
  return m.ready ? { text: 'Ready', tone: 'ok' } : { text: 'Not ready', tone: 'warn' };
}

export function duration(ms: number): string {
  if (ms > 0 && ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  return `${h} h ${minutes % 60} min`;
}

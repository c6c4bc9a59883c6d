// Words and numbers shared by the Today, Curriculum and Stats pages.
import type { Mastery, ModuleStatus, Pace } from '../../../../shared/contract/curriculum';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

export function pct(x: number | null): string {
  return x === null ? '–' : `${Math.round(x * 100)}%`;
}

/** 'YYYY-MM-DD' as "Wed 4 Mar 2026" in the user's locale. */
export function shortDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
}

export function longDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
}

export function timeOfDay(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

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

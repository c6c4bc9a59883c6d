// Small formatting helpers shared by the exam pages.
import { OPTION_LETTERS } from '../../../../shared/contract/exams';
import { dateTimeText } from '../../dates';

export const letter = (i: number) => OPTION_LETTERS[i] ?? '?';

export function percent(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)} %`;
}

/** 3 725 000 ms -> "62:05" (minutes can pass 59: a countdown shows total minutes). */
export function clock(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** 2 520 000 ms -> "42 min", 45 000 -> "45 s". */
export function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function dateTime(at: number): string {
  return dateTimeText(at);
}

export const KIND_LABEL = { single: 'Single choice', multiple: 'Multiple select', truefalse: 'True / false' } as const;

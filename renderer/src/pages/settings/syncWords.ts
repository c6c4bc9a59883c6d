// How sync's status reads, the same in Settings → Sync and on Today: "Synced 2 minutes ago",
// "3 changes waiting", "Sync failed: the server did not answer", and a running sync's progress.
import type { SyncStatus } from '../../../../shared/contract/sync';

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

/** "just now", "2 minutes ago", "3 hours ago", "4 days ago". */
export function agoText(at: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${plural(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${plural(hours, 'hour')} ago`;
  return `${plural(Math.floor(hours / 24), 'day')} ago`;
}

export function waitingText(pending: number): string {
  return `${plural(pending, 'change')} waiting`;
}

/** "Sync failed: the server did not answer", or, for a sync that finished with changes set aside, "Synced, but one change was set aside". */
export function failureHeadline(s: SyncStatus): string {
  return s.partial ? `Synced, but ${s.problem ?? 'some changes were set aside'}` : `Sync failed: ${s.problem ?? 'the last sync did not finish'}`;
}

/** The one line a glance needs: failing first, then syncing, then waiting, then when it last worked. */
export function syncLine(s: SyncStatus, now: number): { text: string; tone: 'ok' | 'bad' | 'busy' | 'muted' } {
  if (s.running) return { text: progressText(s.progress) ?? 'Syncing…', tone: 'busy' };
  if (s.lastError) return { text: failureHeadline(s), tone: 'bad' };
  if (s.pending > 0) return { text: waitingText(s.pending), tone: 'muted' };
  if (s.lastSyncAt) return { text: `Synced ${agoText(s.lastSyncAt, now)}`, tone: 'ok' };
  return { text: 'Not synced yet', tone: 'muted' };
}

const PHASES: Record<NonNullable<SyncStatus['progress']>['phase'], [string, string]> = {
  sending: ['Preparing', 'changes to send'],
  uploading: ['Sending', 'documents to the server'],
  downloading: ['Receiving', 'documents from the server'],
  applying: ['Applying', 'documents here'],
};

/** "Receiving 1,200 of 5,000 documents from the server" (or without the total when it is not known). */
export function progressText(p: SyncStatus['progress']): string | null {
  if (!p) return null;
  const [verb, what] = PHASES[p.phase];
  return p.total ? `${verb} ${p.done.toLocaleString()} of ${p.total.toLocaleString()} ${what}…` : `${verb} ${what}: ${p.done.toLocaleString()} so far…`;
}

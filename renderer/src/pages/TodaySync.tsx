// Today's sync status: one line at the top ("Synced 2 minutes ago", "3 changes waiting", "Sync failed:
// the server did not answer"), linking to Settings → Sync. Shown only once sync is set up.
import { useApi } from '../hooks/useApi';
import { href } from '../router';
import { useNow } from '../hooks/useNow';
import { syncLine } from './settings/syncWords';

export function TodaySync() {
  const { data } = useApi('sync.status', undefined, ['sync', 'notes', 'decks', 'cards', 'study', 'settings']);
  const now = useNow(30_000);
  if (!data?.configured) return null;
  const line = syncLine(data, now);
  return (
    <a className={`today-sync ${line.tone}`} href={href('settings', { section: 'sync' })} aria-label={`${line.text}. Open Settings, Sync`}>
      <span className="today-sync-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {line.text}
      </span>
    </a>
  );
}

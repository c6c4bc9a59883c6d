// Settings → Sync: the learner's own CouchDB server, "Sync now", how the last sync went, and the versions
// that lost a conflict (an edit made on two computers before either synced), to bring back or dismiss.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { SyncConflict, SyncStatus } from '../../../../shared/contract/sync';
import { api } from '../../api';
import { EmptyState, ErrorMessage, Loading } from '../../components/ui';
import { dateTimeText } from '../../dates';
import { useAction, useApi } from '../../hooks/useApi';


function SyncForm({ status }: { status: SyncStatus }) {
  const ids = { url: useId(), database: useId(), user: useId(), password: useId() };
  const [url, setUrl] = useState(status.url);
  const [database, setDatabase] = useState(status.database || 'cadence');
  const [username, setUsername] = useState(status.username);
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setUrl(status.url);
    setUsername(status.username);
    if (status.database) setDatabase(status.database);
  }, [status.url, status.database, status.username]);

  const save = useAction(async () => {
    setSaved(false);
    await api['sync.configure']({ url, database, username, ...(password ? { password } : {}) });
    setPassword('');
    setSaved(true);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  const where = status.passwordStore === 'keychain' ? 'sealed by your system keychain' : 'in a file in the data folder that only your user account can read';

  return (
    <form onSubmit={onSubmit} className="sync-form">
      <label htmlFor={ids.url} className="stacked">
        <span>Server address</span>
        <input id={ids.url} type="url" required placeholder="https://couch.example.org:6984" value={url} onChange={(e) => setUrl(e.target.value)} />
        <small className="muted">Your own Apache CouchDB (or a hosted one). HTTPS is required, except for a server on this computer.</small>
      </label>
      <label htmlFor={ids.database} className="stacked">
        <span>Database</span>
        <input id={ids.database} required value={database} onChange={(e) => setDatabase(e.target.value)} />
      </label>
      <label htmlFor={ids.user} className="stacked">
        <span>User name</span>
        <input id={ids.user} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label htmlFor={ids.password} className="stacked">
        <span>Password</span>
        <input
          id={ids.password}
          type="password"
          autoComplete="current-password"
          placeholder={status.hasPassword ? 'Kept — type to change it' : ''}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <small className="muted">Kept {where}, never in your collection or its backups.</small>
      </label>
      <div className="form-row">
        <button type="submit" className="primary" disabled={save.busy}>
          {save.busy ? 'Saving…' : 'Save'}
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
      <ErrorMessage error={save.error} onDismiss={save.clearError} />
    </form>
  );
}

function Conflicts({ conflicts }: { conflicts: SyncConflict[] }) {
  const act = useAction(async (kind: 'sync.restore' | 'sync.dismiss', id: string) => {
    await api[kind]({ id });
  });
  if (conflicts.length === 0) {
    return <EmptyState title="No conflicts">When the same note or deck is changed on two computers before they sync, the newer change is kept everywhere and the other version is listed here, so you can bring it back.</EmptyState>;
  }
  return (
    <>
      <ul className="sync-conflicts">
        {conflicts.map((c) => (
          <li key={c.id} className="card">
            <strong>{c.label}</strong>
            <p className="muted small tight">
              This version from {dateTimeText(c.editedAt)} lost to a newer change from {dateTimeText(c.winnerEditedAt)}.
            </p>
            {c.deleted ? <p>This version deleted it.</p> : <blockquote>{c.lines.map((line, i) => <p key={i}>{line}</p>)}</blockquote>}
            <div className="form-row">
              <button type="button" disabled={act.busy} onClick={() => void act.run('sync.restore', c.id)}>
                Bring this version back
              </button>
              <button type="button" disabled={act.busy} onClick={() => void act.run('sync.dismiss', c.id)}>
                Dismiss
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ErrorMessage error={act.error} onDismiss={act.clearError} />
    </>
  );
}

export function SyncSection() {
  const status = useApi('sync.status', undefined, ['sync', 'notes', 'decks', 'cards']);
  const conflicts = useApi('sync.conflicts', undefined, ['sync']);
  const [report, setReport] = useState<string | null>(null);
  const syncNow = useAction(async () => {
    setReport(null);
    const r = await api['sync.now']();
    setReport(`Synced: ${r.sent.toLocaleString()} sent, ${r.received.toLocaleString()} received${r.conflicts ? `, ${r.conflicts} conflict${r.conflicts === 1 ? '' : 's'} resolved (see below)` : ''}.`);
  });
  const s = status.data;

  return (
    <section className="card settings-section" aria-labelledby="sync-heading">
      <h2 id="sync-heading">Sync</h2>
      <p className="muted">
        Keep Cadence the same on your computers through your own CouchDB server. Each computer works offline; syncing sends what changed here and
        brings in what changed elsewhere. Reviews from every computer are merged and each card rescheduled from its whole history.
      </p>
      <ErrorMessage error={status.error} />
      {!s ? <Loading /> : null}
      {s ? <SyncForm status={s} /> : null}
      {s?.configured ? (
        <>
          <h3>Status</h3>
          <p role="status" aria-live="polite">
            {s.running || syncNow.busy ? 'Syncing…' : s.lastSyncAt ? `Last synced ${dateTimeText(s.lastSyncAt)}.` : 'Not synced yet.'}{' '}
            {s.pending > 0 ? `${s.pending.toLocaleString()} change${s.pending === 1 ? '' : 's'} waiting to be sent.` : null}
          </p>
          {s.lastError && !syncNow.error ? <p className="error">{s.lastError}</p> : null}
          <div className="form-row">
            <button type="button" className="primary" onClick={() => void syncNow.run()} disabled={syncNow.busy || s.running}>
              {syncNow.busy ? 'Syncing…' : 'Sync now'}
            </button>
            {report ? <span role="status">{report}</span> : null}
          </div>
          <ErrorMessage error={syncNow.error} onDismiss={syncNow.clearError} />
          <h3>Sync conflicts</h3>
          {conflicts.data ? <Conflicts conflicts={conflicts.data.conflicts} /> : <Loading />}
        </>
      ) : null}
    </section>
  );
}

// Settings → Sync: the learner's own CouchDB server, end-to-end encryption's passphrase, "Sync now" and
// "Sync automatically", how syncing is going (progress, last synced, changes waiting, the last error),
// and the versions that lost a conflict (an edit made on two computers before either synced).
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SyncConflict, SyncStatus } from '../../../../shared/contract/sync';
import type { z } from 'zod';
import { contract } from '../../../../shared/contract';
import { api } from '../../api';
import { EmptyState, ErrorMessage, FieldError, fieldProps, Loading, ProgressBar } from '../../components/ui';
import { dateTimeText, timeText } from '../../dates';
import { useAction, useApi } from '../../hooks/useApi';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useNow } from '../../hooks/useNow';
import { useRoute } from '../../router';
import { agoText, failureHeadline, progressText, waitingText } from './syncWords';
import './sync.css';

const KEPT = 'Kept — type to change it';

type SyncConfigureInput = z.output<(typeof contract)['sync.configure']['input']>;

/** A password-like box: what is kept is never shown, only that it is. */
function SecretField(props: {
  id: string;
  label: string;
  autoComplete: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  describedBy?: string;
  error?: string | undefined;
  errorId?: string;
  children?: ReactNode;
}) {
  return (
    <label htmlFor={props.id} className="stacked">
      <span>{props.label}</span>
      <input
        id={props.id}
        type="password"
        autoComplete={props.autoComplete}
        {...fieldProps(props.errorId ?? '', props.error, props.describedBy)}
        placeholder={props.placeholder}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.errorId ? <FieldError id={props.errorId} error={props.error} /> : null}
      {props.children}
    </label>
  );
}

function SyncForm({ status }: { status: SyncStatus }) {
  const ids = { url: useId(), database: useId(), user: useId(), password: useId(), passphrase: useId(), again: useId(), passHint: useId(), againError: useId(), urlError: useId(), databaseError: useId(), passphraseError: useId() };
  const fields = useFieldErrors();
  const [url, setUrl] = useState(status.url);
  const [database, setDatabase] = useState(status.database || 'cadence');
  const [username, setUsername] = useState(status.username);
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    setUrl(status.url);
    setUsername(status.username);
    if (status.database) setDatabase(status.database);
  }, [status.url, status.database, status.username]);

  const save = useAction(async (input: SyncConfigureInput) => {
    setSaved(false);
    await api['sync.configure'](input);
    setPassword('');
    setPassphrase('');
    setAgain('');
    setSaved(true);
  });
  /** The form as the channel takes it, checked with its schema (each problem shown beside its field). */
  const checked = (change: { passphrase?: string } = passphrase ? { passphrase } : {}) =>
    fields.check(contract['sync.configure'].input, { url: url.trim(), database: database.trim(), username, ...(password ? { password } : {}), ...change });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const input = checked();
    if (!input) return;
    if (passphrase && passphrase !== again) {
      fields.setErrors({ again: 'The two passphrases differ. Type the same passphrase in both boxes.' });
      return;
    }
    void save.run(input);
  };
  const turnOffEncryption = () => {
    const input = checked({ passphrase: '' });
    if (input) void save.run(input);
  };
  const where = status.passwordStore === 'keychain' ? 'sealed by your system keychain' : 'in a file in the data folder that only your user account can read';

  return (
    <form ref={fields.form} onSubmit={onSubmit} className="sync-form" noValidate>
      <label htmlFor={ids.url} className="stacked">
        <span>Server address</span>
        <input
          id={ids.url}
          type="url"
          {...fieldProps(ids.urlError, fields.errors.url)}
          placeholder="https://couch.example.org:6984"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <FieldError id={ids.urlError} error={fields.errors.url} />
        <small className="muted">Your own Apache CouchDB (or a hosted one). HTTPS is required, except for a server on this computer.</small>
      </label>
      <label htmlFor={ids.database} className="stacked">
        <span>Database</span>
        <input id={ids.database} {...fieldProps(ids.databaseError, fields.errors.database)} value={database} onChange={(e) => setDatabase(e.target.value)} />
        <FieldError id={ids.databaseError} error={fields.errors.database} />
      </label>
      <label htmlFor={ids.user} className="stacked">
        <span>User name</span>
        <input id={ids.user} autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <SecretField id={ids.password} label="Password" autoComplete="current-password" placeholder={status.hasPassword ? KEPT : ''} value={password} onChange={setPassword}>
        <small className="muted">Kept {where}, never in your collection or its backups.</small>
      </SecretField>
      <fieldset className="sync-encryption">
        <legend>End-to-end encryption {status.encrypted ? <span className="badge ok">On</span> : <span className="badge">Off</span>}</legend>
        <p id={ids.passHint} className="muted small tight">
          {status.encrypted
            ? 'Notes, decks and reviews are encrypted on this computer before they are sent; the server sees only their ids. Every computer syncing with this database needs the same passphrase.'
            : 'Optional. With a passphrase, notes, decks and reviews are encrypted on this computer before they are sent, so the server sees only their ids. Turn it on with a new, empty database; every computer then needs the same passphrase.'}{' '}
          If the passphrase is lost, the server’s copy cannot be read: your computers keep theirs.
        </p>
        <SecretField
          id={ids.passphrase}
          label="Passphrase"
          autoComplete="new-password"
          describedBy={ids.passHint}
          placeholder={status.encrypted ? KEPT : 'At least 8 characters'}
          value={passphrase}
          onChange={setPassphrase}
          error={fields.errors.passphrase}
          errorId={ids.passphraseError}
        />
        {passphrase ? (
          <label htmlFor={ids.again} className="stacked">
            <span>Passphrase again</span>
            <input
              id={ids.again}
              type="password"
              autoComplete="new-password"
              value={again}
              {...fieldProps(ids.againError, fields.errors.again)}
              onChange={(e) => setAgain(e.target.value)}
            />
            <FieldError id={ids.againError} error={fields.errors.again} />
          </label>
        ) : null}
        <small className="muted">Kept like the password, {where}.</small>
        {status.encrypted ? (
          <div className="form-row">
            <button type="button" disabled={save.busy} onClick={turnOffEncryption}>
              Turn off encryption
            </button>
          </div>
        ) : null}
      </fieldset>
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

/** "Sync automatically": a setting, saved as soon as it is ticked. */
function AutomaticSwitch({ status }: { status: SyncStatus }) {
  const id = useId();
  const toggle = useAction((on: boolean) => api['settings.update']({ syncAutomatically: on }));
  return (
    <div className="sync-automatic">
      <label htmlFor={id} className="setting setting-check">
        <input id={id} type="checkbox" checked={status.automatic} disabled={toggle.busy} onChange={(e) => void toggle.run(e.target.checked)} />
        <span>
          Sync automatically
          <small className="muted">
            {status.automatic
              ? `When Cadence starts, a few seconds after each change, and every few minutes.${status.nextSyncAt && !status.running ? ` Next sync at ${timeText(status.nextSyncAt)}.` : ''}`
              : 'Off: Cadence syncs only when you press Sync now.'}
          </small>
        </span>
      </label>
      <ErrorMessage error={toggle.error} onDismiss={toggle.clearError} />
    </div>
  );
}

/** How syncing is going: a progress bar while it runs, when it last worked, what waits, why it failed. */
function SyncState({ s, busy, errorShown }: { s: SyncStatus; busy: boolean; errorShown: boolean }) {
  const now = useNow(30_000);
  const running = s.running || busy;
  const progress = progressText(s.progress);
  return (
    <div className="sync-state">
      <p role="status" aria-live="polite">
        {running ? (progress ?? 'Syncing…') : s.lastSyncAt ? `Last synced ${dateTimeText(s.lastSyncAt)} (${agoText(s.lastSyncAt, now)}).` : 'Not synced yet.'}{' '}
        {!running && s.pending > 0 ? `${waitingText(s.pending)} to be sent.` : null}
      </p>
      {running ? <ProgressBar value={s.progress?.total ? s.progress.done : null} max={s.progress?.total ?? 1} label={progress ?? 'Syncing'} /> : null}
      {s.lastError && !running && !errorShown ? (
        <p className="error" role="alert">
          <strong>{failureHeadline(s)}.</strong> {s.lastError}
        </p>
      ) : null}
    </div>
  );
}

export function SyncSection() {
  const status = useApi('sync.status', undefined, ['sync', 'notes', 'decks', 'cards', 'settings']);
  const conflicts = useApi('sync.conflicts', undefined, ['sync']);
  // Today's status line links here (#/settings?section=sync): the section comes into view.
  const route = useRoute();
  const ref = useRef<HTMLElement>(null);
  const loaded = Boolean(status.data);
  useEffect(() => {
    if (route.params.section === 'sync' && loaded) ref.current?.scrollIntoView({ block: 'start' });
  }, [route.params.section, loaded]);
  const [report, setReport] = useState<string | null>(null);
  const syncNow = useAction(async () => {
    setReport(null);
    const r = await api['sync.now']();
    setReport(`Synced: ${r.sent.toLocaleString()} sent, ${r.received.toLocaleString()} received${r.conflicts ? `, ${r.conflicts} conflict${r.conflicts === 1 ? '' : 's'} resolved (see below)` : ''}.`);
  });
  const s = status.data;

  return (
    <section ref={ref} className="card settings-section" aria-labelledby="sync-heading">
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
          <SyncState s={s} busy={syncNow.busy} errorShown={Boolean(syncNow.error)} />
          <AutomaticSwitch status={s} />
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

// Where the collection lives, the automatic backups (each can be restored), and "Back up now", which
// says what it saved. Restoring saves the current collection first, so it can be undone the same way.
import { useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import type { BackupInfo } from '../../../../shared/contract/app';
import { api } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { RestoreConfirm } from './RestoreConfirm';
import { useAction, useApi } from '../../hooks/useApi';
import { dateTimeText } from '../../dates';

const count = (n: number, one: string) => `${n.toLocaleString()} ${n === 1 ? one : `${one}s`}`;
const holds = (c: { notes: number; cards: number; reviews: number }) => `${count(c.notes, 'note')}, ${count(c.cards, 'card')} and ${count(c.reviews, 'review')}`;
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const fileName = (file: string) => file.split(/[\\/]/).pop() ?? file;
const KIND: Record<BackupInfo['kind'], string> = { daily: 'Daily', manual: 'Back up now', 'pre-migration': 'Before an upgrade' };

type Inspected = ChannelOutput<'backups.inspect'>;

export function DataSection() {
  const info = useApi('app.info', undefined, []);
  const backups = useApi('backups.list', undefined, ['backups']);
  const [made, setMade] = useState<ChannelOutput<'backups.create'> | null>(null);
  const [pending, setPending] = useState<Inspected | null>(null);
  const [restored, setRestored] = useState<string | null>(null);

  const create = useAction(async () => {
    setMade(null);
    setRestored(null);
    setMade(await api['backups.create']());
  });
  const inspect = useAction(async (b: BackupInfo) => {
    setRestored(null);
    setPending(await api['backups.inspect']({ name: fileName(b.file) }));
  });
  const restore = useAction(async (b: BackupInfo) => {
    const result = await api['backups.restore']({ name: fileName(b.file) });
    setPending(null);
    setRestored(`Restored the backup from ${dateTimeText(result.restoredFrom)}. Your collection as it was is saved in the backups folder as ${result.safetyBackup}.`);
  });

  return (
    <section className="card settings-section" aria-labelledby="data-heading">
      <h2 id="data-heading">Your data</h2>
      {info.data ? (
        <dl className="facts">
          <dt>Collection folder</dt>
          <dd>
            <code>{info.data.dataDir}</code>
          </dd>
          <dt>Automatic backups</dt>
          <dd>
            <code>{info.data.backupsDir}</code>
            <small className="muted block">
              One a day when Cadence starts and one before every upgrade, each checked first; the last 7 days, 4 weeks and 5 “Back up now” copies are
              kept, and never a backup that holds more than your collection does now.
            </small>
          </dd>
          <dt>Version</dt>
          <dd>
            Cadence {info.data.version} (data format {info.data.schemaVersion})
          </dd>
        </dl>
      ) : (
        <Loading />
      )}
      <div className="form-row">
        <button type="button" onClick={() => void create.run()} disabled={create.busy}>
          {create.busy ? 'Checking and backing up…' : 'Back up now'}
        </button>
      </div>
      {made ? (
        <p role="status">
          Backed up {holds(made.holds)} ({size(made.backup.sizeBytes)}) as <code>{fileName(made.backup.file)}</code> in the backups folder.
          {made.keptLarger.length
            ? ` An older backup from ${dateTimeText(made.keptLarger[0]!.createdAt)} was kept as well: it holds more (${holds(made.keptLarger[0]!)}) than your collection now.`
            : ''}
        </p>
      ) : null}
      {restored ? <p role="status">{restored}</p> : null}
      <ErrorMessage error={create.error ?? info.error ?? backups.error} onDismiss={create.clearError} />

      <h3>Backups</h3>
      {backups.data?.backups.length ? (
        <table className="backups-table">
          <caption className="visually-hidden">Automatic backups, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Made</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.data.backups.map((b) => (
              <tr key={b.file}>
                <td>{dateTimeText(b.createdAt)}</td>
                <td>{KIND[b.kind]}</td>
                <td>{size(b.sizeBytes)}</td>
                <td>
                  <button
                    type="button"
                    className="small"
                    aria-label={`Restore the backup from ${dateTimeText(b.createdAt)}`}
                    disabled={inspect.busy || restore.busy}
                    onClick={() => void inspect.run(b)}
                  >
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : backups.data ? (
        <p className="muted">No backups yet. The first is made a few seconds after Cadence starts, or now with “Back up now”.</p>
      ) : (
        <Loading />
      )}
      <ErrorMessage error={inspect.error} onDismiss={inspect.clearError} />

      <RestoreConfirm
        open={pending !== null}
        busy={restore.busy}
        error={restore.error}
        onConfirm={() => pending && void restore.run(pending.backup)}
        onCancel={() => {
          setPending(null);
          restore.clearError();
        }}
      >
        {pending ? (
          <p>
            The backup from <strong>{dateTimeText(pending.backup.createdAt)}</strong> holds {holds(pending.holds)}. Your collection now has {holds(pending.current)}.
            What you changed after that backup is not in it.
          </p>
        ) : null}
      </RestoreConfirm>
    </section>
  );
}

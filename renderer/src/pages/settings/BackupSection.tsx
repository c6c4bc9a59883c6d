// The whole collection as one file: download a backup (database, pictures and sounds, with checksums)
// and restore one. Restoring shows what the file holds and saves the current collection first.
import { useId, useState } from 'react';
import type { ChannelOutput } from '../../../../shared/contract';
import { api, download, stageFile } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { RestoreConfirm } from './RestoreConfirm';
import { useAction } from '../../hooks/useApi';
import { JobProgressView, useTransferJob } from '../transferJob';
import '../import.css';

type Inspected = ChannelOutput<'collection.inspectBackup'> & { stagedId: string; name: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

export function BackupSection() {
  const job = useTransferJob();
  const [made, setMade] = useState<ChannelOutput<'collection.export'> | null>(null);
  const [pending, setPending] = useState<Inspected | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const inputId = useId();

  const backup = async () => {
    setMade(null);
    const out = await job.run((jobId) => api['collection.export']({ jobId }));
    if (out) {
      setMade(out);
      download(out.downloadName);
    }
  };

  const inspect = useAction(async (file: File) => {
    setRestored(null);
    const staged = await stageFile(file);
    const info = await api['collection.inspectBackup']({ stagedId: staged.stagedId });
    setPending({ ...info, stagedId: staged.stagedId, name: file.name });
  });

  const restore = useAction(async (stagedId: string) => {
    const result = await api['collection.restore']({ stagedId });
    setPending(null);
    setRestored(result.safetyBackup);
  });

  return (
    <section className="card settings-section backup-section" aria-labelledby="backup-file-heading">
      <h2 id="backup-file-heading">Backup file</h2>
      <p className="muted">
        One file with everything: decks, notes, schedules and history, certifications, curricula, settings, and every picture and sound. Keep
        it somewhere safe (another disk or cloud folder); it restores on any computer with Cadence.
      </p>
      <div className="form-row">
        <button type="button" onClick={() => void backup()} disabled={job.running}>
          {job.running ? 'Making the backup…' : 'Download backup'}
        </button>
      </div>
      {job.running ? <JobProgressView progress={job.progress} /> : null}
      {made ? (
        <p role="status">
          Saved <strong>{made.fileName}</strong> ({sizeText(made.sizeBytes)}, {plural(made.mediaFiles, 'media file')}).{' '}
          <button type="button" className="link" onClick={() => download(made.downloadName)}>
            Download again
          </button>
        </p>
      ) : null}
      <ErrorMessage error={job.error} onDismiss={job.clearError} />

      <h3>Restore from a backup file</h3>
      <label htmlFor={inputId} className="stacked">
        <span>Backup file (.zip)</span>
        <input
          id={inputId}
          type="file"
          accept=".zip"
          disabled={inspect.busy || restore.busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void inspect.run(file);
            e.target.value = '';
          }}
        />
      </label>
      {inspect.busy ? <Loading label="Checking the backup…" /> : null}
      <ErrorMessage error={inspect.error} onDismiss={inspect.clearError} />
      {restored ? (
        <p role="status">
          Restored. Everything you see now comes from the backup. Your collection as it was is kept in the backups folder as <code>{restored}</code>.
        </p>
      ) : null}

      <RestoreConfirm
        open={pending !== null}
        busy={restore.busy}
        error={restore.error}
        onConfirm={() => pending && void restore.run(pending.stagedId)}
        onCancel={() => {
          setPending(null);
          restore.clearError();
        }}
      >
        {pending ? (
          <p>
            <strong>{pending.name}</strong> was made on {new Date(pending.createdAt).toLocaleString()} by Cadence {pending.appVersion}. It holds{' '}
            {plural(pending.notes, 'note')} ({plural(pending.cards, 'card')}) in {plural(pending.decks, 'deck')} and {plural(pending.mediaFiles, 'media file')}. Every
            checksum matched.
          </p>
        ) : null}
      </RestoreConfirm>
    </section>
  );
}

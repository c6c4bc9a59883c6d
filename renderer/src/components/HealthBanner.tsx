// The collection's health, above every page, for as long as a fault lasts: damage (writes stopped,
// with "Recover now"), a full disk, a read-only folder or disk errors (writes fail until it is fixed;
// the banner goes by itself when Cadence can write again). Faults met by one action are also told at
// that action; this is the lasting state.
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../../shared/contract';
import type { HealthStatus } from '../../../shared/contract/app';
import { api, onEvent } from '../api';
import { useAction } from '../hooks/useApi';
import { ConfirmDialog, ErrorMessage } from './ui';
import { dateTimeText } from '../dates';

type Report = ChannelOutput<'app.health'>;


export function HealthBanner() {
  const [health, setHealth] = useState<Report | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [recovered, setRecovered] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const read = () =>
      void api['app.health']()
        .then((h) => live && setHealth(h))
        .catch(() => {});
    read();
    const stop = onEvent('app.health', (status: HealthStatus) => {
      setHealth((h) => ({ ...status, newestBackupAt: h?.newestBackupAt ?? null }));
      // The newest backup matters only for a recovery: read it afresh then.
      if (status.state === 'damaged') read();
    });
    return () => {
      live = false;
      stop();
    };
  }, []);

  const recover = useAction(async () => {
    const result = await api['collection.recover']();
    setConfirming(false);
    setRecovered(result.message);
  });

  if (recovered) {
    return (
      <div className="notices">
        <div className="notice warning" role="status">
          <span>{recovered}</span>
          <button type="button" className="link" onClick={() => setRecovered(null)}>
            Dismiss
          </button>
        </div>
      </div>
    );
  }
  if (!health || health.state === 'ok') return null;
  const damaged = health.state === 'damaged';
  return (
    <div className="notices">
      <div className="notice error" role="alert">
        <span>
          <strong>{damaged ? 'Your collection file is damaged.' : 'Changes are not being saved.'}</strong> {health.message}
        </span>
        {damaged ? (
          <button type="button" className="danger small" onClick={() => setConfirming(true)}>
            Recover now…
          </button>
        ) : null}
      </div>
      <ConfirmDialog
        open={confirming}
        title="Recover your collection?"
        confirmLabel={recover.busy ? 'Recovering…' : 'Recover'}
        busy={recover.busy}
        onConfirm={() => void recover.run()}
        onCancel={() => {
          setConfirming(false);
          recover.clearError();
        }}
      >
        <p>
          Cadence sets the damaged file aside in your data folder (it is kept, never deleted) and{' '}
          {health.newestBackupAt !== null ? (
            <>
              restores your newest good backup, from <strong>{dateTimeText(health.newestBackupAt)}</strong>. What you changed after that
              backup is not in it.
            </>
          ) : (
            <>starts a new, empty collection: there is no backup to restore.</>
          )}
        </p>
        <p className="muted">If that backup turns out to be damaged too, the next older good one is used, and Cadence tells you which.</p>
        <ErrorMessage error={recover.error} />
      </ConfirmDialog>
    </div>
  );
}

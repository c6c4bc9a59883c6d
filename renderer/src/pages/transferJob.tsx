// A long import, export or restore as the user sees it: a progress bar fed by 'transfer.progress'
// events for this job, and a Cancel button that undoes everything the job did.
import { useCallback, useRef, useState } from 'react';
import type { TransferPhase } from '../../../shared/contract/transfer';
import { api, ApiError, onEvent } from '../api';
import { ProgressBar } from '../components/ui';

const PHASES: Record<TransferPhase, string> = {
  reading: 'Reading the file',
  media: 'Copying pictures and sounds',
  scheduling: 'Working out schedules',
  writing: 'Saving notes and cards',
  packing: 'Packing the file',
};

export interface JobProgress {
  phase: TransferPhase;
  done: number;
  total: number;
}

function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `job-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * Runs `work(jobId)` with progress tracking. Resolves to its result, or to undefined when it failed or
 * was cancelled (then `error` / `cancelled` say which).
 */
export function useTransferJob() {
  const [running, setRunning] = useState<string | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [error, setError] = useState<string>();
  /** The error's code, for pages that answer some errors with a question ('conflict'). */
  const [errorCode, setErrorCode] = useState<string>();
  const [cancelled, setCancelled] = useState(false);
  const current = useRef<string | null>(null);

  const run = useCallback(async <T,>(work: (jobId: string) => Promise<T>): Promise<T | undefined> => {
    const jobId = newJobId();
    current.current = jobId;
    setRunning(jobId);
    setProgress(null);
    setError(undefined);
    setErrorCode(undefined);
    setCancelled(false);
    const off = onEvent('transfer.progress', (p) => {
      if (p.jobId === jobId) setProgress({ phase: p.phase, done: p.done, total: p.total });
    });
    try {
      return await work(jobId);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'cancelled') setCancelled(true);
      else {
        setError((err as Error).message);
        setErrorCode(err instanceof ApiError ? err.code : undefined);
      }
      return undefined;
    } finally {
      off();
      current.current = null;
      setRunning(null);
    }
  }, []);

  const cancel = useCallback(async () => {
    if (current.current) await api['transfer.cancel']({ jobId: current.current });
  }, []);

  const clearError = () => {
    setError(undefined);
    setErrorCode(undefined);
  };
  return { run, cancel, running: running !== null, progress, error, errorCode, cancelled, clearError };
}

/** The bar, what is happening, and the Cancel button. */
export function JobProgressView({ progress, onCancel, cancelLabel = 'Cancel' }: { progress: JobProgress | null; onCancel?: () => void; cancelLabel?: string }) {
  const label = progress ? PHASES[progress.phase] : 'Starting';
  const counts = progress && progress.total > 1 ? `${progress.done.toLocaleString()} of ${progress.total.toLocaleString()}` : '';
  return (
    <div className="job-progress" aria-live="polite">
      <div className="job-progress-text">
        <strong>{label}…</strong>
        <span className="muted">{counts}</span>
      </div>
      <ProgressBar label={label} value={progress ? progress.done : null} max={progress?.total || 1} />
      {onCancel ? (
        <div>
          <button type="button" onClick={onCancel}>
            {cancelLabel}
          </button>
        </div>
      ) : null}
    </div>
  );
}

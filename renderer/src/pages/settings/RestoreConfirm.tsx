// The question before a backup replaces the collection, for a backup file and a listed backup alike:
// what the backup holds (children), and that the collection as it is now is saved first.
import type { ReactNode } from 'react';
import { ConfirmDialog, ErrorMessage } from '../../components/ui';

export function RestoreConfirm({
  open,
  busy,
  error,
  onConfirm,
  onCancel,
  children,
}: {
  open: boolean;
  busy: boolean;
  error: string | undefined;
  onConfirm: () => void;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog
      open={open}
      title="Replace your collection with this backup?"
      confirmLabel={busy ? 'Restoring…' : 'Restore'}
      danger
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <div className="backup-restore">
        {children}
        <p>Your current collection is replaced. It is saved to the backups folder first, so you can go back to it.</p>
      </div>
      <ErrorMessage error={error} />
    </ConfirmDialog>
  );
}

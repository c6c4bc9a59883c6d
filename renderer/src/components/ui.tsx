// Small building blocks every page uses, so pages look and behave alike.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle ? <p className="muted">{subtitle}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

/** What to show when a list is empty: what it is for and the first step to take. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children ? <div className="muted">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

/** An error the user can act on; role=alert so screen readers announce it. */
export function ErrorMessage({ error, onDismiss }: { error?: string | Error | null; onDismiss?: () => void }) {
  if (!error) return null;
  const text = typeof error === 'string' ? error : error.message;
  return (
    <div className="error" role="alert">
      <span>{text}</span>
      {onDismiss ? (
        <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss error">
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

/**
 * What is wrong with one field, right below it: the field points at it with aria-describedby (see
 * fieldProps) and is marked invalid, so a screen reader reads the sentence with the field.
 */
export function FieldError({ id, error }: { id: string; error?: string | undefined }) {
  if (!error) return null;
  return (
    <small id={id} className="field-error" role="alert">
      {error}
    </small>
  );
}

/** The attributes that tie a field to its FieldError (and to a hint, when it has one). */
export function fieldProps(id: string, error?: string, hintId?: string) {
  const describedBy = [error ? id : null, hintId ?? null].filter(Boolean).join(' ');
  return { 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined } as const;
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted loading" aria-live="polite">
      {label}
    </p>
  );
}

/** A labelled progress bar; `value` of null shows an indeterminate bar. */
export function ProgressBar({ value, max = 1, label, tone }: { value: number | null; max?: number; label: string; tone?: 'ok' | 'warn' | 'bad' }) {
  const pct = value === null ? null : Math.max(0, Math.min(100, (value / (max || 1)) * 100));
  return (
    <div
      className={`progress ${tone ?? ''} ${pct === null ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value ?? undefined}
    >
      <div className="progress-fill" style={{ width: pct === null ? undefined : `${pct}%` }} />
    </div>
  );
}

/**
 * A modal dialog (the native <dialog>, so focus is trapped and Escape closes it).
 * `onClose` runs for Escape, the backdrop and Cancel.
 */
export function Dialog({ open, title, children, onClose, actions }: { open: boolean; title: string; children: ReactNode; onClose: () => void; actions: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      // Back to whatever opened it: a dialog removed while open would leave focus on the page body.
      if (opener?.isConnected && !dialog.contains(opener)) opener.focus();
    };
  }, [open]);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div className="dialog-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  );
}

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      open={open}
      title={title}
      onClose={onCancel}
      actions={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm} disabled={busy} autoFocus>
            {confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Dialog>
  );
}

/** Shown by pages whose feature is not in this version yet: says so, shows nothing made up. */
export function NotAvailable({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="page">
      <PageHeader title={title} />
      <EmptyState title="Not available yet">{children}</EmptyState>
    </section>
  );
}

export function Kbd({ children }: { children: ReactNode }) {
  return <kbd>{children}</kbd>;
}

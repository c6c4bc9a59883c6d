// The reminders inbox: a sidebar button with the number of open reminders and a panel to open, snooze or
// dismiss them. Works the same in the desktop app and in browser mode (reading the inbox also records
// what just came due). Clicking a desktop notification lands here through the 'reminders.open' event.
import { useEffect, useState } from 'react';
import type { InboxItem, ReminderTarget } from '../../../shared/contract/certifications';
import { api, onEvent } from '../api';
import { useAction, useApi } from '../hooks/useApi';
import { dateTimeText } from '../dates';
import { navigate } from '../router';
import { Dialog, ErrorMessage, Loading } from './ui';
import '../pages/certifications/certifications.css';

/** Where each kind of reminder leads. Other features add their kinds here. */
const TARGET_PAGES: Record<string, (id: number) => void> = {
  certification: (id) => navigate('certifications', { id: String(id) }),
  checkin: () => navigate('curriculum'),
};

const CHECK_EVERY_MS = 60_000;

function when(ms: number): string {
  return dateTimeText(ms);
}

function InboxEntry({ item, onOpen }: { item: InboxItem; onOpen: (target: ReminderTarget) => void }) {
  const act = useAction(async (action: 'open' | '1d' | '1w' | 'dismiss') => {
    if (action === 'open') onOpen(item.target);
    else if (action === 'dismiss') await api['reminders.dismiss']({ id: item.id });
    else await api['reminders.snooze']({ id: item.id, for: action });
  });
  const snoozed = item.snoozedUntil !== null;
  return (
    <li className="inbox-item" aria-label={item.title}>
      <h3>{item.title}</h3>
      {item.body ? <p>{item.body}</p> : null}
      <p className="muted small">
        {snoozed ? `Snoozed until ${when(item.snoozedUntil!)}` : `Came due ${when(item.dueAt)}`}
        {item.missed ? ' · while Cadence was closed' : ''}
      </p>
      <div className="button-row">
        {TARGET_PAGES[item.target.kind] ? (
          <button type="button" className="small primary" onClick={() => void act.run('open')}>
            Open
          </button>
        ) : null}
        {!snoozed ? (
          <>
            <button type="button" className="small" disabled={act.busy} onClick={() => void act.run('1d')}>
              Snooze 1 day
            </button>
            <button type="button" className="small" disabled={act.busy} onClick={() => void act.run('1w')}>
              Snooze 1 week
            </button>
          </>
        ) : null}
        <button type="button" className="small" disabled={act.busy} onClick={() => void act.run('dismiss')}>
          Dismiss
        </button>
      </div>
      <ErrorMessage error={act.error} onDismiss={act.clearError} />
    </li>
  );
}

export function InboxButton() {
  const inbox = useApi('reminders.inbox', undefined, ['reminders', 'certifications', 'curriculum']);
  const [open, setOpen] = useState(false);
  const dismissAll = useAction(() => api['reminders.dismissAll']());
  const { reload } = inbox;

  // Reminders come due with time, not only with writes: look again every minute.
  useEffect(() => {
    const timer = setInterval(() => void reload(), CHECK_EVERY_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const openTarget = (target: ReminderTarget) => {
    const go = TARGET_PAGES[target.kind];
    if (go) {
      setOpen(false);
      go(target.id);
    } else {
      setOpen(true);
    }
  };

  // A clicked desktop notification.
  useEffect(() => onEvent('reminders.open', (target) => openTarget(target)), []);

  const count = inbox.data?.count ?? 0;
  const items = inbox.data?.items ?? [];
  const snoozed = inbox.data?.snoozed ?? [];
  return (
    <>
      {/* The visible text ("Inbox 2") is part of the name ("Inbox, 2 reminders"), as axe's label-content-name-mismatch asks. */}
      <button
        type="button"
        className="inbox-button"
        aria-label={count ? `Inbox, ${count} ${count === 1 ? 'reminder' : 'reminders'}` : 'Inbox, no reminders'}
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
      >
        <span>Inbox</span> {count ? <span className="inbox-badge">{count}</span> : null}
      </button>
      <Dialog
        open={open}
        title="Reminders"
        onClose={() => setOpen(false)}
        actions={
          <>
            {items.length > 1 ? (
              <button type="button" disabled={dismissAll.busy} onClick={() => void dismissAll.run()}>
                Dismiss all
              </button>
            ) : null}
            <button type="button" className="primary" onClick={() => setOpen(false)}>
              Close
            </button>
          </>
        }
      >
        <div className="inbox-panel">
          {inbox.loading && !inbox.data ? <Loading /> : null}
          <ErrorMessage error={inbox.error ?? dismissAll.error} />
          {inbox.data && !items.length ? <p className="muted">Nothing needs your attention. Renewal reminders appear here when they come due.</p> : null}
          {items.length ? (
            <ul className="inbox-list" aria-label="Open reminders">
              {items.map((item) => (
                <InboxEntry key={item.id} item={item} onOpen={openTarget} />
              ))}
            </ul>
          ) : null}
          {snoozed.length ? (
            <>
              <h3>Snoozed</h3>
              <ul className="inbox-list" aria-label="Snoozed reminders">
                {snoozed.map((item) => (
                  <InboxEntry key={item.id} item={item} onOpen={openTarget} />
                ))}
              </ul>
            </>
          ) : null}
        </div>
      </Dialog>
    </>
  );
}

// Reminder settings: OS notifications, keeping Cadence in the tray when its window closes (reminders only
// fire while it runs), and starting at login. The last two belong to the desktop app.
import { useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { api, mode } from '../../api';
import { ErrorMessage, Loading } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import '../certifications/certifications.css';

type Toggle = 'notificationsEnabled' | 'keepRunningInTray' | 'startAtLogin';

const TOGGLES: { key: Toggle; label: string; help: string }[] = [
  {
    key: 'notificationsEnabled',
    label: 'Show reminders as system notifications',
    help: 'Renewal reminders also appear in the Inbox, notifications on or off.',
  },
  {
    key: 'keepRunningInTray',
    label: 'Keep running in the tray when the window closes',
    help: 'Reminders can only arrive while Cadence runs. Quit from the tray icon’s menu.',
  },
  {
    key: 'startAtLogin',
    label: 'Start Cadence when you log in (in the tray)',
    help: 'So reminders arrive even if you have not opened Cadence today.',
  },
];

export function RemindersSection() {
  const settings = useApi('settings.get', undefined, ['settings']);
  // Shown at once, before Cadence confirms; a refused change falls back to the saved value.
  const [pending, setPending] = useState<Partial<Settings>>({});
  const update = useAction(async (patch: Partial<Settings>) => {
    setPending((p) => ({ ...p, ...patch }));
    try {
      await api['settings.update'](patch);
      await settings.reload();
    } finally {
      setPending((p) => Object.fromEntries(Object.entries(p).filter(([k]) => !(k in patch))));
    }
  });
  const s = settings.data ? { ...settings.data, ...pending } : undefined;
  return (
    <section className="card settings-section" aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">Reminders</h2>
      {mode === 'browser' ? (
        <p className="muted small tight">
          These apply to the desktop app. In browser mode reminders appear in the Inbox while this page is open.
        </p>
      ) : null}
      {!s ? <Loading /> : null}
      {s
        ? TOGGLES.map((t) => (
            <label className="setting" key={t.key}>
              <span>
                {t.label}
                <small className="muted">{t.help}</small>
              </span>
              <input
                type="checkbox"
                checked={s[t.key]}
                onChange={(e) => void update.run({ [t.key]: e.target.checked })}
              />
            </label>
          ))
        : null}
      <p className="muted small tight">Each certification has its own reminder days on its page (by default 90, 60, 30, 7 and 1 days before expiry, and on the day).</p>
      <ErrorMessage error={update.error ?? settings.error} onDismiss={update.clearError} />
    </section>
  );
}

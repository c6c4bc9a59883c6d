import { useState } from 'react';
import { settingsPatchSchema, type Settings } from '../../../shared/settings';
import { api } from '../api';
import { dateTimeText } from '../dates';
import { ErrorMessage, FieldError, fieldProps, Loading, PageHeader } from '../components/ui';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { useAction, useApi } from '../hooks/useApi';
import { BackupSection } from './settings/BackupSection';
import { FlashcardsSection } from './settings/FlashcardsSection';
import { RemindersSection } from './settings/RemindersSection';

function GeneralSection({ settings }: { settings: Settings }) {
  const update = useAction((patch: Partial<Settings>) => api['settings.update'](patch));
  const fields = useFieldErrors();
  const [goalSaved, setGoalSaved] = useState(false);
  const saveGoal = async (text: string) => {
    setGoalSaved(false);
    const patch = fields.check(settingsPatchSchema, { dailyGoalCards: text.trim() === '' ? null : Number(text) });
    if (!patch || patch.dailyGoalCards === settings.dailyGoalCards) return;
    if (await update.run(patch)) setGoalSaved(true);
  };
  return (
    <section className="card settings-section" aria-labelledby="general-heading">
      <h2 id="general-heading">General</h2>
      <label className="setting">
        <span>
          Appearance
          <small className="muted">“System” follows your operating system's light or dark mode.</small>
        </span>
        <select value={settings.theme} onChange={(e) => void update.run({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">System</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </label>
      <label className="setting">
        <span>
          New study day starts at
          <small className="muted">Reviews after midnight and before this hour count for the day before.</small>
        </span>
        <select value={settings.dayRolloverHour} onChange={(e) => void update.run({ dayRolloverHour: Number(e.target.value) })}>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>
              {String(h).padStart(2, '0')}:00
            </option>
          ))}
        </select>
      </label>
      <label className="setting">
        <span>
          Daily goal
          <small className="muted">Cards to review each day; shown on Today and used for your streak.</small>
        </span>
        <span className="setting-input">
          <input
            type="number"
            min={1}
            max={10000}
            defaultValue={settings.dailyGoalCards}
            onBlur={(e) => void saveGoal(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') void saveGoal(e.currentTarget.value);
            }}
            {...fieldProps('goal-error', fields.errors.dailyGoalCards)}
          />
          {goalSaved ? (
            <small className="muted" role="status">
              Saved.
            </small>
          ) : null}
          <FieldError id="goal-error" error={fields.errors.dailyGoalCards} />
        </span>
      </label>
      <ErrorMessage error={update.error} onDismiss={update.clearError} />
    </section>
  );
}

function DataSection() {
  const info = useApi('app.info', undefined, []);
  const backups = useApi('backups.list', undefined, ['backups']);
  const create = useAction(async () => {
    await api['backups.create']();
    await backups.reload();
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
            <small className="muted block">One a day when Cadence starts and one before every upgrade; the last 7 days and 4 weeks are kept.</small>
          </dd>
          <dt>Version</dt>
          <dd>
            Cadence {info.data.version} (data format {info.data.schemaVersion})
          </dd>
        </dl>
      ) : (
        <Loading />
      )}
      <h3>Backups</h3>
      {backups.data?.backups.length ? (
        <ul className="plain-list">
          {backups.data.backups.map((b) => (
            <li key={b.file}>
              {dateTimeText(b.createdAt)} · {b.kind === 'pre-migration' ? 'before an upgrade' : b.kind} · {(b.sizeBytes / 1024).toFixed(0)} KB
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No backups yet.</p>
      )}
      <button type="button" onClick={() => void create.run()} disabled={create.busy}>
        {create.busy ? 'Backing up…' : 'Back up now'}
      </button>
      <ErrorMessage error={create.error ?? info.error ?? backups.error} />
    </section>
  );
}

export function SettingsPage() {
  const settings = useApi('settings.get', undefined, ['settings']);
  return (
    <section className="page">
      <PageHeader title="Settings" />
      <ErrorMessage error={settings.error} />
      {settings.data ? <GeneralSection settings={settings.data} /> : <Loading />}
      <FlashcardsSection />
      <RemindersSection />
      <BackupSection />
      <DataSection />
    </section>
  );
}

import { useState } from 'react';
import { settingsPatchSchema, type Settings } from '../../../shared/settings';
import { api } from '../api';
import { dateTimeText } from '../dates';
import { ErrorMessage, FieldError, fieldProps, Loading, PageHeader } from '../components/ui';
import { useFieldErrors } from '../hooks/useFieldErrors';
import { useAction, useApi } from '../hooks/useApi';
import { href } from '../router';
import { BackupSection } from './settings/BackupSection';
import { FlashcardsSection } from './settings/FlashcardsSection';
import { FsrsSection } from './settings/FsrsSection';
import { RemindersSection } from './settings/RemindersSection';
import { DataSection } from './settings/DataSection';
import { SyncSection } from './settings/SyncSection';

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

export function SettingsPage() {
  const settings = useApi('settings.get', undefined, ['settings']);
  return (
    <section className="page">
      <PageHeader title="Settings" />
      <ErrorMessage error={settings.error} />
      {settings.data ? <GeneralSection settings={settings.data} /> : <Loading />}
      <FlashcardsSection />
      <FsrsSection />
      <RemindersSection />
      <SyncSection />
      <BackupSection />
      <DataSection />
      <p className="muted">
        <a href={href('about')}>About & licences</a>: the Scrum Guide deck's licence and the open-source software inside Cadence.
      </p>
    </section>
  );
}

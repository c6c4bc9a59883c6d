// Mentor check-ins: the schedule (weekly or every two weeks), the next one, and a log with notes.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { EmptyState, ErrorMessage, Loading } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import { Markdown } from '../../render/Markdown';
import { todayLocal } from '../certifications/format';
import { longDate, timeOfDay } from './format';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function CheckinsPanel() {
  const { data, error, loading } = useApi('checkins.get', undefined, ['checkins']);
  const [cadence, setCadence] = useState<'weekly' | 'biweekly'>('weekly');
  const [weekday, setWeekday] = useState(1);
  const [time, setTime] = useState('17:00');
  const [mentor, setMentor] = useState('');
  const [remind, setRemind] = useState('60');
  const [notes, setNotes] = useState('');
  const [heldOn, setHeldOn] = useState(todayLocal);
  const schedule = data?.schedule;
  useEffect(() => {
    if (!schedule) return;
    setCadence(schedule.cadence);
    setWeekday(schedule.weekday);
    setTime(schedule.time);
    setMentor(schedule.mentor);
    setRemind(String(schedule.remindMinutesBefore));
  }, [schedule]);

  const save = useAction(() => api['checkins.setSchedule']({ cadence, weekday, time, mentor, remindMinutesBefore: Number(remind) }));
  const clear = useAction(() => api['checkins.clearSchedule']());
  const log = useAction(async () => {
    // A check-in held on an earlier day is logged at that day's noon; today's at this moment.
    const [y, m, d] = heldOn.split('-').map(Number) as [number, number, number];
    const at = heldOn && heldOn !== todayLocal() ? new Date(y, m - 1, d, 12).getTime() : undefined;
    await api['checkins.log']({ notes, ...(at !== undefined ? { at } : {}) });
    setNotes('');
    setHeldOn(todayLocal());
  });
  const removeEntry = useAction((id: number) => api['checkins.deleteLog']({ id }));

  if (!data) return loading ? <Loading /> : <ErrorMessage error={error} />;
  const submitSchedule = (e: FormEvent) => {
    e.preventDefault();
    void save.run();
  };
  return (
    <div className="stack">
      <section className="card" aria-labelledby="checkin-schedule">
        <h2 id="checkin-schedule">Schedule</h2>
        {data.next ? (
          <p>
            Next check-in: <strong>{longDate(data.next.date)} at {timeOfDay(data.next.at)}</strong>
            {data.next.mentor ? ` with ${data.next.mentor}` : ''}.
          </p>
        ) : (
          <p className="muted">No check-ins scheduled yet.</p>
        )}
        <form className="inline-form checkin-form" onSubmit={submitSchedule} aria-label="Check-in schedule">
          <label htmlFor="checkin-cadence">Every</label>
          <select id="checkin-cadence" value={cadence} onChange={(e) => setCadence(e.target.value as 'weekly' | 'biweekly')}>
              <option value="weekly">week</option>
              <option value="biweekly">two weeks</option>
          </select>
          <label htmlFor="checkin-weekday">on</label>
          <select id="checkin-weekday" value={weekday} onChange={(e) => setWeekday(Number(e.target.value))}>
              {WEEKDAYS.map((d, i) => (
                <option key={d} value={i + 1}>
                  {d}
                </option>
              ))}
          </select>
          <label htmlFor="checkin-time">at</label>
          <input id="checkin-time" type="time" value={time} onChange={(e) => setTime(e.target.value)} required />
          <label htmlFor="checkin-mentor">with</label>
          <input id="checkin-mentor" value={mentor} onChange={(e) => setMentor(e.target.value)} maxLength={120} placeholder="Mentor's name" />
          <label htmlFor="checkin-remind">remind me</label>
          <input id="checkin-remind" type="number" min={0} max={10080} value={remind} onChange={(e) => setRemind(e.target.value)} style={{ width: '5.5rem' }} />
          <span className="muted small">minutes before</span>
          <button type="submit" className="primary" disabled={save.busy}>
            {schedule ? 'Update schedule' : 'Schedule'}
          </button>
          {schedule ? (
            <button type="button" onClick={() => void clear.run()} disabled={clear.busy}>
              Stop check-ins
            </button>
          ) : null}
        </form>
        <ErrorMessage error={save.error ?? clear.error} onDismiss={() => (save.clearError(), clear.clearError())} />
      </section>

      <section className="card" aria-labelledby="checkin-log">
        <h2 id="checkin-log">Log</h2>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void log.run();
          }}
        >
          <label>
            Held on
            <input type="date" value={heldOn} max={todayLocal()} onChange={(e) => setHeldOn(e.target.value)} required />
          </label>
          <label>
            Notes from the check-in (Markdown: **bold**, lists)
            <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} placeholder="What you discussed, what to do next" />
          </label>
          <div>
            <button type="submit" className="primary" disabled={log.busy}>
              Log check-in
            </button>
          </div>
          <ErrorMessage error={log.error} onDismiss={log.clearError} />
        </form>
        {data.log.length === 0 ? (
          <EmptyState title="No check-ins logged">Log each check-in with a few notes to keep track of advice and next steps.</EmptyState>
        ) : (
          <ul className="plain-list checkin-log">
            {data.log.map((e) => (
              <li key={e.id}>
                <div className="row-between">
                  <strong>
                    {longDate(e.date)}, {timeOfDay(e.at)}
                  </strong>
                  <button type="button" className="small danger-text" onClick={() => void removeEntry.run(e.id)}>
                    Delete
                  </button>
                </div>
                {e.notes ? <Markdown className="checkin-notes" source={e.notes} /> : <p className="muted">No notes.</p>}
              </li>
            ))}
          </ul>
        )}
        <ErrorMessage error={removeEntry.error} onDismiss={removeEntry.clearError} />
      </section>
    </div>
  );
}

// Mentor check-ins: the schedule (weekly or every two weeks), the next one, and a log with notes.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { contract } from '../../../../shared/contract';
import { api } from '../../api';
import { EmptyState, ErrorMessage, FieldError, fieldProps, Loading } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import { useFieldErrors, useFocusFirstProblem, wholeNumberProblem } from '../../hooks/useFieldErrors';
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

  const scheduleFields = useFieldErrors();
  const save = useAction(async () => {
    const input = scheduleFields.check(contract['checkins.setSchedule'].input, { cadence, weekday, time, mentor, remindMinutesBefore: Number(remind) });
    // The time and the minutes get the form's own sentences; the schema's would not use the form's words.
    const own: Record<string, string> = {};
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) own.time = 'Enter the time of the check-in, e.g. 17:30.';
    const minutes = wholeNumberProblem(remind, { what: 'the minutes before the check-in to remind you', min: 0, max: 10_080, example: 60 });
    if (minutes) own.remindMinutesBefore = minutes;
    if (Object.keys(own).length) scheduleFields.setErrors((errors) => ({ ...errors, ...own }));
    if (!input || Object.keys(own).length) return;
    await api['checkins.setSchedule'](input);
  });
  const clear = useAction(() => api['checkins.clearSchedule']());
  const logForm = useRef<HTMLFormElement>(null);
  const [logProblems, setLogProblems] = useState<{ heldOn?: string }>({});
  useFocusFirstProblem(logForm, logProblems);
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
  const submitLog = (e: FormEvent) => {
    e.preventDefault();
    // Empty (or typed in part) or after today: a check-in is logged once it was held.
    const found = { heldOn: !heldOn || heldOn > todayLocal() ? 'Choose the day the check-in was held: today or an earlier day.' : undefined };
    setLogProblems(found);
    if (!found.heldOn) void log.run();
  };
  const tie = (key: string) => fieldProps(`checkin-${key}-error`, scheduleFields.errors[key]);
  const problem = (key: string) => <FieldError id={`checkin-${key}-error`} error={scheduleFields.errors[key]} />;
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
        <form ref={scheduleFields.form} className="inline-form checkin-form" onSubmit={submitSchedule} aria-label="Check-in schedule" noValidate>
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
          <span className="field-stack">
            <input id="checkin-time" type="time" value={time} onChange={(e) => setTime(e.target.value)} {...tie('time')} />
            {problem('time')}
          </span>
          <label htmlFor="checkin-mentor">with</label>
          <span className="field-stack">
            <input id="checkin-mentor" value={mentor} onChange={(e) => setMentor(e.target.value)} maxLength={120} placeholder="Mentor's name" {...tie('mentor')} />
            {problem('mentor')}
          </span>
          <label htmlFor="checkin-remind">remind me</label>
          <span className="field-stack">
            <span className="checkin-minutes">
              <input id="checkin-remind" type="number" min={0} max={10080} value={remind} onChange={(e) => setRemind(e.target.value)} style={{ width: '5.5rem' }} {...tie('remindMinutesBefore')} />
              <span className="muted small">minutes before</span>
            </span>
            {problem('remindMinutesBefore')}
          </span>
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
        <form ref={logForm} className="stack" onSubmit={submitLog} aria-label="Log a check-in" noValidate>
          <label>
            Held on
            <input type="date" value={heldOn} max={todayLocal()} onChange={(e) => setHeldOn(e.target.value)} {...fieldProps('checkin-held-error', logProblems.heldOn)} />
          </label>
          <FieldError id="checkin-held-error" error={logProblems.heldOn} />
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

// Today, the home screen: what is due, where the learner stands in each curriculum, renewals coming
// up, the next mentor check-in, the streak and the day's goal. One call ('today.get') fills it.
import type { Today } from '../../../shared/contract/curriculum';
import type { DeckSummary } from '../../../shared/contract/decks';
import { EmptyState, ErrorMessage, Loading, PageHeader, ProgressBar } from '../components/ui';
import { useApi } from '../hooks/useApi';
import { href } from '../router';
import { longDate, masteryBadge, masteryText, paceTone, plural, shortDate, STATUS_LABEL, timeOfDay } from './curriculum/format';
import './curriculum/curriculum.css';
import './today.css';
import { TodayExamReadiness } from './exams/Readiness';
import { TodaySync } from './TodaySync';

const TOPICS = ['decks', 'cards', 'study', 'settings', 'curricula', 'checkins', 'certifications', 'reminders'];

function dueOf(d: DeckSummary): number {
  return d.counts.newDue + d.counts.learningDue + d.counts.reviewDue;
}

/** The deck "Study now" starts: the first top-level deck with cards due (its subdecks come with it). */
function firstDueDeck(decks: DeckSummary[]): DeckSummary | undefined {
  return decks.find((d) => d.depth === 0 && dueOf(d) > 0) ?? decks.find((d) => dueOf(d) > 0);
}

function Summary({ t }: { t: Today }) {
  const due = t.due.newCards + t.due.learning + t.due.review;
  const start = firstDueDeck(t.decks);
  const goalMet = t.goal.done >= t.goal.target;
  return (
    <div className="today-summary">
      <section className="card stat-tile" aria-labelledby="due-now">
        <h2 id="due-now" className="tile-label">
          Due now
        </h2>
        <p className="tile-value">{due.toLocaleString()}</p>
        <p className="muted small">
          <span className="new">{t.due.newCards} new</span> · <span className="learn">{t.due.learning} learning</span> ·{' '}
          <span className="due">{t.due.review} review</span>
        </p>
        {due > 0 && start ? (
          <a className="button primary" href={href('study', { deck: String(start.id) })} aria-describedby="study-now-deck">
            Study now
          </a>
        ) : null}
        {due > 0 && start ? (
          <p id="study-now-deck" className="muted small">
            Starts with {start.path}
            {t.decks.some((d) => d.depth === 0 && d.id !== start.id && dueOf(d) > 0) ? '; other decks are in the table below.' : '.'}
          </p>
        ) : null}
      </section>
      <section className="card stat-tile" aria-labelledby="goal">
        <h2 id="goal" className="tile-label">
          Today's goal
        </h2>
        <p className="tile-value">
          {t.goal.done} <span className="muted tile-of">/ {t.goal.target} cards</span>
        </p>
        <ProgressBar value={Math.min(t.goal.done, t.goal.target)} max={t.goal.target} label={`Today's goal: ${t.goal.done} of ${t.goal.target} cards`} tone={goalMet ? 'ok' : undefined} />
        <p className="muted small">{goalMet ? 'Goal reached. Well done.' : `${plural(t.goal.target - t.goal.done, 'card')} to go.`}</p>
      </section>
      <section className="card stat-tile" aria-labelledby="streak">
        <h2 id="streak" className="tile-label">
          Study streak
        </h2>
        <p className="tile-value">{plural(t.streak.days, 'day')}</p>
        <p className="muted small">
          {t.streak.studiedToday ? 'Today counts already.' : t.streak.days > 0 ? 'Study today to keep it going.' : 'Answer one card to start a streak.'}
        </p>
      </section>
    </div>
  );
}

/** Rows the Today table shows at most; the Decks page has the full tree. */
const MAX_DUE_ROWS = 8;

function DueDecks({ decks }: { decks: DeckSummary[] }) {
  // Top-level decks and their direct subdecks are enough here: a deck's counts include everything below it.
  const withDue = decks.filter((d) => d.depth <= 1 && dueOf(d) > 0);
  const shown = withDue.slice(0, MAX_DUE_ROWS);
  // A subdeck is indented only right under its own parent's row; when the parent is not listed (nothing
  // due in it today), it shows its full path instead of seeming to belong to the row above.
  const underParent = new Set(shown.filter((d, i) => d.depth > 0 && shown.slice(0, i).some((p) => p.id === d.parentId)).map((d) => d.id));
  const hidden = withDue.length - shown.length;
  return (
    <section className="card table-card due-decks" aria-labelledby="due-decks">
      <h2 id="due-decks" className="card-title">
        Cards due by deck
      </h2>
      {decks.length === 0 ? (
        <EmptyState title="No decks yet" action={<a className="button primary" href={href('decks')}>Go to Decks</a>}>
          Add the starter decks or import a deck to start studying.
        </EmptyState>
      ) : withDue.length === 0 ? (
        <p className="muted pad">
          Nothing is due right now. New reviews will appear here when they come due. <a href={href('decks')}>Add cards on the Decks page</a>.
        </p>
      ) : (
        <table className="deck-table">
          <colgroup>
            <col />
            <col className="col-count" />
            <col className="col-count" />
            <col className="col-count" />
            <col className="col-study" />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Deck</th>
              <th scope="col" className="num new">
                New
              </th>
              <th scope="col" className="num learn">
                <abbr title="Learning">Learn</abbr>
              </th>
              <th scope="col" className="num due">
                Review
              </th>
              <th scope="col">
                <span className="visually-hidden">Study</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.id}>
                <th scope="row" className={underParent.has(d.id) ? 'subdeck' : undefined}>
                  <span className="deck-name" title={d.path}>
                    {underParent.has(d.id) ? d.name : d.path}
                  </span>
                </th>
                <td className="num new">{d.counts.newDue}</td>
                <td className="num learn">{d.counts.learningDue}</td>
                <td className="num due">{d.counts.reviewDue}</td>
                <td className="study-cell">
                  <a className="button small" href={href('study', { deck: String(d.id) })} aria-label={`Study ${d.path}`}>
                    Study
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {withDue.length > 0 ? (
        <p className="muted small due-decks-foot">
          <span>
            {hidden > 0 ? `${plural(hidden, 'more deck')} with cards due. ` : ''}Counts include subdecks.
          </span>
          <a href={href('decks')}>All decks</a>
        </p>
      ) : null}
    </section>
  );
}

function Curricula({ t }: { t: Today }) {
  return (
    <section className="card" aria-labelledby="today-curricula">
      <h2 id="today-curricula">Curriculum</h2>
      {t.curricula.length === 0 ? (
        <p className="muted">
          No curriculum yet. <a href={href('curriculum')}>Start one from a template</a> to track your modules and pace.
        </p>
      ) : (
        <ul className="plain-list today-curricula">
          {t.curricula.map((c) => (
            <li key={c.id}>
              <div className="row-between">
                <a className="deck-name" href={href('curriculum', { id: String(c.id) })}>
                  {c.name}
                </a>
                <span className={`badge ${paceTone(c.pace)}`}>{c.pace.label}</span>
              </div>
              <ProgressBar value={c.progress.done} max={Math.max(1, c.progress.total)} label={`${c.name}: ${c.progress.done} of ${c.progress.total} modules done`} tone={c.progress.done === c.progress.total && c.progress.total > 0 ? 'ok' : undefined} />
              <p className="muted small">
                {c.progress.done} of {plural(c.progress.total, 'module')} done
                {c.pace.currentWeek !== null ? ` · week ${c.pace.currentWeek}` : ''}
              </p>
              {c.current ? (
                <dl className="facts small">
                  <dt>{c.current.status === 'in_progress' ? 'Now' : 'Up next'}</dt>
                  <dd>
                    Week {c.current.week}: {c.current.title} <span className="muted">({STATUS_LABEL[c.current.status].toLowerCase()})</span>
                    <br />
                    <span className="muted">{masteryText(c.current.mastery)}</span>{' '}
                    <span className={`badge ${masteryBadge(c.current.mastery).tone}`}>{masteryBadge(c.current.mastery).text}</span>
                  </dd>
                  {c.next ? (
                    <>
                      <dt>Then</dt>
                      <dd>
                        Week {c.next.week}: {c.next.title}
                      </dd>
                    </>
                  ) : null}
                </dl>
              ) : (
                <p className="small">Every module is done.</p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Renewals({ t }: { t: Today }) {
  return (
    <section className="card" aria-labelledby="today-renewals">
      <h2 id="today-renewals">Renewals in the next 90 days</h2>
      {t.renewals.length === 0 ? (
        <p className="muted">
          Nothing to renew soon. <a href={href('certifications')}>See your certifications</a> or add one to get reminders.
        </p>
      ) : (
        <ul className="plain-list renewals">
          {t.renewals.map((r) => (
            <li key={r.id} className="renewal">
              <a href={href('certifications', { id: String(r.id) })} className="deck-name">
                {r.title}
              </a>{' '}
              <span className={`badge ${r.daysLeft <= 30 ? 'warn' : ''}`}>{r.daysLeft < 0 ? 'in grace period' : r.daysLeft === 0 ? 'today' : `in ${plural(r.daysLeft, 'day')}`}</span>
              <div className="muted small">
                Due {shortDate(r.dueOn)}
                {r.detail ? ` · ${r.detail}` : ''}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Checkin({ t }: { t: Today }) {
  const c = t.checkin;
  return (
    <section className="card" aria-labelledby="today-checkin">
      <h2 id="today-checkin">Next mentor check-in</h2>
      {c ? (
        <p>
          <strong>
            {c.date === t.today ? 'Today' : longDate(c.date)} at {timeOfDay(c.at)}
          </strong>
          {c.mentor ? <span className="muted"> with {c.mentor}</span> : null}
        </p>
      ) : (
        <p className="muted">No check-ins scheduled.</p>
      )}
      <a className="button small" href={href('curriculum', { tab: 'checkins' })}>
        {c ? 'Check-ins and notes' : 'Schedule check-ins'}
      </a>
    </section>
  );
}

export function TodayPage() {
  const { data, error, loading } = useApi('today.get', undefined, TOPICS);
  return (
    <section className="page">
      <PageHeader title="Today" subtitle={data ? longDate(data.today) : undefined} actions={<TodaySync />} />
      <ErrorMessage error={error} />
      {!data && loading ? <Loading /> : null}
      {data ? (
        <>
          <Summary t={data} />
          <div className="today-grid">
            <div className="today-side">
              <DueDecks decks={data.decks} />
              <Renewals t={data} />
            </div>
            <div className="today-side">
              <Curricula t={data} />
              {/* Exam readiness: reads exams.overview itself, so today.get stays the curriculum's. */}
              <TodayExamReadiness />
              <Checkin t={data} />
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}

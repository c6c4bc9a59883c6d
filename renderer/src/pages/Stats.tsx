// Study statistics for the whole collection or one deck tree: a year of reviews as a calendar, reviews
// and time per day, true retention by week and month, the 30-day forecast, memory-state histograms
// and answer buttons. #/stats?deck=N limits it to a deck and its subdecks.
import { useMemo } from 'react';
import type { AnswerButtons, RetentionPeriod, Stats } from '../../../shared/contract/stats';
import { EmptyState, ErrorMessage, Loading, PageHeader } from '../components/ui';
import { useApi } from '../hooks/useApi';
import { href, navigate, useRoute } from '../router';
import { duration, pct, plural } from './curriculum/format';
import { CategoryChart, ChartCard, Heatmap } from './stats/Charts';
import './curriculum/curriculum.css';
import { DeckOptions } from '../components/DeckOptions';

const TOPICS = ['decks', 'cards', 'study', 'settings'];
const RECENT_DAYS = 90;

function dayLabel(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

const minutes = (v: number) => (v === 0 ? '0' : v < 1 ? `${Math.round(v * 60)} s` : `${Math.round(v * 10) / 10} min`);
const percent = (v: number) => `${Math.round(v)}%`;
const count = (v: number) => (Number.isInteger(v) ? v.toLocaleString() : '');

function RetentionTable({ periods, what }: { periods: RetentionPeriod[]; what: string }) {
  return (
    <table>
      <caption className="visually-hidden">True retention by {what}</caption>
      <thead>
        <tr>
          <th scope="col">{what === 'week' ? 'Week' : 'Month'}</th>
          <th scope="col" className="num">
            Passed
          </th>
          <th scope="col" className="num">
            Reviewed
          </th>
          <th scope="col" className="num">
            Retention
          </th>
        </tr>
      </thead>
      <tbody>
        {[...periods].reverse().map((p) => (
          <tr key={p.start}>
            <th scope="row">{p.label}</th>
            <td className="num">{p.passed}</td>
            <td className="num">{p.total}</td>
            <td className="num">{pct(p.rate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ButtonsTable({ buttons, caption }: { buttons: AnswerButtons; caption: string }) {
  const rows: [string, [number, number, number, number]][] = [
    ['Learning', buttons.learning],
    ['Young (interval under 21 days)', buttons.young],
    ['Mature', buttons.mature],
  ];
  return (
    <table>
      <caption className="muted small" style={{ textAlign: 'left', padding: '0.25rem 0.75rem' }}>
        {caption}
      </caption>
      <thead>
        <tr>
          <th scope="col">Cards</th>
          <th scope="col" className="num">
            Again
          </th>
          <th scope="col" className="num">
            Hard
          </th>
          <th scope="col" className="num">
            Good
          </th>
          <th scope="col" className="num">
            Easy
          </th>
          <th scope="col" className="num">
            Correct
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, b]) => {
          const total = b[0] + b[1] + b[2] + b[3];
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              {b.map((n, i) => (
                <td key={i} className="num">
                  {n.toLocaleString()}
                </td>
              ))}
              <td className="num">{total ? pct((total - b[0]) / total) : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function StatsView({ s }: { s: Stats }) {
  const recent = useMemo(() => s.days.slice(-RECENT_DAYS), [s.days]);
  const recentLabels = useMemo(() => recent.map((d) => dayLabel(d.date)), [recent]);
  const reviewSeries = useMemo(() => [{ label: 'Reviews', values: recent.map((d) => d.reviews), color: '--accent' }], [recent]);
  const timeSeries = useMemo(() => [{ label: 'Minutes', values: recent.map((d) => Math.round(d.timeMs / 600) / 100), color: '--due' }], [recent]);
  const weekLabels = useMemo(() => s.retention.weeks.map((w) => dayLabel(w.start)), [s.retention.weeks]);
  const weekSeries = useMemo(
    () => [{ label: 'Retention', values: s.retention.weeks.map((w) => (w.rate === null ? null : Math.round(w.rate * 1000) / 10)), color: '--ok', kind: 'line' as const }],
    [s.retention.weeks],
  );
  const forecastLabels = useMemo(() => s.forecast.map((f, i) => (i === 0 ? 'Today' : dayLabel(f.date))), [s.forecast]);
  const forecastSeries = useMemo(() => [{ label: 'Due', values: s.forecast.map((f) => f.due), color: '--new' }], [s.forecast]);
  const stabilityLabels = useMemo(() => s.stability.map((b) => b.label), [s.stability]);
  const stabilitySeries = useMemo(() => [{ label: 'Cards', values: s.stability.map((b) => b.cards), color: '--accent' }], [s.stability]);
  const difficultyLabels = useMemo(() => s.difficulty.map((b) => b.label), [s.difficulty]);
  const difficultySeries = useMemo(() => [{ label: 'Cards', values: s.difficulty.map((b) => b.cards), color: '--learn' }], [s.difficulty]);
  const studied = s.days.filter((d) => d.reviews > 0);

  return (
    <>
      <section className="card totals" aria-label="The last 365 days">
        <div>
          <strong>{s.totals.reviews.toLocaleString()}</strong>
          <span className="muted small">reviews in the last year</span>
        </div>
        <div>
          <strong>{duration(s.totals.timeMs)}</strong>
          <span className="muted small">time studying</span>
        </div>
        <div>
          <strong>{plural(s.totals.daysStudied, 'day')}</strong>
          <span className="muted small">with reviews</span>
        </div>
        <div>
          <strong>{pct(s.retention.year.rate)}</strong>
          <span className="muted small">true retention</span>
        </div>
      </section>

      <ChartCard
        id="chart-heatmap"
        title="Reviews over the year"
        description="Each square is a study day; darker means more reviews. Today is outlined."
        chart={<Heatmap days={s.days} />}
        table={
          <table>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" className="num">
                  Reviews
                </th>
                <th scope="col" className="num">
                  Time
                </th>
              </tr>
            </thead>
            <tbody>
              {studied.length === 0 ? (
                <tr>
                  <td colSpan={3}>No reviews in the last year.</td>
                </tr>
              ) : (
                [...studied].reverse().map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <td className="num">{d.reviews}</td>
                    <td className="num">{duration(d.timeMs)}</td>
                  </tr>
                ))
              )}
            </tbody>
          </table>
        }
      />

      <div className="stats-grid">
        <ChartCard
          id="chart-reviews"
          title="Reviews per day"
          description={`The last ${RECENT_DAYS} days.`}
          chart={<CategoryChart labels={recentLabels} series={reviewSeries} yFormat={count} wholeNumbers ariaLabel={`Reviews per day over the last ${RECENT_DAYS} days`} />}
          table={
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">New</th>
                  <th scope="col" className="num">Learning</th>
                  <th scope="col" className="num">Review</th>
                  <th scope="col" className="num">Relearning</th>
                  <th scope="col" className="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {[...recent].reverse().map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <td className="num">{d.newCards}</td>
                    <td className="num">{d.learning}</td>
                    <td className="num">{d.review}</td>
                    <td className="num">{d.relearning}</td>
                    <td className="num">{d.reviews}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
        <ChartCard
          id="chart-time"
          title="Time per day"
          description={`Minutes spent answering, the last ${RECENT_DAYS} days.`}
          chart={<CategoryChart labels={recentLabels} series={timeSeries} yFormat={minutes} ariaLabel={`Minutes studied per day over the last ${RECENT_DAYS} days`} />}
          table={
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" className="num">Time</th>
                </tr>
              </thead>
              <tbody>
                {[...recent].reverse().map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{d.date}</th>
                    <td className="num">{duration(d.timeMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          }
        />
        <ChartCard
          id="chart-retention"
          title="True retention"
          description="Share of cards in review not answered Again, counting each card's first answer of the day. With FSRS it should sit near your desired retention."
          chart={
            s.retention.year.total === 0 ? (
              <p className="muted">Nothing to measure yet: retention counts answers to cards already in review (after their learning steps).</p>
            ) : (
              <CategoryChart labels={weekLabels} series={weekSeries} yFormat={percent} ariaLabel="True retention by week over the last year" />
            )
          }
          table={
            <>
              <RetentionTable periods={s.retention.months} what="month" />
              <RetentionTable periods={s.retention.weeks} what="week" />
            </>
          }
        />
        <ChartCard
          id="chart-forecast"
          title="Due in the next 30 days"
          description="Cards coming due each day; today includes overdue cards."
          chart={<CategoryChart labels={forecastLabels} series={forecastSeries} yFormat={count} wholeNumbers ariaLabel="Cards due per day over the next 30 days" />}
          table={
            <TwoColumnTable head={['Day', 'Due']} rows={s.forecast.map((f) => [f.date, f.due] as const)} />
          }
        />
        <ChartCard
          id="chart-stability"
          title="Stability"
          description="How long each card would take to fall to 90% recall, by range."
          chart={<CategoryChart labels={stabilityLabels} series={stabilitySeries} yFormat={count} wholeNumbers ariaLabel="Cards by FSRS stability" />}
          table={
            <TwoColumnTable head={['Stability', 'Cards']} rows={s.stability.map((b) => [b.label, b.cards] as const)} />
          }
        />
        <ChartCard
          id="chart-difficulty"
          title="Difficulty"
          description="FSRS difficulty from 1 (easiest) to 10 (hardest)."
          chart={<CategoryChart labels={difficultyLabels} series={difficultySeries} yFormat={count} wholeNumbers ariaLabel="Cards by FSRS difficulty" />}
          table={
            <TwoColumnTable head={['Difficulty', 'Cards']} rows={s.difficulty.map((b) => [b.label, b.cards] as const)} />
          }
        />
      </div>

      <section className="card table-card" aria-labelledby="answer-buttons">
        <h2 id="answer-buttons" className="card-title">
          Answer buttons
        </h2>
        <ButtonsTable buttons={s.answerButtons.month} caption="The last 30 days" />
        <ButtonsTable buttons={s.answerButtons.year} caption="The last 365 days" />
      </section>
    </>
  );
}

/** The table view of a one-series chart: a label column and a number column. */
function TwoColumnTable({ head, rows }: { head: readonly [string, string]; rows: readonly (readonly [string, number])[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{head[0]}</th>
          <th scope="col" className="num">
            {head[1]}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td className="num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function StatsPage() {
  const route = useRoute();
  const deckId = route.params.deck ? Number(route.params.deck) : null;
  const decks = useApi('decks.list', undefined, ['decks']);
  const stats = useApi('stats.get', deckId ? { deckId } : {}, TOPICS);
  return (
    <section className="page">
      <PageHeader
        title="Stats"
        subtitle={stats.data ? (stats.data.scope.deckPath ? `Deck ${stats.data.scope.deckPath} and its subdecks` : 'Whole collection') : undefined}
        actions={
          <label className="inline-form">
            <span className="visually-hidden">Deck</span>
            <select value={deckId ?? ''} onChange={(e) => navigate('stats', e.target.value ? { deck: e.target.value } : {})} aria-label="Show stats for">
              <option value="">Whole collection</option>
              <DeckOptions decks={decks.data?.decks ?? []} />
            </select>
          </label>
        }
      />
      <ErrorMessage error={stats.error} />
      {!stats.data && stats.loading ? <Loading /> : null}
      {stats.data ? (
        stats.data.totals.reviews === 0 && stats.data.forecast.every((f) => f.due === 0) ? (
          <EmptyState
            title="No reviews yet"
            action={
              <a className="button primary" href={href('study', deckId ? { deck: String(deckId) } : {})}>
                Start studying
              </a>
            }
          >
            Study a few cards and your history, retention and forecast appear here.
          </EmptyState>
        ) : (
          <StatsView s={stats.data} />
        )
      ) : null}
    </section>
  );
}

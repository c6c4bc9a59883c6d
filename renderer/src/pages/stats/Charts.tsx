// Charts of the Stats page: uPlot for bars and lines, plain SVG for the calendar heatmap. Every chart
// has a table view with the same numbers, for screen readers and for reading exact values.
import { useEffect, useRef, type ReactNode } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { StatsDay } from '../../../../shared/contract/stats';

/** A design token's current value (uPlot draws on a canvas, which cannot read CSS variables). */
function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export interface Series {
  label: string;
  values: (number | null)[];
  /** CSS variable naming the colour, e.g. '--accent'. */
  color: string;
  kind?: 'bars' | 'line';
}

/**
 * Bars or lines over categories (use lines when showing several series). `labels` name the
 * x positions; ticks show a readable subset.
 */
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000];

export function CategoryChart({
  labels,
  series,
  height = 220,
  yFormat = (v) => String(v),
  wholeNumbers = false,
  ariaLabel,
}: {
  labels: string[];
  series: Series[];
  height?: number;
  yFormat?: (v: number) => string;
  /** Counts: ticks only at whole numbers. */
  wholeNumbers?: boolean;
  ariaLabel: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const text = token('--muted');
    const grid = token('--border');
    const xs = labels.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [series.length > 1 ? 0.8 / series.length + 0.1 : 0.7, 40], gap: 1 });
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      legend: { show: series.length > 1 },
      cursor: { drag: { x: false, y: false }, points: { show: false } },
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.08)] } },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { stroke: grid },
          values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? (labels[s] ?? '') : '')),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          values: (_u, splits) => splits.map((v) => yFormat(v)),
          size: 56,
          ...(wholeNumbers ? { incrs: WHOLE_STEPS } : {}),
        },
      ],
      series: [
        { label: 'x', value: (_u, v) => (v === null ? '' : (labels[v] ?? '')) },
        ...series.map((s) => {
          const color = token(s.color);
          const line = s.kind === 'line';
          return {
            label: s.label,
            stroke: color,
            fill: line ? undefined : color,
            width: line ? 2 : 0,
            points: { show: line, size: 4 },
            paths: line ? undefined : bars,
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : yFormat(v)),
          };
        }),
      ],
    };
    const data = [xs, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const observer = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [labels, series, height, yFormat, wholeNumbers]);
  return <div ref={ref} className="chart" role="img" aria-label={ariaLabel} />;
}

/** A chart card: title, chart, and the same numbers as a table behind a disclosure. */
export function ChartCard({ title, description, chart, table, id }: { title: string; description?: ReactNode; chart: ReactNode; table: ReactNode; id: string }) {
  return (
    <section className="card chart-card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {description ? <p className="muted small" style={{ marginTop: 0 }}>{description}</p> : null}
      {chart}
      <details>
        <summary>Show as table</summary>
        {/* A scrolling region a keyboard can reach and scroll (axe: scrollable-region-focusable). */}
        <div className="table-scroll" tabIndex={0} role="region" aria-label={`${title} as a table`}>
          {table}
        </div>
      </details>
    </section>
  );
}

function level(n: number, max: number): number {
  if (n === 0) return 0;
  const r = n / max;
  if (r > 0.75) return 4;
  if (r > 0.5) return 3;
  if (r > 0.25) return 2;
  return 1;
}

/** Room a three-letter month name takes in the heatmap's units. */
const MONTH_LABEL_WIDTH = 24;

/** The year as a calendar: one column per week (Monday first), one square per day, darker for more reviews. */
export function Heatmap({ days }: { days: StatsDay[] }) {
  const cell = 11;
  const gap = 2;
  const first = days[0];
  if (!first) return null;
  const [y, m, d] = first.date.split('-').map(Number) as [number, number, number];
  const offset = (new Date(y, m - 1, d).getDay() + 6) % 7; // Monday = 0
  const max = Math.max(1, ...days.map((x) => x.reviews));
  const weeks = Math.ceil((days.length + offset) / 7);
  const left = 22;
  const top = 14;
  const width = left + weeks * (cell + gap);
  const height = top + 7 * (cell + gap);
  const monthLabels: { x: number; text: string }[] = [];
  days.forEach((day, i) => {
    if (day.date.endsWith('-01')) {
      const [yy, mm] = day.date.split('-').map(Number) as [number, number];
      monthLabels.push({ x: left + Math.floor((i + offset) / 7) * (cell + gap), text: new Date(yy, mm - 1, 1).toLocaleDateString(undefined, { month: 'short' }) });
    }
  });
  return (
    <svg className="heatmap" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Reviews per day over the last ${days.length} days`}>
      {monthLabels.map((l) => {
        // A month starting in the last weeks has no room after it: its label ends at the edge instead of being cut.
        const atEdge = l.x + MONTH_LABEL_WIDTH > width;
        return (
          <text key={l.x} x={atEdge ? width : l.x} y={9} textAnchor={atEdge ? 'end' : 'start'}>
            {l.text}
          </text>
        );
      })}
      {['Mon', 'Wed', 'Fri'].map((name, i) => (
        <text key={name} x={0} y={top + (i * 2 + 1) * (cell + gap) - 3}>
          {name}
        </text>
      ))}
      {days.map((day, i) => {
        const k = i + offset;
        return (
          <rect
            key={day.date}
            className={`cell l${level(day.reviews, max)} ${i === days.length - 1 ? 'today' : ''}`}
            x={left + Math.floor(k / 7) * (cell + gap)}
            y={top + (k % 7) * (cell + gap)}
            width={cell}
            height={cell}
            rx={2}
          >
            <title>{`${day.date}: ${day.reviews} review${day.reviews === 1 ? '' : 's'}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}

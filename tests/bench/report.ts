// The result rows, the printed table and the JSON file `npm run bench` writes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

export interface BenchResult {
  name: string;
  /** null when the case was skipped. */
  value: number | null;
  unit: string;
  /** The least work that answers the same question, measured in the same run; null where none applies. */
  floor: number | null;
  ratio: number | null;
  budget: number | null;
  /** true within budget (and within ratioBudget where one is set); null when skipped. */
  ok: boolean | null;
  ratioBudget?: number;
  /** Why the case produced no figure (its feature has not landed). */
  skipped?: string;
  /** The case crashed: what went wrong. */
  error?: string;
  /** How the figure was taken and what it is made of. */
  note?: string;
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v * 10) / 10 : Math.round(v * 1000) / 1000);

export function measured(r: {
  name: string;
  unit: string;
  value: number;
  floor?: number | null;
  budget: number | null;
  ratioBudget?: number;
  note?: string;
}): BenchResult {
  const floor = r.floor ?? null;
  const ratio = floor !== null && floor > 0 ? Math.round((r.value / floor) * 100) / 100 : null;
  let ok = r.budget === null ? true : r.value <= r.budget;
  if (r.ratioBudget !== undefined && ratio !== null) ok = ok && ratio <= r.ratioBudget;
  return {
    name: r.name,
    value: round(r.value),
    unit: r.unit,
    floor: floor === null ? null : round(floor),
    ratio,
    budget: r.budget,
    ok,
    ...(r.ratioBudget !== undefined ? { ratioBudget: r.ratioBudget } : {}),
    ...(r.note ? { note: r.note } : {}),
  };
}

export function skipped(name: string, unit: string, budget: number | null, reason: string): BenchResult {
  return { name, value: null, unit, floor: null, ratio: null, budget, ok: null, skipped: reason };
}

export function failed(name: string, unit: string, budget: number | null, error: string): BenchResult {
  return { name, value: null, unit, floor: null, ratio: null, budget, ok: false, error };
}

export interface RunInfo {
  commit: string;
  node: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  platform: string;
  mode: 'full' | 'quick';
  collection: Record<string, unknown>;
  durationS: number;
  results: BenchResult[];
}

export function commitId(cwd: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return 'uncommitted';
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} x${cpus.length}`,
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

const fmt = (v: number | null) => (v === null ? '-' : String(v));

export function printTable(results: readonly BenchResult[], print: (line: string) => void = console.log): void {
  const rows = results.map((r) => [
    r.name,
    r.skipped ? 'skipped' : r.error ? 'ERROR' : `${fmt(r.value)} ${r.unit}`,
    fmt(r.floor),
    r.ratio === null ? '-' : `${r.ratio}x`,
    r.budget === null ? '-' : `${r.budget}${r.ratioBudget ? ` (x${r.ratioBudget})` : ''}`,
    r.ok === null ? '-' : r.ok ? 'ok' : 'MISS',
  ]);
  const head = ['case', 'value', 'floor', 'ratio', 'budget', 'ok'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  print(line(head));
  print(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => print(line(r)));
  for (const r of results) {
    if (r.skipped) print(`  ${r.name}: skipped: ${r.skipped}`);
    if (r.error) print(`  ${r.name}: ERROR: ${r.error}`);
  }
}

export function writeJson(file: string, info: RunInfo): void {
  fs.writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

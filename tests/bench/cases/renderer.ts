// renderer.bundle_gzip_kb: what the first page load downloads, gzipped (index.html's scripts, module
// preloads and stylesheets; kB = 1000 bytes, as Vite prints them).
// renderer.answer_to_paint_p95_ms: Chromium against browser mode on a copy of the big collection;
// from the key that rates a card to the frame that shows the next card (measured inside the page:
// keydown timestamp -> the question changes in the DOM -> the frame after it is painted). The Study
// page shows the card announced with the one before at once, so the answer's round trip is normally
// off this path; the note says how often a paint came before the reply.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Page } from '@playwright/test';
import type { Case, Bench } from '../harness';
import { summarize } from '../measure';
import { failed, measured, skipped, type BenchResult } from '../report';

const BUNDLE = 'renderer.bundle_gzip_kb';
const PAINT = 'renderer.answer_to_paint_p95_ms';

const gz = (file: string) => zlib.gzipSync(fs.readFileSync(file)).length;

function bundle(bench: Bench): BenchResult {
  const dir = path.join(bench.root, 'out', 'renderer');
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return skipped(BUNDLE, 'kB', 350, 'the renderer is not built (out/renderer/index.html is missing; `npm run build` failed?)');
  const html = fs.readFileSync(index, 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="([^"]+\.(?:js|mjs|css))"/g)) refs.add(m[1]!);
  const initial = [...refs].map((r) => path.join(dir, r.replace(/^\.?\//, '')));
  const initialBytes = initial.reduce((s, f) => s + gz(f), 0) + gz(index);
  const all: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|mjs|css)$/.test(e.name)) all.push(p);
    }
  };
  walk(dir);
  const allBytes = all.reduce((s, f) => s + gz(f), 0);
  return measured({
    name: BUNDLE,
    unit: 'kB',
    value: initialBytes / 1000,
    floor: null,
    budget: 350,
    note: `gzip of index.html + ${initial.length} file(s) it loads; all ${all.length} JS/CSS files together ${(allBytes / 1000).toFixed(1)} kB`,
  });
}

/** What the probe leaves on the page's global object. */
interface Probe {
  __paint: { samples: number[]; floor: number[] };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts browser mode (out/node/web.mjs) on `dataDir`; resolves with its address once it listens. */
function startWeb(root: string, dataDir: string): Promise<{ url: string; origin: string; proc: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'out', 'node', 'web.mjs'), '--port', '0', '--data-dir', dataDir, '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser mode did not start in 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Open (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, origin: new URL(m[1]!).origin, proc });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited (${code}):\n${out}`));
    });
  });
}

// How the Study page shows a card and takes answers. Kept in one place so a markup change is one edit.
// Each side of a card is a new element (its shadow root holds the sanitised card), so "the next card
// is on screen" is: a question element that was not there when the key went down.
const STUDY = {
  question: '.study-card [role="region"][aria-label="Question"]',
  answer: '.study-card [role="region"][aria-label="Answer"]',
  showAnswer: 'Space',
  /** The count of the kind of card on screen is marked: new, learning (and relearning) or review. */
  currentKind: '.study-counts .current',
};

/** The card states the paint is reported for, by the class of their marked count. */
const KINDS: Record<string, string> = { 'count-new': 'new', 'count-learn': 'learning', 'count-due': 'review' };

/**
 * In-page probe (page-side JavaScript, kept as text because this file is typed for Node): the time from
 * a rating key (1-4) to the first frame painted with the next card's question. The paint is taken as
 * the message posted from the next animation frame: it runs once that frame has been produced.
 * The floor is the same measurement for a key that changes the page with no work at all (one frame).
 */
function probeScript(questionSelector: string, kindSelector: string): string {
  return `(() => {
    const state = { start: null, before: null, samples: [], kinds: [], floor: [], api: [], apiMs: 0, calls: {}, pending: 0, ahead: [] };
    window.__paint = state;
    // Every API round trip by channel, the time spent waiting on them between the key and the paint
    // (server and network time, told apart from rendering), and whether a reply was still on its way
    // when the next card was painted (it had been announced with the card before).
    const fetch0 = window.fetch.bind(window);
    window.fetch = async (...args) => {
      const t0 = performance.now();
      state.pending++;
      try { return await fetch0(...args); } finally {
        state.pending--;
        const ms = performance.now() - t0;
        const name = String(args[0]).split('/api/').pop();
        (state.calls[name] ??= []).push(ms);
        if (state.start !== null) state.apiMs += ms;
      }
    };
    // The floor: F8 changes the page at once, with no app work; the same wait for the painted frame.
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'F8') return;
      const start = performance.now();
      const mark = document.createElement('div');
      mark.textContent = String(start);
      document.body.append(mark);
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { state.floor.push(performance.now() - start); mark.remove(); };
        ch.port2.postMessage(0);
      });
    }, true);
    const question = () => document.querySelector(${JSON.stringify(questionSelector)});
    document.addEventListener('keydown', (e) => {
      if (['1', '2', '3', '4'].includes(e.key) && state.start === null) {
        state.start = performance.now();
        state.before = question();
        state.apiMs = 0;
      }
    }, true);
    const watch = () => new MutationObserver(() => {
      const start = state.start;
      const q = question();
      if (start === null || !q || q === state.before) return;
      state.start = null;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          state.samples.push(performance.now() - start);
          state.kinds.push([...(document.querySelector(${JSON.stringify(kindSelector)})?.classList ?? [])].join(' '));
          state.api.push(state.apiMs);
          state.ahead.push(state.pending > 0 ? 1 : 0);
        };
        ch.port2.postMessage(0);
      });
    }).observe(document.body, { subtree: true, childList: true });
    if (document.body) watch(); else document.addEventListener('DOMContentLoaded', watch);
  })();`;
}

async function paint(bench: Bench): Promise<BenchResult> {
  const web = path.join(bench.root, 'out', 'node', 'web.mjs');
  if (!fs.existsSync(web) || !fs.existsSync(path.join(bench.root, 'out', 'renderer', 'index.html'))) {
    return skipped(PAINT, 'ms', 33, 'browser mode is not built (out/node/web.mjs or out/renderer missing)');
  }
  if (!fs.existsSync(CHROMIUM)) return skipped(PAINT, 'ms', 33, `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
  const dataDir = bench.copy('web');
  const server = await startWeb(bench.root, dataDir);
  // Loaded here, not at the top: the memory case's child process runs this bundle and must not carry it.
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript({ content: probeScript(STUDY.question, STUDY.currentKind) });
    await page.goto(server.url);
    await page.waitForLoadState('networkidle');
    await page.evaluate(`window.location.hash = '#/study?deck=${bench.collection.info.studyDeckId}'`);
    try {
      await page.waitForSelector(STUDY.question, { timeout: 15_000 });
    } catch {
      const text = ((await page.textContent('body')) ?? '').replace(/\s+/g, ' ').trim().slice(0, 160);
      return skipped(PAINT, 'ms', 33, `the Study page shows no card (${STUDY.question} not found; page says: "${text}")`);
    }
    const runs = bench.quick ? 60 : 300;
    const warmup = 10;
    /** Answers the card on screen (showing its answer first) and waits for the next card's paint. */
    const answerOne = async (key: string) => {
      await page.keyboard.press(STUDY.showAnswer);
      await page.waitForSelector(STUDY.answer, { timeout: 10_000 });
      const before = (await page.evaluate('window.__paint.samples.length')) as number;
      await page.keyboard.press(key);
      // A function, not a string: the app's CSP forbids eval in the page.
      await page.waitForFunction((n) => (globalThis as unknown as Probe).__paint.samples.length > n, before, { timeout: 10_000 });
      const floorsBefore = (await page.evaluate('window.__paint.floor.length')) as number;
      await page.keyboard.press('F8');
      await page.waitForFunction((n) => (globalThis as unknown as Probe).__paint.floor.length > n, floorsBefore, { timeout: 10_000 });
    };
    // Reviews: the deck with the most due.
    for (let i = 0; i < warmup + runs; i++) {
      if (i === warmup) await page.evaluate('window.__paint.samples = []; window.__paint.kinds = []; window.__paint.floor = []; window.__paint.api = []; window.__paint.calls = {}; window.__paint.ahead = []');
      await answerOne(i % 10 === 9 ? '1' : '3');
    }
    // New and learning cards: decks of new notes, studied as a newcomer does: the day's 20 new cards
    // (Good puts each on its 10-minute step, Again on its 1-minute one), then each of them again as a
    // learning card, shown ahead or as it comes due. A new deck each round, for enough of both.
    type Doc = { document: { querySelector(s: string): { textContent: string | null } | null } };
    for (let round = 0; round < (bench.quick ? 1 : 3); round++) {
      await page.evaluate(`(async () => {
        const token = sessionStorage.getItem('cadence.token') ?? '';
        const call = async (channel, input) => {
          const res = await fetch('/api/' + channel, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cadence-token': token }, body: JSON.stringify(input) });
          const body = await res.json();
          if (!body.ok) throw new Error(body.error.message);
          return body.value;
        };
        const deck = await call('decks.create', { name: 'Bench newcomer ${round + 1}' });
        for (let i = 0; i < 30; i++) await call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: ['Newcomer question ' + i + ': what does the term mean?', 'Answer ' + i] });
        window.location.hash = '#/study?deck=' + deck.id;
      })()`);
      await page.waitForFunction(() => (globalThis as unknown as Doc).document.querySelector('.study-counts')?.textContent?.startsWith('20') === true, undefined, { timeout: 15_000 });
      for (let i = 0; i < 40; i++) await answerOne(i % 7 === 6 ? '1' : '3');
    }
    const samples = (await page.evaluate('window.__paint.samples')) as number[];
    const kinds = (await page.evaluate('window.__paint.kinds')) as string[];
    const apiTimes = (await page.evaluate('window.__paint.api')) as number[];
    const aheadFlags = (await page.evaluate('window.__paint.ahead')) as number[];
    // Each card state on its own: the value is the worst state's p95.
    const byKind = new Map<string, { paint: number[]; api: number[]; ahead: number }>();
    samples.forEach((ms, i) => {
      const kind = Object.entries(KINDS).find(([cls]) => kinds[i]?.includes(cls))?.[1] ?? 'unknown';
      const entry = byKind.get(kind) ?? { paint: [], api: [], ahead: 0 };
      entry.paint.push(ms);
      entry.api.push(apiTimes[i] ?? 0);
      entry.ahead += aheadFlags[i] ?? 0;
      byKind.set(kind, entry);
    });
    const perKind = [...byKind].map(([kind, e]) => ({ kind, n: e.paint.length, ...summarize(e.paint), api: summarize(e.api).p50, ahead: e.ahead }));
    const worst = perKind.reduce((w, k) => (k.p95 > w.p95 ? k : w), perKind[0]!);
    const floors = (await page.evaluate('window.__paint.floor')) as number[];
    const api = summarize(apiTimes);
    const calls = (await page.evaluate('window.__paint.calls')) as Record<string, number[]>;
    const perCall = Object.entries(calls)
      .map(([name, ms]) => `${name} ${summarize(ms).p50.toFixed(1)} ms x${ms.length}`)
      .join(', ');
    const ahead = aheadFlags.filter(Boolean).length;
    // One round trip that does no work (app.ping), for the transport's share of the API time.
    const ping = (await page.evaluate(`(async () => {
      const token = sessionStorage.getItem('cadence.token') ?? '';
      const times = [];
      for (let i = 0; i < 50; i++) {
        const t0 = performance.now();
        await (await fetch('/api/app.ping', { method: 'POST', headers: { 'content-type': 'application/json', 'x-cadence-token': token }, body: '' })).json();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[25];
    })()`)) as number;
    const s = summarize(samples);
    const f = summarize(floors);
    return measured({
      name: PAINT,
      unit: 'ms',
      value: worst.p95,
      floor: f.p95,
      budget: 33,
      note:
        `worst card state's p95 (${worst.kind}); by the state of the card painted: ` +
        perKind.map((k) => `${k.kind} p95 ${k.p95.toFixed(1)} ms, p50 ${k.p50.toFixed(1)} ms (${k.n} answers, ${k.ahead} painted before the reply, API before the paint p50 ${k.api.toFixed(1)} ms)`).join('; ') +
        `. All ${samples.length} answers (key press to next card painted) in headless Chromium, browser mode: p95 ${s.p95.toFixed(1)} ms, p50 ${s.p50.toFixed(1)} ms, ` +
        `max ${s.max.toFixed(1)} ms; ${ahead} of ${samples.length} painted while the answer's reply was still on its way (the card ` +
        `announced with the one before); API time before the paint p50 ${api.p50.toFixed(1)} ms ` +
        `(round trips, p50: ${perCall}; one doing nothing, app.ping: ${ping.toFixed(1)} ms); ` +
        `floor: a key that changes the page with no work, p50 ${f.p50.toFixed(1)} ms`,
    });
  } finally {
    await browser.close();
    server.proc.kill('SIGTERM');
  }
}

export const rendererCase: Case = {
  name: 'renderer',
  produces: [
    { name: BUNDLE, unit: 'kB', budget: 350 },
    { name: PAINT, unit: 'ms', budget: 33 },
  ],
  async run(bench) {
    if (process.env.CADENCE_BENCH_RENDERER_BUILD_FAILED) {
      const why = 'the renderer build failed (see the build output above)';
      return [skipped(BUNDLE, 'kB', 350, why), skipped(PAINT, 'ms', 33, why)];
    }
    const size = bundle(bench);
    try {
      return [size, await paint(bench)];
    } catch (err) {
      return [size, failed(PAINT, 'ms', 33, err instanceof Error ? err.message : String(err))];
    }
  },
};

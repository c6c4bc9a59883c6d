import { it } from 'vitest';
import { startCore } from '../../electron/core/app';
import { silentLogger } from '../../electron/core/context';
import { makeSchedulerCache } from '../../electron/core/flashcards/scheduler';
import { makeStudyQueue } from '../../electron/core/flashcards/queue';
import { renderCard } from '../../shared/cardRender';
import { makeNoteTypeStore } from '../../electron/core/flashcards/noteTypes';
import { retrievability } from '../../electron/core/flashcards/retrievability';
import { ASSETS_DIR } from './testCore';

it('profile2', async () => {
  let t = 1788253200000 + 3600000;
  const clock = { now: () => t };
  const core = await startCore({ dataDir: '/tmp/flash-prof/data', assetsDir: ASSETS_DIR, appVersion: 'bench', mode: 'browser', clock, log: silentLogger });
  const db = core.ctx.db;
  const queue = makeStudyQueue(db);
  const nts = makeNoteTypeStore(db);
  const sched = makeSchedulerCache();
  const rows = db.prepare('SELECT c.*, n.fields, n.note_type_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.state = 2 LIMIT 500').all() as any[];
  const read = queue.snapshot();
  const preset = read.config.presetOf(35);
  const time = (label: string, fn: (r: any) => void) => {
    for (const r of rows.slice(0, 50)) fn(r);
    const a: number[] = [];
    for (const r of rows) { const t0 = performance.now(); fn(r); a.push(performance.now() - t0); }
    a.sort((x, y) => x - y);
    console.log(label, 'p50', a[a.length >> 1]!.toFixed(4), 'p90', a[Math.floor(a.length * 0.9)]!.toFixed(4));
  };
  const sel = db.prepare('SELECT c.*, n.fields, n.tags, n.note_type_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = ?');
  time('select', (r) => sel.get(r.id));
  time('notetype', (r) => nts.get(r.note_type_id));
  time('render', (r) => renderCard(nts.get(r.note_type_id), JSON.parse(r.fields), r.ord));
  time('preview', (r) => sched.previewDues(preset, r, t));
  time('retr', (r) => retrievability(r.stability, r.last_review, t));
  time('snapshot', () => queue.snapshot());
  const day = queue.dayOf(t, 4);
  const tree = read.config.subtree(35)!;
  time('owncounts', () => queue.ownCounts(tree, day));
  time('limits', () => queue.limitInputs(day, read));
  const own = queue.ownCounts(tree, day);
  const inputs = queue.limitInputs(day, read);
  time('applyLimits', () => queue.applyLimits(tree.decks, 35, inputs, (d) => own.get(d.id)!));
  time('next', () => queue.next(35, t));
  core.close();
}, 300_000);

// open.cold_ms: startCore on the big collection in a new connection (no SQLite page cache): schema
// read, migration check, handler makers. open.first_of_day_ms is the first open of a day, when the
// full integrity check and the daily backup start too (they run after opening, in the background;
// the note says how long they took).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { NOW } from '../generate';
import { benchClock, type Case } from '../harness';
import { median, timeOnce } from '../measure';
import { measured } from '../report';

function timeSql(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  const t0 = performance.now();
  db.pragma(sql);
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

export const openCase: Case = {
  name: 'open',
  produces: [
    { name: 'open.cold_ms', unit: 'ms', budget: 150 },
    { name: 'open.first_of_day_ms', unit: 'ms', budget: null },
  ],
  async run(bench) {
    const dataDir = bench.copy('open');
    const dbFile = path.join(dataDir, 'cadence.sqlite');
    const clock = benchClock(NOW + 3_600_000);
    const runs = bench.quick ? 3 : 5;

    const open = async () => {
      const core = await bench.open(dataDir, clock);
      core.close();
    };
    // The least work that proves the file opens at the right version: open, read the header and schema.
    const floor = () => {
      const db = new Database(dbFile);
      db.pragma('user_version', { simple: true });
      db.prepare('SELECT count(*) FROM sqlite_master').get();
      db.close();
    };
    await open();
    const times: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
      times.push(await timeOnce(open));
      floors.push(await timeOnce(floor));
    }
    const integrity = median([0, 1, 2].map(() => timeSql(dbFile, 'integrity_check')));
    const quick = median([0, 1, 2].map(() => timeSql(dbFile, 'quick_check')));
    const mb = fs.statSync(dbFile).size / 1e6;

    // First open of a day: no backup from today yet, so the integrity check and backup start.
    const backupsDir = path.join(dataDir, 'backups');
    fs.rmSync(backupsDir, { recursive: true, force: true });
    let maintenanceMs = 0;
    const firstOfDay = await timeOnce(async () => {
      const core = await bench.open(dataDir, clock, { dailyMaintenance: true });
      const opened = performance.now();
      await core.maintenance;
      maintenanceMs = performance.now() - opened;
      core.close();
    });

    return [
      measured({
        name: 'open.cold_ms',
        unit: 'ms',
        value: median(times),
        floor: median(floors),
        budget: 150,
        note:
          `median of ${runs} opens of a ${mb.toFixed(0)} MB file; the full integrity_check (${integrity.toFixed(0)} ms; ` +
          `quick_check ${quick.toFixed(0)} ms) runs after opening, in a worker thread, once a day`,
      }),
      measured({
        name: 'open.first_of_day_ms',
        unit: 'ms',
        value: firstOfDay - maintenanceMs,
        floor: median(floors),
        budget: null,
        note: `then, in the background: integrity check in a worker thread and the daily backup, ${maintenanceMs.toFixed(0)} ms`,
      }),
    ];
  },
};

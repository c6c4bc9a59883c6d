// The two sync figures, against a real CouchDB-protocol server (pouchdb-server, in memory, on this
// computer, so the network costs nothing and the figure is Cadence's and PouchDB's own work):
// - sync.initial_heavy_s: the whole collection's first sync (every deck, note and review sent to an
//   empty database), as Sync now does it: the outbox seeded, written to the local replica, replicated
//   to the server, the replica's feed read back;
// - sync.incremental_100_answers_ms: after that, 100 answers and one sync (what a study session sends).
import path from 'node:path';
import { Rating } from 'ts-fsrs';
import { makeSyncEngine } from '../../../electron/core/sync/engine';
import { startSyncServer } from '../../unit/syncServer';
import { NOW } from '../generate';
import { benchClock, call, missing, type Case } from '../harness';
import { measured, skipped } from '../report';

const INITIAL = 'sync.initial_heavy_s';
const INCREMENTAL = 'sync.incremental_100_answers_ms';
const INITIAL_BUDGET = 180;
const INCREMENTAL_BUDGET = 1000;

export const syncCase: Case = {
  name: 'sync',
  produces: [
    { name: INITIAL, unit: 's', budget: INITIAL_BUDGET },
    { name: INCREMENTAL, unit: 'ms', budget: INCREMENTAL_BUDGET },
  ],
  async run(bench) {
    const clock = benchClock(NOW);
    const dataDir = bench.copy('sync');
    const core = await bench.open(dataDir, clock);
    const server = await startSyncServer({ root: bench.root });
    try {
      const why = missing(core, ['study.next', 'study.answer']);
      if (why) return [skipped(INITIAL, 's', INITIAL_BUDGET, why), skipped(INCREMENTAL, 'ms', INCREMENTAL_BUDGET, why)];
      const engine = makeSyncEngine({ db: core.ctx.db, clock, log: core.ctx.log, replicaDir: path.join(dataDir, 'sync-replica') });
      const target = await server.database('cadence');

      let started = performance.now();
      const first = await engine.syncNow(target);
      const initialS = (performance.now() - started) / 1000;
      bench.say(`  first sync: ${first.sent.toLocaleString('en')} documents sent in ${initialS.toFixed(1)} s`);

      // A study session: 100 answers in the deck with the most due, as the learner gives them.
      const deckId = bench.collection.info.studyDeckId;
      let answered = 0;
      while (answered < 100) {
        const next = await call(core, 'study.next', { deckId });
        if (!next.card) break;
        await call(core, 'study.answer', { cardId: next.card.id, rating: answered % 10 === 0 ? Rating.Again : Rating.Good, durationMs: 6000 });
        clock.advance(7500);
        answered++;
      }
      started = performance.now();
      const second = await engine.syncNow(target);
      const incrementalMs = performance.now() - started;
      await engine.close();
      const { cards, notes, reviews, decks } = bench.collection.info;
      return [
        measured({
          name: INITIAL,
          unit: 's',
          value: initialS,
          budget: INITIAL_BUDGET,
          note: `first Sync now of ${decks} decks, ${notes.toLocaleString('en')} notes (${cards.toLocaleString('en')} cards) and ${reviews.toLocaleString('en')} reviews (${first.sent.toLocaleString('en')} documents) to an empty database on pouchdb-server in memory on this computer`,
        }),
        measured({
          name: INCREMENTAL,
          unit: 'ms',
          value: incrementalMs,
          budget: INCREMENTAL_BUDGET,
          note: `one Sync now after ${answered} answers (${second.sent} documents sent: the reviews and the notes whose cards changed), to the same server`,
        }),
      ];
    } finally {
      await server.stop();
      core.close();
    }
  },
};

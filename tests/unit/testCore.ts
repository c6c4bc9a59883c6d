import { afterAll } from 'vitest';
// Test harness: a real collection in a temp dir, a clock the test moves, and the events it emitted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCore, type Core } from '../../electron/core/app';
import type { Logger } from '../../electron/core/context';
import type { AutoSyncTiming } from '../../electron/core/sync/auto';
import { invokeChannel } from '../../electron/core/invoke';
import { contract, type Channel, type ChannelInput, type ChannelOutput, type EventName } from '../../shared/contract';
import type { ErrorShape } from '../../shared/errors';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const ASSETS_DIR = path.join(REPO_ROOT, 'assets');

/** Logs only errors: an internal error in a test should show its stack. */
export const testLogger: Logger = { info: () => {}, warn: () => {}, error: (m, d) => console.error(m, d) };

export interface FakeClock {
  now(): number;
  set(ms: number | Date | string): void;
  advance(ms: number): void;
}

export function fakeClock(start: number | string | Date = '2026-03-02T10:00:00'): FakeClock {
  let t = new Date(start).getTime();
  return {
    now: () => t,
    set: (ms) => {
      t = new Date(ms).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

const madeDirs: string[] = [];
// Each test file's temporary folders go when its tests are done (after every afterEach has closed its core).
afterAll(() => {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'cadence-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

export interface TestCore extends Core {
  clock: FakeClock;
  dataDir: string;
  events: { name: EventName; payload: unknown }[];
  /** Calls a channel the way the renderer does (zod parse included); throws the error shape on failure. */
  call<C extends Channel>(channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>>;
  /** Calls a channel and returns the error shape it failed with (fails the test if it succeeded). */
  fail<C extends Channel>(channel: C, input: unknown): Promise<ErrorShape>;
}

/** Automatic sync in tests: a day apart, so a test syncs when it says so (sync-auto tests pass their own rhythm). */
const TEST_SYNC_TIMING: AutoSyncTiming = { startDelayMs: 86_400_000, debounceMs: 86_400_000, intervalMs: 86_400_000, maxBackoffMs: 86_400_000 };

export async function makeTestCore(
  options: { dataDir?: string; clock?: FakeClock; starterDecks?: boolean; dailyMaintenance?: boolean; syncTiming?: AutoSyncTiming; searchFill?: boolean } = {},
): Promise<TestCore> {
  const dataDir = options.dataDir ?? tempDir();
  const clock = options.clock ?? fakeClock();
  const events: TestCore['events'] = [];
  const core = await startCore({
    dataDir,
    assetsDir: ASSETS_DIR,
    appVersion: '0.0.0-test',
    mode: 'browser',
    starterDecks: options.starterDecks ?? false,
    dailyMaintenance: options.dailyMaintenance ?? false,
    syncTiming: options.syncTiming ?? TEST_SYNC_TIMING,
    searchFill: options.searchFill ?? true,
    clock,
    log: testLogger,
    emit: (name, payload) => events.push({ name, payload }),
  });
  // The core's ctx and handlers are getters (a recovery replaces them): keep them live, not copied.
  const test = Object.create(core) as TestCore;
  return Object.assign(test, {
    clock,
    dataDir,
    events,
    async call<C extends Channel>(channel: C, input?: ChannelInput<C>) {
      const result = await invokeChannel(core, channel, input);
      if (!result.ok) throw Object.assign(new Error(`${result.error.code}: ${result.error.message}`), result.error);
      // What a handler returns must match what the contract promises the renderer.
      const checked = contract[channel].output.safeParse(result.value);
      if (!checked.success) throw new Error(`${channel} returned output that breaks the contract: ${checked.error.message}`);
      return result.value as ChannelOutput<C>;
    },
    async fail(channel: Channel, input: unknown) {
      const result = await invokeChannel(core, channel, input);
      if (result.ok) throw new Error(`${channel} accepted input it should have refused: ${JSON.stringify(input)}`);
      return result.error;
    },
  });
}

/** A deck (under `parentId`) with `count` Basic notes "<name> question i" / "answer i"; their card ids in order. */
export async function deckWithNotes(c: TestCore, name: string, count: number, parentId: number | null = null) {
  const deck = await c.call('decks.create', { name, parentId });
  const cardIds: number[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await c.call('notes.create', { noteTypeId: 1, deckId: deck.id, fields: [`${name} question ${i}`, `answer ${i}`] });
    cardIds.push(saved.note.cards[0]!.id);
  }
  return { deck, cardIds };
}

/**
 * Makes a preset (the Default one unless told) show new cards in the order they were added, for tests
 * that follow cards one after another (the default order is random notes, seeded by the study day).
 */
export async function inAddedOrder(c: TestCore, presetId = 1): Promise<void> {
  await c.call('presets.update', { id: presetId, newGatherOrder: 'ascending', newSortOrder: 'gathered' });
}

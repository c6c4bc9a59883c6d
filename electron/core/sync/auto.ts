// Automatic sync: when to run one. Shortly after start, a little after the last change made here
// (debounced, so a study session syncs once it pauses, yet at least once per interval while it goes
// on), and every interval while sync is on. One at a time; after a failure (offline, a wrong password)
// it waits longer each time instead of trying every few seconds, and a change of settings starts
// afresh. Its timers never keep the process alive, and they stop with the collection.

/** Sets a timer; returns its cancel. Injected so tests move time themselves. */
export type SetTimer = (fire: () => void, ms: number) => () => void;

export const realTimer: SetTimer = (fire, ms) => {
  const t = setTimeout(fire, ms);
  t.unref?.();
  return () => clearTimeout(t);
};

export interface AutoSyncTiming {
  /** From the start of the app to its first sync. */
  startDelayMs: number;
  /** From the last change made here to the sync that sends it. */
  debounceMs: number;
  /** Between syncs while nothing changes here (what others changed comes in at this pace). */
  intervalMs: number;
  /** The longest wait after repeated failures. */
  maxBackoffMs: number;
}

export const DEFAULT_TIMING: AutoSyncTiming = { startDelayMs: 3_000, debounceMs: 8_000, intervalMs: 5 * 60_000, maxBackoffMs: 30 * 60_000 };

/**
 * The timing, with the interval from CADENCE_SYNC_INTERVAL_S where it is set (seconds; end-to-end tests
 * and impatient users shorten it). The other waits never exceed the interval.
 */
export function timingFromEnv(env: Record<string, string | undefined>): AutoSyncTiming {
  const seconds = Number(env.CADENCE_SYNC_INTERVAL_S);
  if (!Number.isFinite(seconds) || seconds <= 0) return DEFAULT_TIMING;
  const intervalMs = Math.max(500, Math.round(seconds * 1000));
  return {
    startDelayMs: Math.min(DEFAULT_TIMING.startDelayMs, intervalMs),
    debounceMs: Math.min(DEFAULT_TIMING.debounceMs, intervalMs),
    intervalMs,
    maxBackoffMs: Math.max(intervalMs, Math.min(DEFAULT_TIMING.maxBackoffMs, intervalMs * 8)),
  };
}

export interface AutoSyncDeps {
  /** Sync is set up and "Sync automatically" is on. */
  enabled(): boolean;
  /** One sync; rejects when it failed. */
  sync(): Promise<unknown>;
  now(): number;
  setTimer: SetTimer;
  timing: AutoSyncTiming;
}

export function makeAutoSync(deps: AutoSyncDeps) {
  const { timing } = deps;
  let cancel: (() => void) | null = null;
  /** The next periodic (or retry) sync, and the one a change asks for; the earlier runs. */
  let periodicAt: number | null = null;
  let changeAt: number | null = null;
  /** When the first change not yet synced was made: the debounce never holds it back longer than an interval. */
  let changedSince: number | null = null;
  let failures = 0;
  let running: Promise<void> | null = null;
  let stopped = false;

  function nextAt(): number | null {
    if (periodicAt === null) return changeAt;
    if (changeAt === null) return periodicAt;
    return Math.min(periodicAt, changeAt);
  }

  function arm(): void {
    cancel?.();
    cancel = null;
    const at = nextAt();
    if (stopped || running || at === null || !deps.enabled()) return;
    cancel = deps.setTimer(() => void fire(), Math.max(0, at - deps.now()));
  }

  function backoff(): number {
    return Math.min(timing.maxBackoffMs, timing.intervalMs * 2 ** (failures - 1));
  }

  async function fire(): Promise<void> {
    cancel = null;
    if (stopped || running || !deps.enabled()) return;
    changeAt = null;
    changedSince = null;
    running = (async () => {
      try {
        await deps.sync();
        failures = 0;
      } catch {
        // The sync recorded and logged its failure; here it only makes the next try wait longer.
        failures++;
      }
    })();
    await running;
    running = null;
    periodicAt = deps.now() + (failures ? backoff() : timing.intervalMs);
    arm();
  }

  return {
    /** The app started (or sync was set up, or turned on): a first sync soon, then the rhythm. */
    start(): void {
      failures = 0;
      periodicAt = deps.now() + timing.startDelayMs;
      arm();
    },
    /** Something was changed here that waits to be sent. */
    changed(): void {
      if (failures > 0) return; // the server is failing: the retry already planned sends it
      const now = deps.now();
      changedSince ??= now;
      changeAt = Math.min(now + timing.debounceMs, changedSince + timing.intervalMs);
      arm();
    },
    /** Whether automatic sync is on now (set up, and the setting on). */
    enabled: () => deps.enabled(),
    /** Turned off: no timer until start() (a sync running ends as it would). */
    pause(): void {
      periodicAt = null;
      changeAt = null;
      changedSince = null;
      arm();
    },
    /** When the next automatic sync is planned (null: none). */
    nextAt: (): number | null => (cancel && !stopped ? nextAt() : null),
    failures: () => failures,
    /** Stops the timers; resolves when a sync it started has ended. */
    async stop(): Promise<void> {
      stopped = true;
      cancel?.();
      cancel = null;
      await running;
    },
  };
}
export type AutoSync = ReturnType<typeof makeAutoSync>;

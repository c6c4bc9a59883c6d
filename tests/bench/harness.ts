// What every case gets: the cached collection, a scratch folder, a way to open the collection with a
// clock the case moves, and calls through the same invokeChannel (zod parse included) the app uses.
import fs from 'node:fs';
import path from 'node:path';
import { startCore, type Core } from '../../electron/core/app';
import { silentLogger, type Logger } from '../../electron/core/context';
import { invokeChannel } from '../../electron/core/invoke';
import { isChannel, type Channel, type ChannelInput, type ChannelOutput } from '../../shared/contract';
import type { Collection } from './generate';
import type { BenchResult } from './report';

export interface BenchClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function benchClock(start: number): BenchClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

/** Errors inside a handler are printed: a failing case must show why. */
const benchLogger: Logger = { ...silentLogger, error: (m, d) => console.error(`[bench] ${m}`, d ?? '') };

export interface Bench {
  root: string;
  assetsDir: string;
  quick: boolean;
  collection: Collection;
  /** Scratch folder for this run, removed at the end. */
  workDir: string;
  say(message: string): void;
  /** A fresh copy of the generated collection under workDir/name (cases that write get their own). */
  copy(name: string): string;
  /** Opens a collection; the daily integrity check and backup run only when asked (they would disturb timings). */
  open(dataDir: string, clock: BenchClock, options?: { dailyMaintenance?: boolean }): Promise<Core>;
}

/** fsyncs every file under `dir`. */
function flushTree(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) flushTree(file);
    else if (entry.isFile()) {
      const fd = fs.openSync(file, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  }
}

export function makeBench(options: Omit<Bench, 'copy' | 'open'>): Bench {
  return {
    ...options,
    copy(name) {
      const target = path.join(options.workDir, name);
      fs.rmSync(target, { recursive: true, force: true });
      fs.cpSync(options.collection.dataDir, target, { recursive: true });
      // On disk before the case times anything: otherwise the kernel writes the copy's 200 MB back while
      // the case runs, and the case's own writes and flushes wait behind it.
      flushTree(target);
      return target;
    },
    open(dataDir, clock, openOptions = {}) {
      return startCore({
        dataDir,
        assetsDir: options.assetsDir,
        appVersion: 'bench',
        mode: 'browser',
        clock,
        log: benchLogger,
        dailyMaintenance: openOptions.dailyMaintenance ?? false,
      });
    },
  };
}

/** Why `channels` cannot be measured yet (not in the contract, or no handler), or null when they can. */
export function missing(core: Core | null, channels: readonly string[]): string | null {
  const absent = channels.filter((c) => !isChannel(c) || (core !== null && typeof (core.handlers as Record<string, unknown>)[c] !== 'function'));
  if (!absent.length) return null;
  return `${absent.map((c) => `'${c}'`).join(', ')} ${absent.length > 1 ? 'have' : 'has'} no handler yet (${absent.some((c) => !isChannel(c)) ? 'not in shared/contract' : 'in the contract, not implemented'})`;
}

export class CallError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

/** Calls a channel exactly as the renderer's transports do; throws with the error shape on failure. */
export async function call<C extends Channel>(core: Core, channel: C, input?: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await invokeChannel(core, channel, input);
  if (!result.ok) throw new CallError(`${channel} failed: ${result.error.code}: ${result.error.message}`, result.error.code);
  return result.value as ChannelOutput<C>;
}

export interface Case {
  name: string;
  /** Result names this case produces (for --only and for reporting a crash). */
  produces: { name: string; unit: string; budget: number | null }[];
  run(bench: Bench): Promise<BenchResult[]>;
}

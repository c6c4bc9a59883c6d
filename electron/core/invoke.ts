import { z } from 'zod';
import { contract, isChannel, type Channel, type Result } from '../../shared/contract';
import { AppError, type ErrorShape } from '../../shared/errors';
import { describeIssueList } from '../../shared/issueText';
import type { Handlers } from './handlerTypes';
import type { CoreContext } from './context';
import { isBusy, isDamage } from './faults';
import { wellFormed } from './wellFormed';

/** What a request reaches: the handlers and the context they were made with (both replaced by a recovery). */
export interface Invokable {
  readonly handlers: Handlers;
  readonly ctx: Pick<CoreContext, 'log' | 'gate' | 'health' | 'db'>;
}

/**
 * Not held at the gate while a long job runs: the cancel (it must reach the job), and the channels that
 * start jobs (the job runner refuses them at once with "another import is running").
 */
const ANSWERED_DURING_JOBS = new Set<string>([
  'transfer.cancel',
  'app.ping',
  'import.anki',
  'import.csv',
  'export.apkg',
  'collection.export',
  'collection.restore',
  'backups.restore',
]);

/** Turns zod issues into sentences a person can act on: "Name must not be empty." (see shared/issueText.ts). */
export function describeIssues(error: z.ZodError): string {
  return describeIssueList(error.issues);
}

/**
 * Channels that read a database from a file the user chose (a package, a backup): damage they meet may
 * be that file's, not the collection's.
 */
const READS_OTHER_DATABASES = new Set<string>(['import.anki', 'import.csv', 'collection.inspectBackup', 'collection.restore', 'backups.inspect', 'backups.restore']);

/** True when the collection itself passes SQLite's quick check (run only after damage was met). */
function collectionIsWhole(ctx: Invokable['ctx']): boolean {
  try {
    const rows = ctx.db.pragma('quick_check') as { quick_check: string }[];
    return rows.length === 1 && rows[0]?.quick_check === 'ok';
  } catch {
    return false;
  }
}

/** What a failed request answers: Cadence's own refusals as they are, faults named, anything else logged. */
export function toErrorShape(err: unknown, channel: string, ctx: Invokable['ctx']): ErrorShape {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: describeIssues(err) };
  // A damaged file the user chose must not stop a healthy collection: look before saying whose it is.
  if (READS_OTHER_DATABASES.has(channel) && isDamage(err) && !ctx.health.isDamaged() && collectionIsWhole(ctx)) {
    return { code: 'unsupported', message: 'The file you chose is damaged, so Cadence could not read it. Nothing was changed.' };
  }
  // A full disk, a read-only folder, damage...: the health keeps it (damage stops writes) and names it.
  const fault = ctx.health.failed(err, `the request ${channel}`);
  if (fault) return fault;
  ctx.log.error(`Unexpected error in ${channel}`, err);
  return {
    code: 'internal',
    message: 'Something went wrong inside Cadence. Try again, and restart Cadence if it keeps happening.',
  };
}

/** A request that met a busy database is tried again this often (its transaction rolled back whole). */
const BUSY_RETRIES = 3;
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one way into the handlers, shared by Electron IPC and browser mode: known channel -> text made
 * well-formed -> zod parse of the input -> handler -> result or error shape. The transports add only
 * their own sender checks.
 */
export async function invokeChannel(core: Invokable, channel: string, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown request "${channel}".` } };
  }
  const parsed = contract[channel].input.safeParse(wellFormed(rawInput));
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_input', message: describeIssues(parsed.error) } };
  }
  const jobOrCancel = ANSWERED_DURING_JOBS.has(channel);
  if (!jobOrCancel) await core.ctx.gate.wait();
  for (let attempt = 1; ; attempt++) {
    // Read afresh each time: a recovery replaces the handlers and their context.
    const { handlers, ctx } = core;
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (err) {
      // Busy means another connection held the write lock for a moment and this transaction rolled
      // back whole: trying again is safe, except for jobs, which have files of their own to undo.
      if (isBusy(err) && !jobOrCancel && attempt < BUSY_RETRIES && !ctx.db.inTransaction) {
        await pause(50 * attempt);
        continue;
      }
      return { ok: false, error: toErrorShape(err, channel as Channel, ctx) };
    }
  }
}

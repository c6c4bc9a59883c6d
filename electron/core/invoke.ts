import { z } from 'zod';
import { contract, isChannel, type Channel, type Result } from '../../shared/contract';
import { AppError, type ErrorShape } from '../../shared/errors';
import { describeIssueList } from '../../shared/issueText';
import type { Handlers } from './handlerTypes';
import type { Logger } from './context';
import type { Gate } from './gate';

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
]);

/** Turns zod issues into sentences a person can act on: "Name must not be empty." (see shared/issueText.ts). */
export function describeIssues(error: z.ZodError): string {
  return describeIssueList(error.issues);
}

function toErrorShape(err: unknown, channel: string, log: Logger): ErrorShape {
  if (err instanceof AppError) return { code: err.code, message: err.message };
  if (err instanceof z.ZodError) return { code: 'invalid_input', message: describeIssues(err) };
  const code = (err as { code?: string } | null)?.code;
  if (code === 'SQLITE_BUSY') {
    return { code: 'conflict', message: 'The collection is busy with another task. Try again in a moment.' };
  }
  log.error(`Unexpected error in ${channel}`, err);
  return {
    code: 'internal',
    message: 'Something went wrong inside Cadence. Try again, and restart Cadence if it keeps happening.',
  };
}

/**
 * The one way into the handlers, shared by Electron IPC and browser mode: known channel -> zod parse
 * of the input -> handler -> result or error shape. The transports add only their own sender checks.
 */
export async function invokeChannel(handlers: Handlers, channel: string, rawInput: unknown, log: Logger, gate?: Gate): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown request "${channel}".` } };
  }
  const parsed = contract[channel].input.safeParse(rawInput);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_input', message: describeIssues(parsed.error) } };
  }
  try {
    if (gate && !ANSWERED_DURING_JOBS.has(channel)) await gate.wait();
    const handler = handlers[channel] as (input: unknown) => unknown;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, error: toErrorShape(err, channel as Channel, log) };
  }
}

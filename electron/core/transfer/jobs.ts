// Long imports and exports as jobs: one at a time per collection, progress pushed as events, and a
// cancel flag checked at every pause. Pauses give the event loop a turn, so a 'transfer.cancel' call
// and the progress events get through while a big file is worked on.
import type { TransferPhase } from '../../../shared/contract/transfer';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';

export interface Job {
  readonly id: string;
  /** Reports progress (at most one event per pause) and gives way; throws 'cancelled' when asked to stop. */
  step(phase: TransferPhase, done: number, total: number): Promise<void>;
  /** Throws 'cancelled' if the user asked to stop. */
  checkCancelled(): void;
}

export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function makeJobs(ctx: CoreContext) {
  const running = new Map<string, { cancelled: boolean }>();

  /** Runs `work` as the only transfer job; a second one while it runs is refused. */
  async function run<T>(jobId: string | undefined, what: string, work: (job: Job) => Promise<T>): Promise<T> {
    if (running.size > 0) {
      throw new AppError('conflict', `Another import or export is still running. Wait for it to finish (or cancel it), then ${what} again.`);
    }
    const id = jobId ?? `job-${ctx.clock.now()}`;
    const state = { cancelled: false };
    running.set(id, state);
    const checkCancelled = () => {
      if (state.cancelled) throw new AppError('cancelled', `Cancelled. Nothing was changed.`);
    };
    const job: Job = {
      id,
      checkCancelled,
      async step(phase, done, total) {
        ctx.emit('transfer.progress', { jobId: id, phase, done, total });
        await yieldToEventLoop();
        checkCancelled();
      },
    };
    try {
      // Alone: other calls wait at the gate rather than joining the import's transaction.
      return await ctx.gate.exclusive(() => work(job));
    } finally {
      running.delete(id);
    }
  }

  function cancel(jobId: string): boolean {
    const state = running.get(jobId);
    if (!state) return false;
    state.cancelled = true;
    return true;
  }

  return { run, cancel, busy: () => running.size > 0 };
}
export type Jobs = ReturnType<typeof makeJobs>;

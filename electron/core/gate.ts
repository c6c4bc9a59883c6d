/**
 * Lets one long piece of work (an import running in one transaction across many event-loop turns)
 * have the collection to itself. Calls that arrive meanwhile wait at the gate instead of slipping
 * into that transaction, where a cancel would roll back a write that had already returned success.
 */
export interface Gate {
  /** Runs `work` alone: the gate stays closed until it settles. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when no exclusive work is running. */
  wait(): Promise<void>;
  /** True while exclusive work runs. */
  busy(): boolean;
}

export function makeGate(): Gate {
  let running: Promise<void> | null = null;
  async function wait(): Promise<void> {
    while (running) await running;
  }
  return {
    wait,
    busy: () => running !== null,
    async exclusive(work) {
      // No await when the gate is free, so it closes before any other call can look at it.
      while (running) await running;
      let release!: () => void;
      running = new Promise<void>((resolve) => (release = resolve));
      try {
        return await work();
      } finally {
        running = null;
        release();
      }
    },
  };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput } from '../../../shared/contract';
import { call, onEvent } from '../api';

export interface ApiState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Reads a channel and keeps it fresh: re-reads when Cadence reports a change to one of `topics`
 * (from this window or another). Input is compared by value.
 */
export function useApi<C extends Channel>(channel: C, input: ChannelInput<C> | undefined, topics: string[]): ApiState<ChannelOutput<C>> {
  const [data, setData] = useState<ChannelOutput<C>>();
  const [error, setError] = useState<Error>();
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(input ?? null);
  const seq = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await call(channel, JSON.parse(key) ?? undefined);
      if (mine === seq.current) {
        setData(value);
        setError(undefined);
      }
    } catch (err) {
      if (mine === seq.current) setError(err as Error);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [channel, key]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const topicKey = topics.join(',');
  useEffect(() => {
    const wanted = new Set(topicKey.split(',').filter(Boolean));
    return onEvent('data.changed', ({ topics: changed }) => {
      if (changed.some((t) => wanted.has(t))) void reload();
    });
  }, [topicKey, reload]);

  return { data, error, loading, reload };
}

/** Runs a write and tracks its error and busy state for a form. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError(undefined);
      try {
        return await action(...args);
      } catch (err) {
        setError((err as Error).message);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [action],
  );
  return { run, busy, error, clearError: () => setError(undefined) };
}

import { useEffect, useState } from 'react';

/** The time now, moved on every `everyMs`, so "2 minutes ago" stays true while a page is open. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

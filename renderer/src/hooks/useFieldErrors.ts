import { useCallback, useState } from 'react';
import type { z } from 'zod';
import { issuesByField } from '../../../shared/issueText';

/**
 * A form's per-field problems, found with the channel's own schema before anything is sent and written
 * as sentences (shared/issueText.ts), so each shows beside its field. `check` answers the parsed value,
 * or undefined (and shows the problems) when the input is refused.
 */
export function useFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const check = useCallback(<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined => {
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      setErrors({});
      return parsed.data;
    }
    setErrors(issuesByField(parsed.error.issues));
    return undefined;
  }, []);
  const clear = useCallback(() => setErrors({}), []);
  return { errors, check, clear, setErrors };
}

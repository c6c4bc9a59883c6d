import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { z } from 'zod';
import { issuesByField } from '../../../shared/issueText';

/**
 * A form's per-field problems, found with the channel's own schema before anything is sent and written
 * as sentences (shared/issueText.ts), so each shows beside its field. `check` answers the parsed value,
 * or undefined (and shows the problems) when the input is refused. Give the form `ref={form}` and focus
 * moves to its first refused field.
 */
export function useFieldErrors() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstProblem(form, errors);
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
  return { errors, check, clear, setErrors, form };
}

/**
 * What to enter in a whole-number field, as the sentence shown beside it, or undefined when `text`
 * is a whole number from `min` to `max`. For forms whose fields are counted in the form's own words
 * ("Enter the time limit as whole minutes from 1 to 600, e.g. 60.").
 */
export function wholeNumberProblem(text: string, { what, min, max, example }: { what: string; min: number; max: number; example: number }): string | undefined {
  const n = Number(text);
  if (text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max) return undefined;
  return `Enter ${what} as a whole number from ${min} to ${max}, e.g. ${example}.`;
}

/**
 * Moves focus to the first field marked invalid inside `form` each time a check refuses the input
 * (`problems` is the refused check's result, a new object each time), so a keyboard or screen-reader
 * user lands on the field whose sentence says what to enter.
 */
export function useFocusFirstProblem(form: RefObject<HTMLElement | null>, problems: object): void {
  useEffect(() => {
    if (!Object.values(problems).some(Boolean)) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, problems]);
}

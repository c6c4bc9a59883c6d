import { z } from 'zod';

/** One IPC channel: what the renderer may send and what it gets back. */
export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}

export function channel<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): ChannelDef<I, O> {
  return { input, output };
}

/** Input of a channel that takes nothing: the renderer may call it with no argument. */
export const noInput = z.union([z.undefined(), z.object({}).strict()]);

/** Row ids are positive integers; the message says which id was wrong. */
export const id = z.number({ error: 'must be a number' }).int('must be a whole number').positive('must be a positive id');

/** Calendar date in the user's time zone, stored as text. */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => {
    const [y, m, d] = s.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'is not a real calendar date');

/** Epoch milliseconds, up to the year 2100 (later is a mistake, and date formatting fails far beyond). */
export const MAX_INSTANT = Date.UTC(2100, 0, 1);
export const instant = z.number().int().nonnegative().max(MAX_INSTANT, 'must be a moment before the year 2100');

export const ok = z.object({ ok: z.literal(true) });

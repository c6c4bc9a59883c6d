// The one error shape that crosses the contract boundary: a code a program can branch on and a
// message a person can act on. Never a stack trace.

export const ERROR_CODES = [
  'invalid_input', // the input failed the channel's schema
  'not_found', // the thing named does not exist (any more)
  'conflict', // the change would break a rule (duplicate name, cycle, ...)
  'forbidden', // the caller is not allowed (untrusted sender, missing token)
  'unsupported', // the file or request is of a kind Cadence cannot handle
  'cancelled', // the user cancelled a long-running job
  'disk_full', // the disk (or the folder's quota) has no room for the change; nothing was saved
  'read_only', // the collection file or its folder cannot be written
  'busy', // another task holds the collection for a moment; trying again works
  'damaged', // the collection file is damaged: writes are stopped until it is recovered
  'io_error', // the disk reported an error reading or writing
  'internal', // a bug: logged in full on the main side, summarised here
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorShape {
  code: ErrorCode;
  message: string;
}

/** Thrown by core code for an error the user should see as is. */
export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
  }
}

export function isErrorShape(value: unknown): value is ErrorShape {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorShape).code === 'string' &&
    typeof (value as ErrorShape).message === 'string'
  );
}

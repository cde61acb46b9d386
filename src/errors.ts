/**
 * Errors that reach the user as one line: `smallworld: FILE:LINE: what is wrong`.
 * Anything else that escapes is a bug and is still printed as one line (no stack
 * trace unless SMALLWORLD_DEBUG is set).
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`);
    this.name = 'InputError';
  }
}

/** A problem with how the tool was called (bad option value and the like). */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function errorLine(err: unknown): string {
  if (err instanceof InputError || err instanceof UsageError) return `smallworld: ${err.message}`;
  if (err instanceof Error) return `smallworld: ${err.message}`;
  return `smallworld: ${String(err)}`;
}

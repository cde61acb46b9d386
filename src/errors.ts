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
  if (err instanceof Error) return `smallworld: ${err.message}`;
  return `smallworld: ${String(err)}`;
}

/** A file-system error as a short reason; `what` names what the file should have been ("an edge list"). */
export function describeFsError(err: unknown, what = 'an edge list'): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return `is a directory, not ${what}`;
  if (code === 'ENOTDIR') return 'cannot be read: a part of the path is not a directory';
  if (code === 'EIO') return 'cannot be read: input/output error';
  return (err as Error)?.message ?? String(err);
}

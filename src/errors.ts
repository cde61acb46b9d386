/**
 * The error classes behind the exit-code contract (README "Exit codes"):
 *   InputError  -> 1: bad input data (a file, a line), `smallworld: FILE:LINE: what is wrong`
 *   UsageError  -> 2: how the tool was called (bad or conflicting options, unknown person or column)
 *   AbortError  -> the caller's AbortSignal fired (library only; the CLI never aborts itself)
 *   anything else -> 3: an internal error, one line; the stack only with SMALLWORLD_DEBUG=1
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

/** Thrown when an AbortSignal passed to a long call fires; `cause` is the signal's reason. */
export class AbortError extends Error {
  override name = 'AbortError';
  readonly code = 'ABORT_ERR';
  constructor(reason?: unknown) {
    super('the operation was aborted', { cause: reason });
  }
}

/** Throws AbortError when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError(signal.reason);
}

export const EXIT = { ok: 0, badInput: 1, usage: 2, internal: 3 } as const;

/** The exit code an error stands for. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof InputError) return EXIT.badInput;
  if (err instanceof UsageError) return EXIT.usage;
  return EXIT.internal;
}

/** The one line the user sees for an error. */
export function errorLine(err: unknown): string {
  if (err instanceof InputError || err instanceof UsageError) return `smallworld: ${err.message}`;
  const message = err instanceof Error ? err.message : String(err);
  return `smallworld: internal error: ${message} (this is a bug; SMALLWORLD_DEBUG=1 shows the stack)`;
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

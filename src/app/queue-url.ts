/**
 * Queue URLs: checked before anything is read, and redacted wherever they are
 * shown (the Redis password never appears in output or logs). Kept apart from
 * queue.ts so that checking options loads neither BullMQ nor the worker pool.
 */
import { UsageError } from '../errors.js';

export const QUEUE_NAME = 'smallworld';
/** The environment variable read when --queue is not given. */
export const QUEUE_ENV = 'SMALLWORLD_QUEUE';

/** The URL with any password (and user) replaced by `***`: what messages and logs show. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1***@');
}

/** Any queue URL inside a message, redacted. */
export function redactText(text: string): string {
  return text.replace(/(rediss?:\/\/)[^@/\s]*@/gi, '$1***@');
}

/** Checks a queue URL (`redis://[:password@]host:port[/db]` or `rediss://`); a UsageError otherwise (the URL redacted). */
export function checkQueueUrl(url: string | undefined, what = '--queue'): string {
  const value = url ?? process.env[QUEUE_ENV];
  if (value === undefined || value.trim() === '') throw new UsageError(`${what}: give a Redis URL (redis://[:password@]host:port[/db]) or set ${QUEUE_ENV}`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`${what} ${redactUrl(value)}: not a URL; expected redis://[:password@]host:port[/db] or rediss://...`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UsageError(`${what} ${redactUrl(value)}: expected a redis:// or rediss:// URL`);
  if (parsed.hostname === '') throw new UsageError(`${what} ${redactUrl(value)}: no host`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d+$/.test(db)) throw new UsageError(`${what} ${redactUrl(value)}: the path must be a database number (/0, /1, ...)`);
  return value;
}


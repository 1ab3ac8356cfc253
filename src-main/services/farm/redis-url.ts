import type { RedisOptions } from 'bullmq';

/** A Redis URL that cannot be used, with what is wrong and the form that works. */
export class FarmUrlError extends Error {
  readonly hint = 'Write it as redis://[:PASSWORD@]HOST:PORT[/DB], or rediss://… for TLS.';
  constructor(message: string) {
    super(message);
    this.name = 'FarmUrlError';
  }
}

/**
 * ioredis connection options from a farm URL: `redis://` or `rediss://` (TLS), optional user
 * and password (percent-encoded), optional database number. BullMQ's blocking commands need
 * `maxRetriesPerRequest: null`.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FarmUrlError(`'${url}' is not a URL.`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new FarmUrlError(`'${redactedUrl(url)}' uses ${parsed.protocol.replace(/:$/, '')}://, not redis:// or rediss://.`);
  }
  if (!parsed.hostname) throw new FarmUrlError(`'${redactedUrl(url)}' names no host.`);
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new FarmUrlError(`'${redactedUrl(url)}' has database '${dbText}', which is not a number.`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(dbText ? { db: Number(dbText) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: host } } : {}),
    maxRetriesPerRequest: null,
  };
}

/** The URL with its password replaced, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^@/]*)@/, '//***@');
  }
}

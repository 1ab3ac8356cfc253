import { Redis } from 'ioredis';
import { FarmError } from './errors';
import { FarmUrlError, redactedUrl, redisOptionsFromUrl } from './redis-url';

export interface FarmConnectionInfo {
  /** The URL without its password. */
  url: string;
  redisVersion: string;
  /** Workers connected to the farm queue right now (BullMQ names its worker connections). */
  workers: number;
}

/**
 * Connect once, fail fast, and say why: the studio's connection test and the first thing a
 * farm render does (BullMQ's own connections retry forever, which would look like a hang).
 */
export async function checkFarmConnection(url: string, timeoutMs = 5000): Promise<FarmConnectionInfo> {
  let options;
  try {
    options = redisOptionsFromUrl(url);
  } catch (error) {
    if (error instanceof FarmUrlError) throw new FarmError('FARM_UNAVAILABLE', `Render farm URL: ${error.message}`, { hint: error.hint });
    throw error;
  }
  const client = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, enableOfflineQueue: false });
  // The first error says why (ECONNREFUSED, a TLS failure); the rejection then only says "closed".
  let firstError: Error | undefined;
  client.on('error', (error: Error) => (firstError ??= error));
  try {
    await client.connect();
    const info = await client.info('server');
    const clients = String(await client.call('CLIENT', 'LIST'));
    return {
      url: redactedUrl(url),
      redisVersion: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      // BullMQ names worker connections bull:<base64 queue>:w:<worker name>.
      workers: clients.split('\n').filter((line) => /name=bull:[^ ]*:w:/.test(line)).length,
    };
  } catch (error) {
    const reason = (firstError ?? (error as Error)).message.replace(/\.$/, '');
    const auth = /NOAUTH|WRONGPASS|invalid password|AUTH/i.test(reason);
    throw new FarmError('FARM_UNAVAILABLE', `Cannot use the render farm at ${redactedUrl(url)}: ${reason}.`, {
      hint: auth ? 'Put the Redis password in the URL: redis://:PASSWORD@HOST:PORT.' : 'Start Redis there (redis-server), or fix the host and port.',
    });
  } finally {
    client.disconnect();
  }
}

import { describe, expect, it } from 'vitest';
import { FarmUrlError, redactedUrl, redisOptionsFromUrl } from './redis-url';

describe('farm Redis URLs', () => {
  it('reads host, port, password, user and database; BullMQ needs maxRetriesPerRequest null', () => {
    expect(redisOptionsFromUrl('redis://:s%40cret@farm.local:6380/2')).toEqual({ host: 'farm.local', port: 6380, password: 's@cret', db: 2, maxRetriesPerRequest: null });
    expect(redisOptionsFromUrl('redis://render:pw@10.0.0.5')).toEqual({ host: '10.0.0.5', port: 6379, username: 'render', password: 'pw', maxRetriesPerRequest: null });
    expect(redisOptionsFromUrl('redis://[::1]:7000')).toMatchObject({ host: '::1', port: 7000 });
  });

  it('turns rediss:// into TLS with the host as server name', () => {
    expect(redisOptionsFromUrl('rediss://:pw@redis.example.com:6390')).toMatchObject({ host: 'redis.example.com', port: 6390, tls: { servername: 'redis.example.com' } });
    expect(redisOptionsFromUrl('redis://redis.example.com')).not.toHaveProperty('tls');
  });

  it('refuses what is not a Redis URL, saying what is wrong without showing the password', () => {
    expect(() => redisOptionsFromUrl('localhost:6379')).toThrow(FarmUrlError);
    expect(() => redisOptionsFromUrl('http://:pw@host:6379')).toThrow(/uses http:\/\/, not redis:\/\/ or rediss:\/\//);
    expect(() => redisOptionsFromUrl('http://:pw@host:6379')).not.toThrow(/pw/);
    expect(() => redisOptionsFromUrl('redis://host:6379/cache')).toThrow(/database 'cache'/);
    expect(() => redisOptionsFromUrl('not a url')).toThrow(/not a URL/);
  });

  it('redacts the password for messages', () => {
    expect(redactedUrl('redis://:secret@host:6379')).toBe('redis://:***@host:6379');
    expect(redactedUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});

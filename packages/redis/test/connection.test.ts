// A map made from a URL owns its client (close() quits it); a client passed in stays the caller's.
import { describe, expect, it } from 'vitest';
import { RedisShardedHashMap } from '../src/index.js';
import { freshPrefix, useDeployment } from './support/targets.js';

describe('connections', () => {
  const target = useDeployment('standalone');

  it('makes, uses and closes its own client from a redis:// URL', async () => {
    const map = new RedisShardedHashMap<string, number>(`redis://127.0.0.1:${target.port}`, {
      prefix: freshPrefix('url'),
    });
    expect(await map.insert('a', 1)).toBeUndefined();
    expect(await map.get('a')).toBe(1);
    await map.close();
    await expect(map.get('a')).rejects.toMatchObject({ code: 'ERR_STARSHARD_REDIS_UNAVAILABLE' });
  });

  it('leaves a client it was given open', async () => {
    const client = target.client();
    const map = new RedisShardedHashMap(client, { prefix: freshPrefix('given') });
    await map.insert('a', 1);
    await map.close();
    expect(await client.ping()).toBe('PONG');
  });

  it('refuses a string that is not a redis URL', () => {
    expect(() => new RedisShardedHashMap('localhost:6379')).toThrow(/not a redis:\/\/ or rediss:\/\/ URL/);
  });
});

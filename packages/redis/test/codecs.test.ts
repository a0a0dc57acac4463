// The codecs: round trips (fast-check), typed errors both ways, and serializr schemas (the ones
// @starshard/serde takes) carrying class instances through Redis.
import fc from 'fast-check';
import { createModelSchema, date, list, object, primitive } from 'serializr';
import { describe, expect, it } from 'vitest';
import {
  jsonCodec,
  numberCodec,
  RedisCodecError,
  RedisShardedHashMap,
  serializrCodec,
  stringCodec,
} from '../src/index.js';
import { deployments, freshPrefix, useDeployment } from './support/targets.js';

class Point {
  x = 0;
  y = 0;
  norm() {
    return Math.hypot(this.x, this.y);
  }
}
createModelSchema(Point, { x: primitive(), y: primitive() });

class Trip {
  name = '';
  start = new Date(0);
  stops: Point[] = [];
}
createModelSchema(Trip, { name: primitive(), start: date(), stops: list(object(Point)) });

describe('the codecs', () => {
  it('round-trip every value of their type', () => {
    fc.assert(fc.property(fc.string(), (s) => stringCodec.decode(stringCodec.encode(s)) === s));
    // -0 becomes 0, as Map keys treat them (SameValueZero); every other double comes back as itself.
    fc.assert(fc.property(fc.double(), (n) => Object.is(numberCodec.decode(numberCodec.encode(n)), n === 0 ? 0 : n)));
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(jsonCodec.decode(jsonCodec.encode(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it('throw RedisCodecError on a value of the wrong type, or bytes they did not write', () => {
    for (const attempt of [
      () => stringCodec.encode(1 as never),
      () => numberCodec.encode('1' as never),
      () => numberCodec.decode('one'),
      () => numberCodec.decode(''),
      () => jsonCodec.encode(undefined),
      () => jsonCodec.encode(() => 1),
      () => jsonCodec.encode(10n),
      () => jsonCodec.decode('{'),
      () => serializrCodec(object(Point)).decode('not json'),
    ]) {
      expect(attempt).toThrow(RedisCodecError);
    }
    try {
      numberCodec.decode('abc');
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_STARSHARD_REDIS_CODEC', codec: 'number', direction: 'decode' });
      expect((error as Error).message).toMatch(/same codec/);
    }
  });

  it('carry class instances through serializr prop schemas', () => {
    const codec = serializrCodec<Trip>(object(Trip));
    const trip = Object.assign(new Trip(), {
      name: 'coast',
      start: new Date('2024-05-01T10:00:00Z'),
      stops: [Object.assign(new Point(), { x: 3, y: 4 })],
    });
    const back = codec.decode(codec.encode(trip));
    expect(back).toBeInstanceOf(Trip);
    expect(back.start).toBeInstanceOf(Date);
    expect(back.start.getTime()).toBe(trip.start.getTime());
    expect(back.stops[0]?.norm()).toBe(5);
    expect(
      serializrCodec<Date>(date())
        .decode(serializrCodec<Date>(date()).encode(new Date(5)))
        .getTime(),
    ).toBe(5);
  });
});

describe.each(deployments)('codecs in a map on %s Redis', (kind) => {
  const target = useDeployment(kind);

  it('stores numbers under number keys, class instances as values, and refuses bad values before sending', async () => {
    const points = new RedisShardedHashMap<number, Point>(target.client(), {
      prefix: freshPrefix('points'),
      keyCodec: numberCodec,
      valueCodec: serializrCodec(object(Point)),
    });
    await points.insert(-0, Object.assign(new Point(), { x: 1, y: 1 }));
    await points.batchInsert([[1.5, Object.assign(new Point(), { x: 6, y: 8 })]]);
    expect((await points.get(0))?.norm()).toBeCloseTo(Math.SQRT2);
    expect((await points.get(1.5))?.norm()).toBe(10);
    expect((await points.keys()).sort()).toEqual([0, 1.5]);
    await expect(points.insert('1' as never, new Point())).rejects.toBeInstanceOf(RedisCodecError);
    const plain = new RedisShardedHashMap<string, unknown>(target.client(), { prefix: freshPrefix('plain') });
    await expect(
      plain.batchInsert([
        ['a', 1],
        ['b', undefined],
      ]),
    ).rejects.toBeInstanceOf(RedisCodecError);
    expect(await plain.len()).toBe(0); // the bad pair stopped the whole batch before anything was sent
  });

  it('names the codec when Redis holds bytes another codec wrote', async () => {
    const prefix = freshPrefix('mixed');
    const client = target.client();
    await new RedisShardedHashMap<string, string>(client, { prefix, valueCodec: stringCodec }).insert('k', 'not json');
    await expect(new RedisShardedHashMap(client, { prefix }).get('k')).rejects.toMatchObject({
      codec: 'json',
      direction: 'decode',
    });
  });
});

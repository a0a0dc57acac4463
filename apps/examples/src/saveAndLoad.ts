// Save a map of class instances to a file and load it back (the Rust crate's `serde` feature):
// the wire format { "shard_count": n, "entries": [[key, value], ...] }, values described by
// serializr model schemas, then the NDJSON stream form for maps too big for one JSON string.
// Run it with `pnpm example save-and-load`; it writes to the OS temp directory.
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ShardedHashMap } from '@starshard/core';
import { DeserializeError, deserializeMapStream, serde, serializeMapStream } from '@starshard/serde';
import { createModelSchema, date, list, object, primitive } from 'serializr';

class Address {
  city = '';
  zip = '';
}

class User {
  name = '';
  joined = new Date(0);
  address = new Address();
  roles: string[] = [];

  /** A method: proof that what comes back is a User, not a plain object. */
  describe(): string {
    return `${this.name} (${this.roles.join(', ')}) from ${this.address.city}, joined ${this.joined.toISOString().slice(0, 10)}`;
  }
}

// serializr model schemas (createModelSchema, not decorators: no experimentalDecorators needed).
createModelSchema(Address, { city: primitive(), zip: primitive() });
createModelSchema(User, { name: primitive(), joined: date(), address: object(Address), roles: list(primitive()) });

function user(name: string, joined: string, city: string, zip: string, roles: string[]): User {
  return Object.assign(new User(), {
    name,
    joined: new Date(joined),
    address: Object.assign(new Address(), { city, zip }),
    roles,
  });
}

const Users = ShardedHashMap.with(serde);
const users = new Users<string, User>(16, { serde: { value: object(User) } });
users.insert('u1', user('Ada', '2021-03-04', 'London', 'N1', ['admin']));
users.insert('u2', user('Grace', '2022-11-30', 'Arlington', '22201', ['dev', 'ops']));
users.insert('u3', user('Linus', '2023-07-15', 'Portland', '97201', ['dev']));

const dir = mkdtempSync(path.join(tmpdir(), 'starshard-save-and-load-'));
try {
  // 1. One JSON file: JSON.stringify(map) calls the plugin's toJSON().
  const file = path.join(dir, 'users.json');
  writeFileSync(file, JSON.stringify(users, null, 2));
  console.log(`saved ${users.len()} users to ${file} (${statSync(file).size} bytes):`);
  console.log(readFileSync(file, 'utf8').split('\n').slice(0, 12).join('\n'), '\n  ...');

  const loaded = Users.fromJSON<string, User>(readFileSync(file, 'utf8'), { value: object(User) });
  console.log('\nloaded back:', loaded.len(), 'users,', loaded.shardCount(), 'shards');
  for (const id of ['u1', 'u2', 'u3']) {
    const before = users.get(id) as User;
    const after = loaded.get(id) as User;
    const equal =
      after instanceof User &&
      after.address instanceof Address &&
      after.joined instanceof Date &&
      JSON.stringify(after) === JSON.stringify(before) &&
      after.joined.getTime() === before.joined.getTime();
    console.log(`  ${id}: ${after.describe()}  -> equal to the saved one: ${equal}`);
  }

  // 2. Strict loading: a damaged file names the broken place, and returns no map.
  const damaged = readFileSync(file, 'utf8').replace(/"joined": \d+/, '"joined": "yesterday"');
  try {
    Users.fromJSON(damaged, { value: object(User) });
  } catch (error) {
    if (error instanceof DeserializeError)
      console.log(`\na damaged file is refused at ${error.path}: ${error.message}`);
  }

  // 3. A big map as NDJSON (one line per entry), streamed to the file and back.
  const big = new ShardedHashMap<number, User>(64);
  for (let i = 0; i < 20_000; i++)
    big.insert(i, user(`user ${i}`, '2024-01-01', 'Springfield', String(i % 100), ['dev']));
  const ndjson = path.join(dir, 'big.ndjson');
  const started = performance.now();
  await pipeline(Readable.from(serializeMapStream(big, { value: object(User) })), createWriteStream(ndjson));
  const saved = performance.now();
  const back = await deserializeMapStream<number, User>(createReadStream(ndjson), { value: object(User) });
  const done = performance.now();
  console.log(
    `\nstreamed ${big.len()} users to ${path.basename(ndjson)} (${(statSync(ndjson).size / 1e6).toFixed(1)} MB) in ${(saved - started).toFixed(0)} ms, ` +
      `read back in ${(done - saved).toFixed(0)} ms: ${back.len()} users, user 19999 is "${back.get(19_999)?.describe()}"`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

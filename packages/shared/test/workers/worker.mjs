// A test worker: attaches to the map in workerData.handle and runs workerData.mode.
// Runs from the built package (dist), so `pnpm test` needs a build first (turbo does it).
import { parentPort, workerData } from 'node:worker_threads';
import { codecs, SharedShardedHashMap } from '../../dist/index.js';

const { mode, handle, id } = workerData;
const map = SharedShardedHashMap.attach(handle, {
  value: handle.value === 'checked' ? checkedCodec() : undefined,
});

/** FNV-1a of a string, as the checksum of a value. */
function checksum(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** Values that carry a checksum: `payload|sum`, the payload of random length (entries move in the heap). */
function checkedCodec() {
  return { name: 'checked', encode: (v) => codecs.string.encode(v), decode: (b) => codecs.string.decode(b) };
}
function makeValue(seed, n) {
  const payload = `${seed}:${n}:${'x'.repeat((n * 7 + seed) % 180)}`;
  return `${payload}|${checksum(payload)}`;
}
function verify(value) {
  if (value === undefined) return true;
  const bar = value.lastIndexOf('|');
  return bar > 0 && checksum(value.slice(0, bar)) === value.slice(bar + 1);
}

function busy(ms) {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const rounds = workerData.rounds ?? 1000;
const keys = workerData.keys ?? 16;
let result = { id };

switch (mode) {
  case 'increment': {
    // M computeIfPresent increments spread over the counters.
    for (let i = 0; i < rounds; i++) map.computeIfPresent(`c${(i + id) % keys}`, (n) => n + 1);
    result.done = rounds;
    break;
  }
  case 'write-checked': {
    // Overwrite shared keys with checksummed values of varying length; add keys of its own (growth).
    for (let i = 0; i < rounds; i++) {
      map.insert(`k${i % keys}`, makeValue(id, i));
      map.insert(`own:${id}:${i}`, makeValue(id, i));
      if (i % 3 === 0) map.remove(`own:${id}:${i - 3}`);
      if (i % 2 === 0) map.computeIfPresent(`k${(i + 1) % keys}`, (v) => makeValue(id, i + v.length));
    }
    result.done = rounds;
    break;
  }
  case 'read-checked': {
    let torn = 0;
    let reads = 0;
    for (let i = 0; i < rounds; i++) {
      if (!verify(map.get(`k${i % keys}`))) torn++;
      reads++;
      if (i % 200 === 0) for (const [, v] of map.iter()) if (!verify(v)) torn++;
    }
    result = { id, torn, reads };
    break;
  }
  case 'grow': {
    // Insert a disjoint range (every shard grows many times), re-reading what it wrote.
    const base = id * rounds;
    let lost = 0;
    for (let i = 0; i < rounds; i++) {
      map.insert(base + i, `v${base + i}`);
      if (i % 16 === 0 && map.get(base + (i >> 1)) !== `v${base + (i >> 1)}`) lost++;
    }
    result = { id, lost };
    break;
  }
  case 'slow-increment': {
    // Increments whose callback holds the write lock for a while: a terminate often lands inside.
    parentPort.postMessage({ id, started: true });
    for (let i = 0; ; i++) {
      map.computeIfPresent(`c${i % keys}`, (n) => {
        busy(0.2);
        return n + 1;
      });
    }
  }
  case 'hold-lock': {
    // Takes the write lock of key `k`'s shard and never lets go (until terminated).
    map.computeIfPresent('k', () => {
      parentPort.postMessage({ id, locked: true });
      for (;;) busy(10);
    });
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
map.close();
parentPort.postMessage(result);

// An async cache in front of a slow loader, with AsyncShardedHashMap.
// Run it with `pnpm example async-cache` from the repository root.
//
// It shows the three things an async cache must get right:
//   1. single-flight: N concurrent requests for a missing key start ONE load;
//   2. abort: a caller that gives up leaves at once, without cancelling the others' load;
//   3. no lost updates: concurrent read-modify-writes with an await inside all land.
import { AsyncShardedHashMap } from '@starshard/async';

interface User {
  id: string;
  name: string;
  visits: number;
}

// ---- A fake HTTP API: every fetch takes 50 ms, and we count them ----

let fetches = 0;

/** Pretends to GET /users/:id, honouring an AbortSignal like the real fetch() does. */
function fetchUser(id: string, signal?: AbortSignal): Promise<User> {
  fetches++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ id, name: `User ${id}`, visits: 0 }), 50);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const users = new AsyncShardedHashMap<string, User>(16);

/** The cache's read path: the cached user, or one load shared by every concurrent caller. */
function getUser(id: string, signal?: AbortSignal): Promise<User> {
  // The factory gets a signal that aborts only if EVERY caller sharing this load gave up.
  return users.computeIfAbsent(id, (key, context) => fetchUser(key, context.signal), { signal });
}

// ---- 1. Single-flight: 1,000 concurrent requests for 3 users → 3 fetches ----

const started = performance.now();
const requests = Array.from({ length: 1000 }, (_, i) => getUser(`u${i % 3}`));
const loaded = await Promise.all(requests);
console.log(
  `1. single-flight: ${requests.length} concurrent requests for ${new Set(loaded.map((u) => u.id)).size} users ` +
    `→ ${fetches} fetches in ${(performance.now() - started).toFixed(0)} ms`,
);
console.log(`   a later request is a cache hit: ${(await getUser('u0')).name}, fetches still ${fetches}`);

// ---- 2. Abort: one impatient caller leaves, the others still get the user ----

const impatient = new AbortController();
const patient = getUser('u42');
const hurried = getUser('u42', impatient.signal);
setTimeout(() => impatient.abort(new Error('the client closed the connection')), 10);
const [hurriedResult, patientResult] = await Promise.allSettled([hurried, patient]);
console.log(
  `2. abort: the impatient caller ${hurriedResult.status === 'rejected' ? `was rejected after 10 ms ("${(hurriedResult.reason as Error).message}")` : 'was not rejected?!'}; ` +
    `the patient one got ${patientResult.status === 'fulfilled' ? patientResult.value.name : 'nothing?!'} ` +
    `(one fetch for both: ${fetches} in total)`,
);

// When every caller gives up, the load itself is aborted and nothing is cached.
const everyone = new AbortController();
const abandoned = Promise.allSettled([getUser('u99', everyone.signal), getUser('u99', everyone.signal)]);
everyone.abort();
await abandoned;
console.log(`   all callers of u99 aborted → cached: ${await users.contains('u99')}`);

// A lock wait can be bounded too: AbortSignal.timeout() works anywhere a signal does.
const slowUpdate = users.computeIfPresent('u0', async (u) => {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return u;
});
try {
  await users.insert('u0', { id: 'u0', name: 'Renamed', visits: 0 }, { signal: AbortSignal.timeout(20) });
} catch (error) {
  console.log(`   a write waiting behind a 100 ms update gave up after 20 ms: ${(error as Error).name}`);
}
await slowUpdate;

// ---- 3. No lost updates: 200 concurrent visit counters with an await inside ----

async function recordVisit(id: string): Promise<void> {
  await users.computeIfPresent(id, async (user) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3)); // e.g. an audit-log write
    return { ...user, visits: user.visits + 1 };
  });
}

// What goes wrong without the map's per-key lock: read, await, write back.
const naive = new Map<string, number>([['u1', 0]]);
await Promise.all(
  Array.from({ length: 200 }, async () => {
    const visits = naive.get('u1') as number;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    naive.set('u1', visits + 1);
  }),
);

await Promise.all(Array.from({ length: 200 }, () => recordVisit('u1')));
console.log(
  `3. no lost updates: 200 concurrent visits → u1.visits = ${(await users.get('u1'))?.visits} ` +
    `(a plain Map with the same read-await-write keeps ${naive.get('u1')})`,
);

console.log(`   lock state once idle: ${JSON.stringify(users.lockStats())}`);

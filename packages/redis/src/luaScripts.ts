// The server-side halves of the map's atomic operations, registered on the client with ioredis's
// defineCommand (EVALSHA, falling back to EVAL once per connection). Every script touches only the
// keys it is given in KEYS, all of one hash slot, so each runs atomically on a cluster node too.

/**
 * Compare-and-set on one entry. ARGV: expectation (`v` value equals ARGV[2], `a` absent), action
 * (`set` ARGV[3] or `del`). Returns `{1}` when applied, else `{0}` (absent) or `{0, current}`.
 */
const cas = `
local cur = redis.call('GET', KEYS[1])
local ok
if ARGV[1] == 'a' then ok = (cur == false) else ok = (cur == ARGV[2]) end
if not ok then
  if cur then return {0, cur} end
  return {0}
end
if ARGV[3] == 'del' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[4]) end
return {1}
`;

/**
 * Single flight, step 1. KEYS: entry, lease. ARGV: token, ttl ms. Returns `{1, value}` (present),
 * `{2}` (the lease is now ours: run the factory) or `{3, pttl}` (another holder: wait).
 */
const acquire = `
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2} end
return {3, redis.call('PTTL', KEYS[2])}
`;

/**
 * Single flight, step 2 (the fence). KEYS: entry, lease. ARGV: token, value. Stores the value only
 * if the entry is still absent and the lease is ours or nobody's (a lease that expired and was
 * taken by another process fences this late writer out). Returns `{2}` (stored), `{1, value}`
 * (another value is there: it wins) or `{3}` (another holder has the lease: wait for it).
 */
const commit = `
local l = redis.call('GET', KEYS[2])
if l == ARGV[1] then redis.call('DEL', KEYS[2]) end
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
if l == ARGV[1] or not l then
  redis.call('SET', KEYS[1], ARGV[2])
  return {2}
end
return {3}
`;

/** Lease upkeep. KEYS: lease. ARGV: token, then `renew` with a ttl, or `release`. 1 if the lease was ours. */
const lease = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'renew' then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('DEL', KEYS[1]) end
return 1
`;

/**
 * A transaction's commit, after the client evaluated its steps on a read of the same keys.
 * KEYS: the transaction's entries. ARGV: for each key, what the client read (`''` absent,
 * `=value` present), then for each key the write (`-` none, `d` delete, `=value` set).
 * Applies every write if no key changed since the read, and returns 1; else 0 (read again).
 */
const txn = `
local n = #KEYS
for i = 1, n do
  local cur = redis.call('GET', KEYS[i])
  local seen = ARGV[i]
  if cur then
    if seen ~= '=' .. cur then return 0 end
  elseif seen ~= '' then return 0 end
end
for i = 1, n do
  local w = ARGV[n + i]
  if w == 'd' then redis.call('DEL', KEYS[i])
  elseif w ~= '-' then redis.call('SET', KEYS[i], string.sub(w, 2)) end
end
return 1
`;

/**
 * `batchInsert`'s unit (keys of one slot): one `MGET` for the previous values, one `MSET` (a key
 * given twice: the last value wins, counted new once). Returns how many keys were new.
 */
const setMany = `
local prev = redis.call('MGET', unpack(KEYS))
local n, seen, args = 0, {}, {}
for i = 1, #KEYS do
  local k = KEYS[i]
  if not seen[k] then
    seen[k] = true
    if not prev[i] then n = n + 1 end
  end
  args[2 * i - 1] = k
  args[2 * i] = ARGV[i]
end
redis.call('MSET', unpack(args))
return n
`;

/** The commands this package registers on a client, by name. */
export const luaScripts = {
  starshardCas: { numberOfKeys: 1, lua: cas },
  starshardAcquire: { numberOfKeys: 2, lua: acquire },
  starshardCommit: { numberOfKeys: 2, lua: commit },
  starshardLease: { numberOfKeys: 1, lua: lease },
  starshardTxn: { lua: txn },
  starshardSetMany: { lua: setMany },
} as const;

/** A client with this package's commands registered. */
export interface ScriptedClient {
  starshardCas(
    key: string,
    expect: 'v' | 'a',
    expected: string,
    action: 'set' | 'del',
    next: string,
  ): Promise<[0 | 1, string?]>;
  starshardAcquire(
    entry: string,
    lease: string,
    token: string,
    ttlMs: number,
  ): Promise<[1 | 2 | 3, (string | number)?]>;
  starshardCommit(entry: string, lease: string, token: string, value: string): Promise<[1 | 2 | 3, string?]>;
  starshardLease(lease: string, token: string, action: 'renew' | 'release', ttlMs: number): Promise<0 | 1>;
  starshardTxn(numKeys: number, ...args: string[]): Promise<0 | 1>;
  starshardSetMany(numKeys: number, ...args: string[]): Promise<number>;
}

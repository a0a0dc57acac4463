// A bank on an async sharded map: many concurrent tasks move money between accounts with
// transactions, half of them pessimistic (an `update` step holding the two accounts' shards
// across an `await`), half optimistic (read, then `expect` what was read, retry on conflict),
// while an auditor keeps taking versioned snapshots and checking that not a cent was created or
// lost. Run it with `pnpm example bank-transfer` from the repository root
// (`TRANSFERS=100000 ACCOUNTS=1000 pnpm example bank-transfer` for a bigger run).

import { advanced, Transaction } from '@starshard/advanced';
import { AsyncShardedHashMap } from '@starshard/async';

const ACCOUNTS = Number(process.env.ACCOUNTS) || 500;
const TRANSFERS = Number(process.env.TRANSFERS) || 20_000;
const TASKS = Number(process.env.TASKS) || 200;
const OPENING_BALANCE = 1_000;

const Bank = AsyncShardedHashMap.with(advanced);
const accounts = new Bank<string, number>(64);
for (let i = 0; i < ACCOUNTS; i++) await accounts.insert(`acct:${i}`, OPENING_BALANCE);
const total = ACCOUNTS * OPENING_BALANCE;
console.log(`${ACCOUNTS} accounts × ${OPENING_BALANCE} = ${total.toLocaleString('en')} in the bank`);

let seed = 2026;
const random = (n: number) => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed % n;
};

let next = 0;
let committed = 0;
let conflicts = 0;
let refused = 0;

/** One transfer; refuses (commits nothing) if `from` cannot cover it. */
async function transfer(style: 'pessimistic' | 'optimistic'): Promise<void> {
  const from = `acct:${random(ACCOUNTS)}`;
  const to = `acct:${(Number(from.slice(5)) + 1 + random(ACCOUNTS - 1)) % ACCOUNTS}`;
  const amount = 1 + random(100);
  if (style === 'pessimistic') {
    const insufficient = new Error('insufficient funds');
    const result = await accounts.executeTransaction(
      new Transaction<string, number>()
        .update(from, async (balance = 0) => {
          await new Promise<void>((resolve) => setImmediate(resolve)); // e.g. a fraud check; the shards stay locked
          if (balance < amount) throw insufficient;
          return balance - amount;
        })
        .update(to, (balance = 0) => balance + amount),
    );
    if (result.status === 'committed') committed++;
    else if (result.status === 'aborted' && result.error === insufficient) refused++;
    else throw new Error(`unexpected ${result.status}`);
    return;
  }
  for (;;) {
    const [a = 0, b = 0] = await accounts.batchGet([from, to]);
    if (a < amount) {
      refused++;
      return;
    }
    const result = await accounts.executeTransaction(
      new Transaction<string, number>()
        .expect(from, a)
        .expect(to, b)
        .write(from, a - amount)
        .write(to, b + amount),
    );
    if (result.status === 'committed') {
      committed++;
      return;
    }
    conflicts++; // someone moved money in between: nothing was applied, try again
  }
}

let audits = 0;
let running = true;
const auditor = (async () => {
  while (running) {
    const snap = await accounts.versionedSnapshot();
    let sum = 0;
    for (const balance of snap.values()) sum += balance;
    if (sum !== total) throw new Error(`audit at version ${snap.version}: ${sum} !== ${total}`);
    audits++;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
})();

const started = performance.now();
await Promise.all(
  Array.from({ length: TASKS }, async (_, task) => {
    while (next < TRANSFERS) {
      next++;
      await transfer(task % 2 === 0 ? 'pessimistic' : 'optimistic');
    }
  }),
);
const elapsed = performance.now() - started;
running = false;
await auditor;

const balances = await accounts.values();
const final = balances.reduce((a, b) => a + b, 0);
console.log(
  `${TRANSFERS.toLocaleString('en')} transfers by ${TASKS} concurrent tasks in ${elapsed.toFixed(0)} ms ` +
    `(${Math.round((TRANSFERS / elapsed) * 1000).toLocaleString('en')} transfers/s)`,
);
console.log(
  `  committed ${committed.toLocaleString('en')}, refused for insufficient funds ${refused}, ` +
    `optimistic conflicts retried ${conflicts.toLocaleString('en')}`,
);
console.log(`  ${audits} audits of versioned snapshots during the run, each summing to ${total.toLocaleString('en')}`);
console.log(`  final total ${final.toLocaleString('en')}: ${final === total ? 'conserved' : 'NOT CONSERVED'}`);
console.log(`  no account below zero: ${balances.every((b) => b >= 0)}`);
const d = await accounts.diagnostics();
console.log(
  `  write version ${d.version.toLocaleString('en')}, ${d.initializedShards}/${d.shardCount} shards, max/avg load ${d.maxImbalance.toFixed(2)}`,
);
if (final !== total || balances.some((b) => b < 0)) process.exit(1);

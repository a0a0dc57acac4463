// The ready-made replica worker (`@starshard/advanced/replica-worker`): start it with
// `new Worker(require.resolve('@starshard/advanced/replica-worker'))` and talk to it through a
// `MessagePortReplica`. It serves a fresh `ShardedHashMap` on its parent port.
import { parentPort } from 'node:worker_threads';
import { serveReplica } from './serveReplica.js';

if (parentPort !== null) serveReplica(parentPort);

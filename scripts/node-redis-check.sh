#!/usr/bin/env bash
# node-redis 6 against simplekv, on its defaults: it opens every connection with HELLO 3 and has no RESP2
# fallback, so this is RESP3 as a real client drives it. Installs redis@6.3.1 with npm into a temporary directory,
# starts simplekv (memory engine) on a free loopback port, and checks typed replies (maps, sets, doubles, nulls),
# pub/sub pushes, a script, and node-redis's client-side cache (CLIENT TRACKING and invalidation pushes).
# Not run by CI: it needs the npm registry and Node.js.
# Usage: scripts/node-redis-check.sh [simplekv|redis]   (redis: the same check against Debian's redis-server)
set -euo pipefail
name=node-redis-check
packages=(redis@6.3.1)
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-check.sh"
node_check_setup "${1:-simplekv}"

cat >"$work/check.mjs" <<'JS'
import { createClient, BasicClientSideCache } from 'redis';
import assert from 'node:assert/strict';

const url = `redis://127.0.0.1:${process.argv[2]}`;
let stage = 'connect';
const fail = (why) => { console.error(`node-redis-check: FAILED at stage "${stage}": ${why && why.stack || why}`); process.exit(1); };
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

const client = createClient({ url });
client.on('error', fail);
await client.connect();
stage = 'protocol';
const info = await client.sendCommand(['CLIENT', 'INFO']);
assert.match(String(info), / resp=3/);

stage = 'typed replies';
await client.flushAll();
await client.hSet('h', { a: '1', b: '2' });
assert.deepEqual({ ...(await client.hGetAll('h')) }, { a: '1', b: '2' });
await client.sAdd('s', ['x', 'y']);
assert.deepEqual([...(await client.sMembers('s'))].sort(), ['x', 'y']);
await client.zAdd('z', { score: 1.5, value: 'm' });
assert.equal(await client.zScore('z', 'm'), 1.5);
assert.deepEqual(await client.zRangeWithScores('z', 0, -1), [{ value: 'm', score: 1.5 }]);
assert.equal(await client.get('missing'), null);
assert.equal(await client.eval("return redis.call('hlen', KEYS[1])", { keys: ['h'] }), 2);

stage = 'pub/sub';
const sub = client.duplicate();
await sub.connect();
const got = new Promise((resolve) => sub.subscribe('news', (message) => resolve(message)));
await new Promise((r) => setTimeout(r, 100));
assert.equal(await client.publish('news', 'hello'), 1);
assert.equal(await got, 'hello');
await sub.quit();

stage = 'client-side cache';
const cache = new BasicClientSideCache({ ttl: 0, maxEntries: 0 });
const cached = createClient({ url, RESP: 3, clientSideCache: cache });
cached.on('error', fail);
await cached.connect();
await client.set('k', 'v1');
assert.equal(await cached.get('k'), 'v1');
assert.equal(await cached.get('k'), 'v1');
assert.equal(cache.stats().hitCount, 1, 'the second read came from the cache');
await client.set('k', 'v2');
for (let i = 0; i < 100 && cache.size() > 0; i++) await new Promise((r) => setTimeout(r, 10));
assert.equal(cache.size(), 0, 'the invalidation push emptied the cache');
assert.equal(await cached.get('k'), 'v2');
await cached.quit();
await client.quit();
console.log('node-redis-check: all stages passed');
process.exit(0);
JS

node_check_run

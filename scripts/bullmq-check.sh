#!/usr/bin/env bash
# BullMQ against simplekv: installs bullmq 6.7.0 and ioredis with npm into a temporary directory, starts simplekv
# (memory engine) on a free loopback port, adds 200 jobs to a queue, processes them with a Worker and checks that
# all 200 completed with the result their processor returned, and that a QueueEvents (XREAD BLOCK on the queue's
# event stream) heard every completion. BullMQ is nearly all Lua (EVALSHA, with cjson and
# cmsgpack inside its scripts) plus blocking commands, so this is a wide check of scripting as a real client uses it.
# Not run by CI: it needs the npm registry and Node.js.
# Usage: scripts/bullmq-check.sh [simplekv|redis]   (redis runs the same check against Debian's redis-server,
# which shows the check itself works). Exits 0 when all 200 jobs completed.
set -euo pipefail
name=bullmq-check
packages=(bullmq@6.7.0 ioredis)
source "$(dirname "${BASH_SOURCE[0]}")/lib/node-check.sh"
target="${1:-simplekv}"
jobs=200
node_check_setup "$target"

# What BullMQ's Lua scripts need, asked of the server before the run, so a failure below comes with the list of
# what is missing rather than only the first thing a script tripped over.
scripts_dir="$work/node_modules/bullmq/dist/cjs/scripts"
missing=""
for cmd in $(grep -rhoE "(rcall|redis\.p?call)\(['\"][A-Za-z]+['\"]" "$scripts_dir" | sed -E "s/.*\(['\"]//; s/['\"]$//" \
             | tr a-z A-Z | sort -u); do
  [ -n "$(redis-cli -p "$port" command info "$cmd" | head -1)" ] || missing="$missing $cmd"
done
echo "bullmq-check: commands BullMQ's scripts call that $target lacks:${missing:- none}" >&2
for lib in $(grep -rhoE "\b(cjson|cmsgpack|struct|bit)\.[a-z_]+" "$scripts_dir" | cut -d. -f1 | sort -u); do
  echo "bullmq-check: Lua library $lib: $(redis-cli -p "$port" eval "return type(rawget(_G, '$lib'))" 0)" >&2
done

cat >"$work/check.mjs" <<'JS'
// Each stage says where it got to, so a failure names the stage and the server's error.
import { Queue, QueueEvents, Worker } from 'bullmq';

const port = Number(process.argv[2]), total = Number(process.argv[3]);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
let stage = 'connect';
// An error inside a script names its line (@user_script:N); ioredis keeps the body when it sent EVAL, so show it.
const fail = (why) => {
  console.error(`bullmq-check: FAILED at stage "${stage}": ${why && why.message ? why.message : why}`);
  const line = /@user_script:(\d+)/.exec(String(why && why.message));
  const body = why && why.command && why.command.args && why.command.args[0];
  if (line && typeof body === 'string' && body.includes('\n')) {
    console.error(`bullmq-check: that script's line ${line[1]}: ${body.split('\n')[line[1] - 1].trim()}`);
    console.error(`bullmq-check: the script begins: ${body.split('\n').slice(0, 3).join(' ').slice(0, 200)}`);
  }
  process.exit(1);
};
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

const name = `bullmq-check-${Date.now()}`;
const queue = new Queue(name, { connection });
queue.on('error', fail);
await queue.waitUntilReady();

// QueueEvents reads the queue's event stream with XREAD BLOCK: it must hear every job complete.
stage = 'events';
const events = new QueueEvents(name, { connection });
events.on('error', fail);
await events.waitUntilReady();
const heard = new Set();
const allHeard = new Promise((resolve) => events.on('completed', ({ jobId }) => {
  heard.add(jobId);
  if (heard.size === total) resolve();
}));

stage = 'add';
const added = await queue.addBulk(Array.from({ length: total }, (_, n) => ({ name: 'double', data: { n } })));
console.log(`bullmq-check: added ${added.length} jobs`);

stage = 'process';
const results = new Map();
const done = new Promise((resolve, reject) => {
  const worker = new Worker(name, async (job) => job.data.n * 2, { connection, concurrency: 4 });
  worker.on('error', reject);
  worker.on('failed', (job, err) => reject(new Error(`job ${job && job.id} failed: ${err.message}`)));
  worker.on('completed', (job, result) => {
    results.set(job.data.n, result);
    if (results.size === total) resolve(worker);
  });
  setTimeout(() => reject(new Error(`only ${results.size} of ${total} jobs completed in 60 s`)), 60_000).unref();
});
const worker = await done.catch(fail);

stage = 'verify';
const counts = await queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
console.log('bullmq-check: job counts ' + JSON.stringify(counts));
const wrong = [...results].filter(([n, r]) => r !== n * 2);
if (counts.completed !== total || wrong.length > 0) fail(`counts ${JSON.stringify(counts)}, wrong results ${wrong.length}`);
const stored = await queue.getJob(added[total - 1].id);
if (stored.returnvalue !== (total - 1) * 2) fail(`stored return value ${stored.returnvalue}`);
stage = 'events';
await Promise.race([allHeard, new Promise((_, reject) => setTimeout(() => reject(
  new Error(`QueueEvents heard ${heard.size} of ${total} completions in 10 s`)), 10_000).unref())]).catch(fail);
console.log(`bullmq-check: QueueEvents (XREAD BLOCK on the events stream) heard ${heard.size} completions`);
await events.close();
await worker.close();
await queue.close();
console.log(`bullmq-check: ${total} of ${total} jobs completed`);
process.exit(0);
JS

node_check_run "$jobs"

"""RQ against a server (see scripts/rq-check.sh): jobs through a burst worker, their results (RQ 1.12+ keeps each
job's results in a stream, XADD), a failing job, a scheduled job picked up by the worker's scheduler (a Lua script
and a sorted set), and Queue.empty() (a Lua script). Prints what it checked; exits 1 on the first difference."""
import datetime
import sys
import time

from redis import Redis
from rq import Queue, Worker

import rq_jobs


def check(what, ok):
    print("rq-check: %-58s %s" % (what, "ok" if ok else "FAILED"))
    if not ok:
        sys.exit(1)


def main():
    r = Redis(port=int(sys.argv[1]))
    total = int(sys.argv[2])
    q = Queue("default", connection=r)
    jobs = [q.enqueue(rq_jobs.add, i, i) for i in range(total)]
    failing = q.enqueue(rq_jobs.fail)
    scheduled = q.enqueue_in(datetime.timedelta(seconds=1), rq_jobs.add, 20, 22)
    Worker([q], connection=r).work(burst=True, with_scheduler=False, logging_level="WARNING")
    right = sum(1 for i, j in enumerate(jobs) if j.get_status(refresh=True) == "finished" and j.return_value() == 2 * i)
    check("%d jobs finished with their return values" % total, right == total)
    result = jobs[3].latest_result()
    check("a job's result read back from its result stream", result is not None and result.return_value == 6)
    check("the failing job is failed, with a FAILED result",
          failing.get_status(refresh=True) == "failed" and failing.latest_result().type.name == "FAILED")
    time.sleep(1.2)
    Worker([q], connection=r).work(burst=True, with_scheduler=True, logging_level="WARNING")
    check("the scheduled job ran once it was due", scheduled.get_status(refresh=True) == "finished"
          and scheduled.return_value() == 42)
    q.enqueue(rq_jobs.add, 1, 1)
    q.empty()
    check("Queue.empty() (a Lua script) emptied the queue", len(q) == 0)
    # redis-py's Lock, whose release, extend and reacquire are Lua scripts (EVALSHA, loaded on NOSCRIPT).
    lock = r.lock("rq-check:lock", timeout=5)
    check("Lock.acquire", lock.acquire(blocking=False))
    check("a second Lock on the same name is refused", not r.lock("rq-check:lock").acquire(blocking=False))
    check("Lock.extend adds to the TTL", lock.extend(10) and r.pttl("rq-check:lock") > 5000)
    check("Lock.reacquire resets the TTL", lock.reacquire() and r.pttl("rq-check:lock") <= 5000)
    lock.release()
    check("Lock.release frees it", r.exists("rq-check:lock") == 0)


main()

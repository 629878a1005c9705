"""The job functions scripts/lib/rq_check.py enqueues (RQ imports them by module name in the worker)."""


def add(a, b):
    return a + b


def fail():
    raise ValueError("a job that fails on purpose")

"""Clocks and counters shared by the scenarios.

Queries are counted with an execute wrapper, so that a run of thousands of
queries is counted exactly (Django's own capture keeps the last 9,000 only).
Transaction control (BEGIN, SAVEPOINT, RELEASE) is counted apart: SQLite
issues BEGIN as a statement and PostgreSQL does not, and a budget should mean
the same on both.
"""

import statistics
import time
from contextlib import contextmanager

from django.db import connection
from django.db.backends.utils import CursorWrapper

CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT")


class QueryLog:
    """Count (and optionally keep) the statements run inside the block."""

    def __init__(self, keep_sql=False):
        self.keep_sql = keep_sql
        self.queries = 0
        self.control = 0
        self.sql = []
        self.execute_time = 0.0
        self.fetch_time = 0.0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(CONTROL):
            self.control += 1
        else:
            self.queries += 1
            if self.keep_sql:
                self.sql.append((sql, params, many))
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.execute_time += time.perf_counter() - start

    @property
    def db_time(self):
        return self.execute_time + self.fetch_time


_FETCHES = ("fetchone", "fetchmany", "fetchall")


@contextmanager
def query_log(keep_sql=False, time_fetches=False):
    """Run the block under a QueryLog; with ``time_fetches`` the rows the ORM
    reads after ``execute`` count as database time too (SQLite computes them
    lazily, while stepping through the result)."""
    log = QueryLog(keep_sql)
    originals = {}
    if time_fetches:
        for name in _FETCHES:
            originals[name] = CursorWrapper.__dict__.get(name)
            setattr(CursorWrapper, name, _timed_fetch(name, log))
    try:
        with connection.execute_wrapper(log):
            yield log
    finally:
        for name, original in originals.items():
            if original is None:
                delattr(CursorWrapper, name)
            else:
                setattr(CursorWrapper, name, original)


def _timed_fetch(name, log):
    def fetch(self, *args):
        start = time.perf_counter()
        try:
            return getattr(self.cursor, name)(*args)
        finally:
            log.fetch_time += time.perf_counter() - start

    return fetch


def raw_statements(statements):
    """The statements as the driver itself takes them (SQLite wants ``?``)."""
    if connection.vendor != "sqlite":
        return list(statements)
    converted = []
    for sql, params, many in statements:
        if params is None:
            converted.append((sql, params, many))
            continue
        count = len(params[0]) if many and params else len(params)
        converted.append((sql % tuple("?" * count), params, many))
    return converted


def raw_time(statements):
    """Time ``statements`` (from :func:`raw_statements`) run raw on the
    driver's cursor, every row fetched."""
    cursor = connection.connection.cursor()
    start = time.perf_counter()
    for sql, params, many in statements:
        if many:
            cursor.executemany(sql, params)
        elif params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, params)
        if cursor.description is not None:
            cursor.fetchall()
    elapsed = time.perf_counter() - start
    cursor.close()
    return elapsed


def timed(function, *args, **kwargs):
    """Call ``function``; return (seconds, QueryLog, result)."""
    with query_log() as log:
        start = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - start
    return elapsed, log, result


def best(values):
    return min(values) if values else None


def median(values):
    return statistics.median(values) if values else None


def p95(values):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def ratio(value, baseline):
    if value is None or not baseline:
        return None
    return value / baseline

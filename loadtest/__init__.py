"""The load run: gunicorn, concurrent users over HTTP, invariants in SQL.

``python -m loadtest`` (``make loadtest``) runs it; ``server`` and ``http``
are also used by the login-throttling tests.
"""

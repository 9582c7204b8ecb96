"""Settings for a benchmark run: the project's, pointed at a throw-away
database and tuned as production would be (DEBUG off, no query log).

``bench.__main__`` sets ``BENCH_DATABASE_URL`` before Django starts; the
gunicorn server of the load test inherits it through the environment.
"""

import os

# The project's settings read DATABASE_URL at import: point it at the bench
# database first, so the SQLite tuning of config.settings applies as well.
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ.setdefault("SECRET_KEY", "bench-only-key-never-used-for-real-sessions")

from config.settings import *  # noqa: E402, F403
from config.settings import LOGGING, STORAGES  # noqa: E402

# Production-like: templates cached, no debug query log, no debug toolbar.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# The bench talks plain HTTP on the loopback interface.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# No collectstatic step in a bench run.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ROOT_URLCONF = "bench.urls"
# The services log one info line per mutation; the bench makes thousands.
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
